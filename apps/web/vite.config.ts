import { defineConfig } from 'vite';

// The API serves dist/ at / (WEB_DIR), so the page calls it on the same origin. `vite` (dev) proxies
// the API's paths to a local `npm run api`; the page's own routes live in the hash (#/imports/ID).
const api = process.env.LEDGERPORT_API_URL ?? 'http://127.0.0.1:3000';
const apiPaths = ['/me', '/locations', '/imports', '/notifications', '/formats', '/config', '/admin', '/health'];

export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { proxy: Object.fromEntries(apiPaths.map((p) => [p, { target: api, changeOrigin: false }])) },
});
