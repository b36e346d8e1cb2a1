/** The engine's graph cache in memory (the browser's lives in the Cache API: worker/graphStore.ts). */
import type { GraphCache } from '../graphCache.ts';
import type { PreparedModel } from '../onnx/surgery.ts';

/** A graph cache in memory, for tests: at most `capacity` graphs, the oldest dropped first. */
export function memoryGraphCache(capacity = 4): GraphCache & { keys(): string[] } {
  const graphs = new Map<string, PreparedModel>();
  return {
    keys: () => [...graphs.keys()],
    async get(key) {
      return graphs.get(key);
    },
    async put(key, graph) {
      graphs.delete(key);
      graphs.set(key, graph);
      for (const old of graphs.keys()) if (graphs.size > capacity) graphs.delete(old);
    },
    async delete(key) {
      graphs.delete(key);
    },
  };
}
