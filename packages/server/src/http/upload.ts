/**
 * File uploads (rosters, bank and vendor return files): the file is the raw request body, not a
 * multipart form, so a script can send it with `curl --data-binary @file` and the server never
 * buffers a form's parts.
 *
 * - Content type: `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` (.xlsx),
 *   `text/csv`, `text/plain` or `application/octet-stream`; the kind is judged by the content
 *   (`detectFileKind`: a zip is .xlsx, anything else is text), never trusted from the header.
 * - Size: `uploadRoute({ maxBytes })` sets the route's own body limit (default
 *   `SSCARD_UPLOAD_MAX_BYTES`, 20 MiB): a bigger body is refused with 413 before it is read.
 * - File name: the `X-Filename` header (percent-encoded UTF-8) or the `filename` query; only its
 *   last path segment is kept, cut to 200 characters, and it is only ever displayed.
 *
 * Routes call `registerUploads(app)` (idempotent) and read the body with `readUpload(req)`.
 */
import { DomainError } from '@sscard/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const UPLOAD_TYPES = [
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/csv',
  'text/plain',
  'application/octet-stream',
] as const;

/** The default byte cap of an upload (SSCARD_UPLOAD_MAX_BYTES; 20 MiB). */
export function uploadMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.SSCARD_UPLOAD_MAX_BYTES);
  return Number.isInteger(v) && v > 0 ? v : 20 * 1024 * 1024;
}

const registered = new WeakSet<FastifyInstance>();

/**
 * Adds the raw-body parsers for the upload types (once per app; safe to call again). Fastify's
 * own `text/plain` parser decodes the body as UTF-8, which would corrupt a GBK file: it is
 * replaced by the raw one (no route takes a text/plain string).
 */
export function registerUploads(app: FastifyInstance): void {
  if (registered.has(app)) return;
  registered.add(app);
  for (const type of UPLOAD_TYPES) {
    if (app.hasContentTypeParser(type)) {
      if (type !== 'text/plain') continue;
      app.removeContentTypeParser(type);
    }
    app.addContentTypeParser(type, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  }
}

/** The route options of an upload route: its own body limit. */
export function uploadRoute(opts: { maxBytes?: number } = {}): { bodyLimit: number } {
  return { bodyLimit: opts.maxBytes ?? uploadMaxBytes() };
}

/** The header and query an upload route documents (OpenAPI). */
export const UPLOAD_DESCRIPTION =
  'The file is the raw request body (`curl --data-binary @roster.xlsx -H "content-type: text/csv"`): content type .xlsx, text/csv, text/plain or application/octet-stream (the kind is judged by the content), its name in the `X-Filename` header (percent-encoded) or the `filename` query.';

export interface Upload {
  bytes: Uint8Array;
  filename: string;
  kind: 'xlsx' | 'csv';
}

/** A zip (PK\3\4) is a workbook; anything else is read as delimited text. */
export function detectFileKind(bytes: Uint8Array): 'xlsx' | 'csv' {
  return bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    bytes[2] === 0x03 &&
    bytes[3] === 0x04
    ? 'xlsx'
    : 'csv';
}

function cleanName(raw: string | undefined): string {
  if (!raw) return 'upload';
  let name = raw;
  try {
    name = decodeURIComponent(raw);
  } catch {
    // kept as sent
  }
  // eslint-disable-next-line no-control-regex
  name = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return name.slice(0, 200) || 'upload';
}

/** The upload of a request: its bytes, its (display) name and its kind. */
export function readUpload(req: FastifyRequest): Upload {
  const body = req.body;
  if (!Buffer.isBuffer(body) || body.length === 0)
    throw new DomainError('BAD_REQUEST', {
      summary: 'The file is the raw request body (content type .xlsx, text/csv or octet-stream).',
    });
  const header = req.headers['x-filename'];
  const query = (req.query as { filename?: unknown } | undefined)?.filename;
  const filename = cleanName(
    typeof header === 'string' ? header : typeof query === 'string' ? query : undefined,
  );
  const bytes = new Uint8Array(body.buffer, body.byteOffset, body.length);
  return { bytes, filename, kind: detectFileKind(bytes) };
}
