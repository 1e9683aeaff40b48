// The console is a static bundle served by `weir dev` / `weir server` at `/` (SPA fallback to
// index.html), so `base` is the root. In development Vite serves the UI and forwards the API to
// a local Weir server.
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const weirServer = 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No source maps in the shipped bundle: they would triple the size of the npm package.
    sourcemap: false,
  },
  server: {
    proxy: {
      // `ws: true` carries the graphql-ws subscriptions (the session cookie rides on the upgrade).
      '/graphql': { target: weirServer, ws: true, changeOrigin: false },
      '/api': { target: weirServer, changeOrigin: false },
    },
  },
});
