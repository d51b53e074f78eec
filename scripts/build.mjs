#!/usr/bin/env node
/**
 * Builds what `npm start` runs: the server bundled by esbuild into dist/ (compiled JavaScript
 * with source maps; the workspace packages bundled in, everything from node_modules left
 * external; the SQL migrations copied beside it), and the web application built by Vite into
 * packages/web/dist.
 *
 *   node scripts/build.mjs            build both
 *   node scripts/build.mjs --if-stale build only what is older than its sources (npm prestart)
 *   node scripts/build.mjs server|web build one
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const ifStale = args.includes('--if-stale');
const which = args.filter((a) => !a.startsWith('--'));
const want = (name) => which.length === 0 || which.includes(name);

/** Newest modification time under the given files and folders (skipping build output). */
function newest(paths) {
  let max = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      const base = path.basename(p);
      if (base === 'node_modules' || base === 'dist' || base === 'e2e') return;
      for (const name of readdirSync(p)) walk(path.join(p, name));
    } else if (!/\.test\.ts$/.test(p)) {
      max = Math.max(max, s.mtimeMs);
    }
  };
  for (const p of paths) walk(path.join(root, p));
  return max;
}

function mtime(file) {
  const p = path.join(root, file);
  return existsSync(p) ? statSync(p).mtimeMs : 0;
}

const SERVER_OUT = 'dist/server.js';
const SERVER_SOURCES = [
  'packages/domain/src',
  'packages/domain/package.json',
  'packages/server/src',
  'packages/server/package.json',
  'package-lock.json',
  'scripts/build.mjs',
];
const WEB_OUT = 'packages/web/dist/index.html';
const WEB_SOURCES = [
  'packages/web/src',
  'packages/web/public',
  'packages/web/index.html',
  'packages/web/vite.config.ts',
  'packages/web/package.json',
  'packages/domain/src',
  'package-lock.json',
];

async function buildServer() {
  const started = Date.now();
  const esbuild = await import('esbuild');
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  /** Bundle the workspace's own packages (their sources are TypeScript); leave the rest to node. */
  const externals = {
    name: 'node-modules-external',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (a) =>
        a.path.startsWith('@sscard/') ? undefined : { path: a.path, external: true },
      );
    },
  };
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { server: 'packages/server/src/main.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [externals],
  });
  // db/migrate.ts reads the migrations beside its own module: beside the bundle here.
  cpSync(path.join(root, 'packages/server/src/db/migrations'), path.join(root, 'dist/migrations'), {
    recursive: true,
  });
  writeFileSync(
    path.join(root, 'dist/README.md'),
    'Build output of `node scripts/build.mjs` (npm run build). Do not edit; not committed.\n',
  );
  console.log(`server: dist/server.js built in ${Date.now() - started} ms`);
}

function buildWeb() {
  const started = Date.now();
  const r = spawnSync('npm', ['run', 'build', '-w', 'packages/web'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  console.log(`web: packages/web/dist built in ${Date.now() - started} ms`);
}

if (want('server')) {
  if (!ifStale || mtime(SERVER_OUT) < newest(SERVER_SOURCES)) await buildServer();
}
if (want('web')) {
  if (!ifStale || mtime(WEB_OUT) < newest(WEB_SOURCES)) buildWeb();
}
