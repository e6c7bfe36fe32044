import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// The UI lives in src/web and builds to dist/web, which the server serves with an SPA fallback.
// In dev, /api goes to the running server (WORKROOM_API, default the server's default port).
export default defineConfig({
  root: here('./src/web'),
  plugins: [react()],
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': process.env.WORKROOM_API ?? 'http://127.0.0.1:3000',
    },
  },
});
