/**
 * Hub downloads kept in the browser's Cache API, so a second visit loads offline: each file, and the repo's
 * listing. Entries are keyed by the file's URL; the cache can be measured and cleared from the UI (clearing it
 * also forgets a listing that a repo update made stale).
 */
import type { ListedFile, ModelSource } from '../engine/modelSource.ts';
import { GRAPH_CACHE, graphUsage } from './graphStore.ts';

export const MODEL_CACHE = 'albert-playground-models-v1';

export interface CacheUsage {
  /** Bytes held per model folder URL. */
  models: { url: string; bytes: number; files: number }[];
  totalBytes: number;
  /** The prepared graphs kept by file hash (any folder's, the site's too): see graphStore.ts. */
  graphs: { bytes: number; graphs: number };
  /** The origin's quota and use as the browser estimates them. */
  quota?: number;
  usage?: number;
}

/** Where a folder's listing is kept, beside its files, so a later visit knows what the repo holds, offline too. */
const LISTING = '.albert-playground-listing.json';

export function cachedSource(inner: ModelSource, caches: CacheStorage): ModelSource {
  return {
    id: inner.id,
    ...(inner.repo && { repo: inner.repo }),
    // Cache first, as the files are: a second visit needs no network, and the listing matches the files kept.
    async list() {
      const cache = await caches.open(MODEL_CACHE);
      const url = inner.id + LISTING;
      const hit = await cache.match(url);
      if (hit) return (await hit.json()) as ListedFile[];
      if (!inner.list) throw new Error(`${inner.id} cannot be listed`);
      const files = await inner.list();
      const body = JSON.stringify(files);
      await cache
        .put(url, new Response(body, { headers: { 'Content-Length': String(body.length) } }))
        .catch(() => undefined);
      return files;
    },
    async read(path, onProgress) {
      const url = inner.id + path;
      const cache = await caches.open(MODEL_CACHE);
      const hit = await cache.match(url);
      if (hit) {
        const bytes = new Uint8Array(await hit.arrayBuffer());
        onProgress?.({ file: path, loaded: bytes.byteLength, total: bytes.byteLength });
        return bytes;
      }
      const bytes = await inner.read(path, onProgress);
      // A failed put (quota) must not fail the load: the model simply is not cached.
      await cache
        .put(
          url,
          new Response(bytes as Uint8Array<ArrayBuffer>, {
            headers: { 'Content-Length': String(bytes.byteLength) },
          }),
        )
        .catch(() => undefined);
      return bytes;
    },
  };
}

export async function cacheUsage(caches: CacheStorage, storage?: StorageManager): Promise<CacheUsage> {
  const cache = await caches.open(MODEL_CACHE);
  const byModel = new Map<string, { bytes: number; files: number }>();
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    const bytes = Number(response?.headers.get('Content-Length') ?? 0);
    const model = request.url.replace(/\/resolve\/[^/]+\/.*$/, '/');
    const entry = byModel.get(model) ?? { bytes: 0, files: 0 };
    entry.bytes += bytes;
    entry.files += 1;
    byModel.set(model, entry);
  }
  const models = [...byModel].map(([url, e]) => ({ url, ...e }));
  const estimate = await storage?.estimate().catch(() => undefined);
  return {
    models,
    totalBytes: models.reduce((sum, m) => sum + m.bytes, 0),
    graphs: await graphUsage(caches),
    quota: estimate?.quota,
    usage: estimate?.usage,
  };
}

/** Forgets the hub's files and listings, and every prepared graph. */
export async function clearCache(caches: CacheStorage): Promise<void> {
  await Promise.all([caches.delete(MODEL_CACHE), caches.delete(GRAPH_CACHE)]);
}
