// The dashboard's build: `vite build web` (root web/, output web/dist, which `assetops serve`
// serves). The chart pages are split into their own chunks (echarts loads only with them).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `vite web` during development: the API from `assetops serve` on its default port. The
    // server answers its own Host and Origin only (see src/server/host-guard.ts), so the proxy
    // sends both as the server's.
    proxy: {
      '/api': {
        target: 'http://127.0.0.1:8080',
        changeOrigin: true,
        configure: (proxy) => {
          proxy.on('proxyReq', (req) => {
            if (req.getHeader('origin')) req.setHeader('origin', 'http://127.0.0.1:8080');
          });
        },
      },
    },
  },
});
