/**
 * The engine's graph cache in the browser's Cache API: each prepared graph as two entries, its ONNX bytes and
 * then (written last, so a half-written graph is never found) what the engine knows of it. At most
 * MAX_GRAPHS are kept, the oldest dropped first; the cache panel counts them and clears them with the models.
 */
import type { GraphCache } from '../engine/graphCache.ts';
import type { PreparedModel } from '../engine/onnx/surgery.ts';

export const GRAPH_CACHE = 'albert-playground-graphs-v1';

/** Graphs kept (a lean and a full graph per file: two albert-base files in fp32 come to about 190 MB). */
export const MAX_GRAPHS = 4;

/** Cache API keys must be http(s) URLs; these name no server and are never fetched. */
const BASE = 'https://graphs.albert-playground.invalid/';

const metaUrl = (key: string) => `${BASE}${key}.json`;
const bytesUrl = (key: string) => `${BASE}${key}.onnx`;

export function graphStore(caches: CacheStorage): GraphCache {
  return {
    async get(key) {
      const cache = await caches.open(GRAPH_CACHE);
      const [meta, bytes] = await Promise.all([cache.match(metaUrl(key)), cache.match(bytesUrl(key))]);
      if (!meta || !bytes) return undefined;
      const known = (await meta.json()) as Omit<PreparedModel, 'bytes'>;
      return { ...known, bytes: new Uint8Array(await bytes.arrayBuffer()) };
    },
    async put(key, { bytes, ...known }) {
      const cache = await caches.open(GRAPH_CACHE);
      await cache.put(
        bytesUrl(key),
        new Response(bytes as Uint8Array<ArrayBuffer>, {
          headers: { 'Content-Length': String(bytes.byteLength) },
        }),
      );
      await cache.put(metaUrl(key), new Response(JSON.stringify(known)));
      // Keys come back in insertion order: the oldest graphs first.
      const kept = (await cache.keys()).filter((r) => r.url.endsWith('.json'));
      for (const old of kept.slice(0, Math.max(0, kept.length - MAX_GRAPHS))) {
        await cache.delete(old);
        await cache.delete(old.url.replace(/\.json$/, '.onnx'));
      }
    },
    async delete(key) {
      const cache = await caches.open(GRAPH_CACHE);
      await cache.delete(metaUrl(key));
      await cache.delete(bytesUrl(key));
    },
  };
}

/** Bytes and count of the kept graphs, for the cache panel. */
export async function graphUsage(caches: CacheStorage): Promise<{ bytes: number; graphs: number }> {
  const cache = await caches.open(GRAPH_CACHE);
  let bytes = 0;
  let graphs = 0;
  for (const request of await cache.keys()) {
    if (!request.url.endsWith('.onnx')) continue;
    const response = await cache.match(request);
    bytes += Number(response?.headers.get('Content-Length') ?? 0);
    graphs += 1;
  }
  return { bytes, graphs };
}
