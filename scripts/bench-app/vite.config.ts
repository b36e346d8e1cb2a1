/**
 * The peer pages of `npm run bench:app`, built with Vite into the app's build under /bench/: a bare
 * onnxruntime-web session (plain WASM build, or the JSEP build the app ships for WebGPU) and transformers.js'
 * feature-extraction pipeline, each in a worker, as a page that needs nothing else would be.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const pages = fileURLToPath(new URL('./pages/', import.meta.url));

export default defineConfig({
  root: pages,
  base: '/bench/',
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm'] },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    emptyOutDir: false,
    chunkSizeWarningLimit: 4096,
    rollupOptions: { input: { peer: `${pages}peer.html` } },
  },
});
