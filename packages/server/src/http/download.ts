/**
 * A file answer (a download): its content type, `cache-control: no-store` (files here carry
 * personal data: no proxy or browser cache keeps them), and a Content-Disposition naming the
 * file both ways (RFC 6266): `filename` in printable ASCII only (anything else, quotes and
 * backslashes as `_`, so a name taken from an upload cannot break the header), `filename*` with
 * the whole name in UTF-8 (RFC 8187).
 */
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const utf8 = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

export function sendFile(
  reply: FastifyReply,
  name: string,
  type: string,
  body: string | Uint8Array | Readable,
) {
  return reply
    .type(type)
    .header('cache-control', 'no-store')
    .header('content-disposition', contentDisposition(name))
    .send(typeof body === 'string' || body instanceof Readable ? body : Buffer.from(body));
}
