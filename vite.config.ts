import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv, type Plugin } from 'vite';
import { plotlyCss } from './scripts/vite/plotlyCss.ts';
import { serviceWorker } from './scripts/vite/serviceWorker.ts';

// Cross-origin isolation lets onnxruntime-web use WASM threads (SharedArrayBuffer); without it, one thread.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The Content-Security-Policy: no inline scripts; network only to this origin and the configured hub
 * (VITE_HF_ENDPOINT, default huggingface.co, whose large files come from *.hf.co). WebAssembly needs
 * 'wasm-unsafe-eval'. plotly needs inline style attributes (not elements). In dev, Vite's client needs its
 * websocket and inline styles.
 */
function contentSecurityPolicy(hub: string, dev: boolean): Plugin {
  const hubOrigin = new URL(hub).origin;
  const hubHosts =
    hubOrigin === 'https://huggingface.co'
      ? `${hubOrigin} https://*.huggingface.co https://*.hf.co`
      : hubOrigin;
  const policy = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    `connect-src 'self' ${hubHosts}${dev ? ' ws: wss:' : ''}`,
    "img-src 'self' data: blob:",
    `style-src 'self'${dev ? " 'unsafe-inline'" : ''}`,
    // plotly sets style attributes on its SVG; attributes only, never <style> elements or scripts.
    "style-src-attr 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'self'",
  ].join('; ');
  return { name: 'albert-csp', transformIndexHtml: (html) => html.replace('%ALBERT_CSP%', policy) };
}

export default defineConfig(({ command, mode }) => {
  const env = loadEnv(mode, process.cwd(), 'VITE_');
  const hub = env.VITE_HF_ENDPOINT ?? process.env.VITE_HF_ENDPOINT ?? 'https://huggingface.co';
  return {
    plugins: [react(), plotlyCss(), contentSecurityPolicy(hub, command === 'serve'), serviceWorker()],
    server: { headers: isolation },
    preview: { headers: isolation },
    // onnxruntime-web loads its .wasm and glue .mjs by URL; pre-bundling would move them.
    optimizeDeps: { exclude: ['onnxruntime-web'] },
    resolve: { conditions: ['onnxruntime-web-use-extern-wasm'] },
    worker: {
      format: 'es',
      // The minifier would rewrite umap-js's Math.pow(a, b) as a ** b (ES2016), which the portable pow that UMAP
      // runs with cannot replace (src/engine/portableMath.ts): the layout would then depend on the browser's pow.
      rolldownOptions: { output: { minify: { compress: { target: 'es2015' } } } },
    },
    build: { target: 'es2022', chunkSizeWarningLimit: 1024 },
  };
});
