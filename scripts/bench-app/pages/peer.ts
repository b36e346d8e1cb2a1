/** A peer page of bench:app: `?kind=` picks the worker (each written as its page would load it), started at once. */
import { startPeer } from './page.ts';

const kind = new URLSearchParams(location.search).get('kind');
// Static URLs, one per worker, so that the bundler builds each as its own worker.
const worker =
  kind === 'bare-jsep'
    ? new Worker(new URL('./bare-jsep.worker.ts', import.meta.url), { type: 'module' })
    : kind === 'transformers'
      ? new Worker(new URL('./transformers.worker.ts', import.meta.url), { type: 'module' })
      : new Worker(new URL('./bare-wasm.worker.ts', import.meta.url), { type: 'module' });
startPeer(worker);
