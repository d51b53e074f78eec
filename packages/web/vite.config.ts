/**
 * The web application's build. `npm run dev` (root) runs Vite's dev server on :5173 with the API
 * proxied to the server on :3000; `npm run build` writes dist/, which the server serves from `/`.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const api = process.env.SSCARD_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  // Pure reference data from the domain core (ethnic groups, countries): one source for both.
  resolve: { alias: { '@domain': fileURLToPath(new URL('../domain/src', import.meta.url)) } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // antd's shared core is one chunk of its own: cached across releases of the pages.
    chunkSizeWarningLimit: 900,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(
      ['/api', '/docs', '/openapi.json', '/healthz', '/readyz'].map((p) => [p, { target: api }]),
    ),
  },
});
