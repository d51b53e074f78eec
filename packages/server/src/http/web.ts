/**
 * Serves the built web application (packages/web/dist) from the API's own port: `/` and every
 * client route answer index.html (never cached, so a new build is picked up at once), hashed
 * files under /assets are cached for a year (their names change when their content does), and
 * each answer is sent compressed (brotli or gzip, made on an asset's first request and then kept
 * in memory: compressing every chunk and source map at start cost a minute on a loaded machine).
 *
 * The application gets a content security policy of its own, set per route through helmet in an
 * onRoute hook of this file (as /docs gets its own in http/security.ts); the API's
 * `default-src 'none'` stays as it is. Scripts: this origin only, no inline script and no eval.
 * Styles: this origin plus inline styles, because Ant Design writes its styles at run time
 * (CSS-in-JS). Images: data: and blob: for the enrolment QR code and the photo preview.
 *
 * Registered only when `buildApp` is given `web` (by main.ts), so the test suite's apps have no
 * web routes.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip as gzipCb } from 'node:zlib';
import type { FastifyReply, FastifyRequest, onRouteHookHandler } from 'fastify';
import type { App } from './app-types.js';

export interface WebOptions {
  /** The folder Vite built (index.html, assets/…). */
  dir: string;
}

declare module '../app.js' {
  interface AppOptions {
    /** Serve the built web application from `/` (main.ts passes it; tests do not). */
    web?: WebOptions;
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route of the web application: gets the application's content security policy. */
    web?: boolean;
  }
}

export const WEB_CSP = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  workerSrc: ["'self'"],
};

/** Paths that belong to the API or the platform, never to the application. */
const NOT_WEB = /^\/(api|docs|openapi\.json|healthz|livez|readyz|metrics)(\/|$|\?)/;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json; charset=utf-8',
};
const brotli = promisify(brotliCompress);
const gzip = promisify(gzipCb);

const COMPRESSIBLE = /\.(html|m?js|css|json|svg|txt|webmanifest|map|ttf)$/;

interface Asset {
  type: string;
  etag: string;
  body: Buffer;
  compressible: boolean;
  /** Compressed once, off the event loop (zlib's thread pool), shared by concurrent requests. */
  br?: Promise<Buffer>;
  gzip?: Promise<Buffer>;
  immutable: boolean;
}

function load(dir: string): Map<string, Asset> {
  const files = new Map<string, Asset>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const full = path.join(folder, name);
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      const url = '/' + path.relative(dir, full).split(path.sep).join('/');
      const body = readFileSync(full);
      const ext = path.extname(name).toLowerCase();
      const asset: Asset = {
        type: TYPES[ext] ?? 'application/octet-stream',
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
        body,
        immutable: url.startsWith('/assets/'),
        compressible: COMPRESSIBLE.test(name) && body.length > 1024,
      };
      files.set(url, asset);
    }
  };
  walk(dir);
  return files;
}

async function send(req: FastifyRequest, reply: FastifyReply, asset: Asset): Promise<FastifyReply> {
  reply
    .header('content-type', asset.type)
    .header('etag', asset.etag)
    .header('vary', 'accept-encoding')
    .header(
      'cache-control',
      asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache, private',
    );
  if (req.headers['if-none-match'] === asset.etag) return reply.status(304).send();
  const accept = String(req.headers['accept-encoding'] ?? '');
  if (asset.compressible && /\bbr\b/.test(accept)) {
    asset.br ??= brotli(asset.body, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: asset.body.length },
    });
    return reply.header('content-encoding', 'br').send(await asset.br);
  }
  if (asset.compressible && /\bgzip\b/.test(accept)) {
    asset.gzip ??= gzip(asset.body, { level: 9 });
    return reply.header('content-encoding', 'gzip').send(await asset.gzip);
  }
  return reply.send(asset.body);
}

const NOT_BUILT = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>sscard</title>
<p>网页应用尚未构建：请运行 <code>npm run build</code>（或 <code>npm start</code>，会自动构建）。</p>
<p>The web application is not built: run <code>npm run build</code> (or <code>npm start</code>, which builds it).</p>
<p><a href="/docs">API documentation</a></p></html>`;

export async function registerWeb(app: App, options: WebOptions): Promise<void> {
  const policy: onRouteHookHandler = (route) => {
    if (route.config?.web) {
      route.config = {
        ...route.config,
        helmet: { contentSecurityPolicy: { useDefaults: false, directives: WEB_CSP } },
      } as typeof route.config;
    }
  };
  app.addHook('onRoute', policy);

  const built = existsSync(path.join(options.dir, 'index.html'));
  if (!built) app.log.warn({ dir: options.dir }, 'web application not built; / explains how');
  // A build in progress (files vanishing under us) must not stop the API: serve the notice.
  let files = new Map<string, Asset>();
  try {
    if (built) files = load(options.dir);
  } catch (e) {
    app.log.warn(
      { dir: options.dir, err: { message: (e as Error).message } },
      'web application unreadable',
    );
  }
  const index = files.get('/index.html');

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const url = req.url.split('?')[0]!;
    if (NOT_WEB.test(url)) return reply.callNotFound();
    let pathname: string;
    try {
      pathname = decodeURIComponent(url);
    } catch {
      return reply.callNotFound();
    }
    const asset = files.get(pathname);
    if (asset && pathname !== '/index.html') return send(req, reply, asset);
    // A missing file (a stale hashed asset, a typo) is a 404, not the application page.
    if (/\.[a-z0-9]{1,12}$/i.test(pathname) || pathname.startsWith('/assets/'))
      return reply.callNotFound();
    if (!index)
      return reply
        .status(503)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(NOT_BUILT);
    return send(req, reply, index);
  };

  const route = { config: { access: 'public' as const, web: true }, schema: { hide: true } };
  app.get('/', route, handler);
  app.get('/*', route, handler);
}

/** Where the built application is: SSCARD_WEB_DIR, or the web package's dist folder. */
export function defaultWebDir(): string {
  if (process.env.SSCARD_WEB_DIR) return path.resolve(process.env.SSCARD_WEB_DIR);
  const pkg = createRequire(import.meta.url).resolve('@sscard/web/package.json');
  return path.join(path.dirname(pkg), 'dist');
}
