#!/usr/bin/env node
/**
 * `npm run dev`: the API with hot reload (tsx watch, port 3000, or PORT) and the web application
 * from Vite's dev server with hot module replacement on http://localhost:5173, which proxies
 * /api, /docs and /openapi.json to the API. Arguments go to the server (`npm run dev -- --demo`).
 * Ctrl-C stops both.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.PORT ?? '3000';
const children = [
  spawn(
    'npx',
    [
      'tsx',
      'watch',
      '--clear-screen=false',
      'packages/server/src/main.ts',
      ...process.argv.slice(2),
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, PORT: port },
    },
  ),
  spawn('npx', ['vite', '--host', '127.0.0.1'], {
    cwd: path.join(root, 'packages/web'),
    stdio: 'inherit',
    env: { ...process.env, SSCARD_API: `http://127.0.0.1:${port}` },
  }),
];
let stopping = false;
const stop = (code) => {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500);
};
for (const c of children) c.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
console.log(
  `\n  web (hot reload): http://localhost:5173   API: http://localhost:${port}/api/v1   docs: http://localhost:${port}/docs\n`,
);
