/**
 * The web application's files: compressed once on first request, off the event loop, the same
 * bytes to every request (also to several arriving together), 304 on a matching ETag.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from './app-types.js';
import { registerWeb } from './web.js';

let dir: string;
let app: ReturnType<typeof Fastify>;
const script = Buffer.from('console.log("社保卡");\n'.repeat(5000));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sscard-web-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>sscard</title>');
  writeFileSync(path.join(dir, 'assets', 'app-1234.js'), script);
  app = Fastify();
  await registerWeb(app as unknown as App, { dir });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (encoding: string, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'GET',
    url: '/assets/app-1234.js',
    headers: { 'accept-encoding': encoding, ...headers },
  });

describe('web files', () => {
  it('sends brotli to every request, also to several arriving at once, and the bytes decompress to the file', async () => {
    const answers = await Promise.all([get('br'), get('br, gzip'), get('gzip, br')]);
    for (const res of answers) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(res.rawPayload).equals(script)).toBe(true);
    }
    expect(answers[0]!.rawPayload.length).toBeLessThan(script.length / 10);
  });

  it('sends gzip where brotli is not accepted, the file itself where nothing is', async () => {
    const gz = await get('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(script)).toBe(true);
    const plain = await get('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(script)).toBe(true);
  });

  it('answers 304 to a matching ETag, and the application page for an unknown route', async () => {
    const first = await get('br');
    const again = await get('br', { 'if-none-match': String(first.headers.etag) });
    expect(again.statusCode).toBe(304);
    const page = await app.inject({ method: 'GET', url: '/console/rosters' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>sscard</title>');
  });
});
