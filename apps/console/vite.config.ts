import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console is served by the API at /console (libs/console), so every asset URL starts there.
 * `npm run build:console` writes dist/console at the repository root; `vite --config
 * apps/console/vite.config.ts` serves it in development, sending API calls to the API on :3000.
 */
export default defineConfig({
  root: here,
  base: '/console/',
  plugins: [react()],
  publicDir: 'src/public',
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // Nothing inline: the Content-Security-Policy allows scripts and styles from files only.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: { '/v1': { target: process.env.CONSOLE_API_URL ?? 'http://127.0.0.1:3000' } },
  },
});
