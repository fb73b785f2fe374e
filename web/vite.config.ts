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
    // `vite web` during development: the API from `assetops serve` on its default port.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
