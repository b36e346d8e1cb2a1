/**
 * Keeps the onnxruntime WebAssembly this engine worker loaded in the service worker's runtime cache, so the next
 * visit starts without network. Needed on a first visit: the page and this worker may start before the service
 * worker takes over, so onnxruntime's own download went past it. The file is added once onnxruntime has fetched it
 * (the browser's HTTP cache then usually answers) and a few seconds later, never beside its own download or the
 * model's first start.
 */
import { RUNTIME_CACHE } from './plan.ts';

/** How long after onnxruntime fetched its WebAssembly the copy is made. */
const KEEP_AFTER_MS = 5000;

export function keepRuntimeOnceLoaded(url: string, caches: CacheStorage): void {
  if (typeof PerformanceObserver === 'undefined') return;
  const keep = async () => {
    const cache = await caches.open(RUNTIME_CACHE);
    if (!(await cache.match(url))) await cache.add(url);
  };
  const observer = new PerformanceObserver((entries) => {
    if (entries.getEntriesByName(url).length === 0) return;
    observer.disconnect();
    // Later, so that the copy competes with neither the model's load nor its first run. Kept or not, the model
    // runs: a refused copy (storage full) only means the next visit downloads it again.
    setTimeout(() => keep().catch(() => undefined), KEEP_AFTER_MS);
  });
  observer.observe({ type: 'resource', buffered: true });
}
