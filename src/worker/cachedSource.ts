/**
 * Hub downloads kept in the browser's Cache API, so a second visit loads offline: each file, and the repo's
 * listing. Entries are keyed by the file's URL; the cache can be measured and cleared from the UI (clearing it
 * also forgets a listing that a repo update made stale). Every file is checked against the listing (size and
 * hash, see listingCheck.ts) before it is kept and again when it is taken from the cache, so a broken download
 * is never kept and a damaged entry is dropped and downloaded again.
 */
import { EngineError, messageOf } from '../engine/errors.ts';
import {
  unlessAborted,
  type FileProgress,
  type ListedFile,
  type ModelSource,
} from '../engine/modelSource.ts';
import { GRAPH_CACHE, graphUsage } from './graphStore.ts';
import { listingMismatch } from './listingCheck.ts';

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

/** Why the browser would not keep a file, in words. */
function refusedWords(error: unknown): string {
  if (error instanceof DOMException && error.name === 'QuotaExceededError')
    return `the browser's storage for this site is full (${error.name})`;
  return `the browser would not store it (${messageOf(error)})`;
}

/** Stores `bytes` under `url`, with their length (cacheUsage reads it, and a kept copy is checked against it). */
function keep(cache: Cache, url: string, bytes: Uint8Array | string): Promise<void> {
  const length = typeof bytes === 'string' ? new TextEncoder().encode(bytes).byteLength : bytes.byteLength;
  const body = bytes as Uint8Array<ArrayBuffer> | string;
  return cache.put(url, new Response(body, { headers: { 'Content-Length': String(length) } }));
}

/**
 * The kept copy of a file when it is whole: as long as it was when kept, and what the listing names. A damaged
 * one is dropped (`dropped`), so the caller downloads it again.
 */
async function keptCopy(
  cache: Cache,
  url: string,
  listed: ListedFile | undefined,
): Promise<{ bytes?: Uint8Array; dropped: boolean }> {
  const hit = await cache.match(url);
  if (!hit) return { dropped: false };
  const stated = hit.headers.get('Content-Length');
  const bytes = await hit
    .arrayBuffer()
    .then((b) => new Uint8Array(b))
    .catch(() => undefined);
  const whole =
    bytes !== undefined &&
    (stated === null || Number(stated) === bytes.byteLength) &&
    (await listingMismatch(bytes, listed)) === undefined;
  if (whole) return { bytes, dropped: false };
  await cache.delete(url).catch(() => undefined);
  return { dropped: true };
}

/** A source whose downloads are kept; `settled` resolves once every file read so far is written (or refused). */
export interface CachedSource extends ModelSource {
  settled(): Promise<void>;
}

/**
 * @param onNotKept told, with the reason in words, when the browser refuses to keep a file or the listing
 *   (storage full): the model still loads, but a later visit downloads it again
 * @param listing `kept` (the hub's): the listing kept from the first visit, so a second needs no network and the
 *   listing matches the files kept. `fresh` (a site folder, listed by the site's manifest at no cost): the
 *   source's own listing, the kept one only when it cannot be had (offline); a file the site has since replaced
 *   no longer matches it, so the kept copy is dropped and the new one downloaded.
 */
export function cachedSource(
  inner: ModelSource,
  caches: CacheStorage,
  onNotKept?: (reason: string) => void,
  listing: 'kept' | 'fresh' = 'kept',
): CachedSource {
  const name = inner.repo ?? inner.id;
  /** Kept after the first answer: files are checked against it. A failed listing is asked for again. */
  let listed: Promise<ListedFile[]> | undefined;
  /** Files being written to the cache. */
  const puts = new Set<Promise<void>>();

  const list = async (): Promise<ListedFile[]> => {
    const cache = await caches.open(MODEL_CACHE);
    const url = inner.id + LISTING;
    const fetchAndKeep = async () => {
      if (!inner.list) throw new Error(`${inner.id} cannot be listed`);
      const files = await inner.list();
      const write = keep(cache, url, JSON.stringify(files));
      // A site folder's listing is written while the load goes on (it is the site's manifest, had at no cost).
      if (listing === 'fresh') track(write);
      else await write.catch((error: unknown) => onNotKept?.(refusedWords(error)));
      return files;
    };
    const fresh = listing === 'fresh' ? await fetchAndKeep().catch((error: unknown) => error) : undefined;
    if (Array.isArray(fresh)) return fresh as ListedFile[];
    const hit = await cache.match(url);
    const kept: unknown = await hit?.json().catch(() => undefined);
    if (Array.isArray(kept)) return kept as ListedFile[];
    if (fresh !== undefined) throw fresh;
    // A damaged listing is dropped and asked for again.
    if (hit) await cache.delete(url).catch(() => undefined);
    return fetchAndKeep();
  };
  const listOnce = (): Promise<ListedFile[]> => {
    if (!listed) {
      const started = list();
      listed = started;
      started.catch(() => {
        if (listed === started) listed = undefined;
      });
    }
    return listed;
  };

  /** Downloads a file, keeps it when it is what the listing names, and fails (keeping nothing) when not. */
  const download = async (
    path: string,
    entry: ListedFile | undefined,
    cache: Cache,
    onProgress?: (p: FileProgress) => void,
    signal?: AbortSignal,
  ): Promise<Uint8Array> => {
    // The file is asked for: shown as waiting until its first bytes arrive.
    onProgress?.({ file: path, loaded: 0, ...(entry?.size !== undefined && { total: entry.size }) });
    const bytes = await inner.read(path, onProgress, signal);
    if (listing === 'fresh') {
      keepChecked(path, entry, cache, bytes);
      return bytes;
    }
    const mismatch = await listingMismatch(bytes, entry);
    if (mismatch)
      throw new EngineError(
        'invalid-file',
        `${path} from ${name} ${mismatch}, so it was not kept: load the model again (or clear the cache, if the repo changed since this browser listed it)`,
        path,
      );
    // A failed put (quota) must not fail the load: the model simply is not kept, and the page says so. Writing
    // 47 MB to the cache takes a few hundred ms, so the load goes on meanwhile (the bytes are copied into the
    // cache's Response at once); `settled` waits for it.
    track(keep(cache, inner.id + path, bytes));
    return bytes;
  };

  const track = (write: Promise<void>) => {
    const put = write
      .catch((error: unknown) => onNotKept?.(refusedWords(error)))
      .finally(() => puts.delete(put));
    puts.add(put);
  };

  /**
   * A site folder's file goes to the load at once, as it did before it was kept: the site's own file, which the
   * load checks as it reads it. It is kept only if it matches the site's manifest, checked meanwhile (hashing
   * 47 MB held up the first start by a tenth of a second). The hash and the cache's copy are taken now, so the
   * load may do what it likes with `bytes`.
   */
  const keepChecked = (path: string, entry: ListedFile | undefined, cache: Cache, bytes: Uint8Array) => {
    const check = listingMismatch(bytes, entry);
    const copy = new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: { 'Content-Length': String(bytes.byteLength) },
    });
    track(
      check.then((mismatch) => {
        if (mismatch) onNotKept?.(`${path} ${mismatch.replace('the hub lists', 'the site lists')}`);
        else return cache.put(inner.id + path, copy);
      }),
    );
  };

  /**
   * A site folder's file, network first (the site's own server and the browser's HTTP cache answer as they did
   * before files were kept), the kept copy when the network cannot be reached: looking in the cache first cost
   * the first start a tenth of a second.
   */
  const readFresh = async (
    path: string,
    entry: ListedFile | undefined,
    cache: Cache,
    onProgress?: (p: FileProgress) => void,
    signal?: AbortSignal,
  ): Promise<Uint8Array> => {
    try {
      return await download(path, entry, cache, onProgress, signal);
    } catch (error) {
      if (!(error instanceof EngineError) || error.code !== 'network') throw error;
      const kept = await keptCopy(cache, inner.id + path, entry);
      if (!kept.bytes) throw error;
      onProgress?.({ file: path, loaded: kept.bytes.byteLength, total: kept.bytes.byteLength });
      return kept.bytes;
    }
  };

  return {
    settled: async () => {
      await Promise.all(puts);
    },
    id: inner.id,
    ...(inner.repo && { repo: inner.repo }),
    list: listOnce,
    async read(path, onProgress, signal) {
      const cache = await caches.open(MODEL_CACHE);
      // No listing (the hub's API is down): nothing to check against but the kept copy's length.
      const files = await unlessAborted(
        listOnce().catch(() => undefined),
        signal,
      );
      const entry = files?.find((f) => f.path === path);
      if (listing === 'fresh') return readFresh(path, entry, cache, onProgress, signal);
      const kept = await keptCopy(cache, inner.id + path, entry);
      if (kept.bytes) {
        onProgress?.({ file: path, loaded: kept.bytes.byteLength, total: kept.bytes.byteLength });
        return kept.bytes;
      }
      try {
        return await download(path, entry, cache, onProgress, signal);
      } catch (error) {
        if (!kept.dropped || !(error instanceof EngineError) || error.code === 'cancelled') throw error;
        throw new EngineError(
          error.code,
          `the copy of ${path} kept in this browser was damaged, so it was dropped, and downloading it again failed: ${error.message}`,
          path,
        );
      }
    },
  };
}

export async function cacheUsage(caches: CacheStorage, storage?: StorageManager): Promise<CacheUsage> {
  const cache = await caches.open(MODEL_CACHE);
  const byModel = new Map<string, { bytes: number; files: number }>();
  const requests = await cache.keys();
  // Every kept folder has its listing kept beside its files: a site folder's files group under it.
  const folders = requests.filter((r) => r.url.endsWith(LISTING)).map((r) => r.url.slice(0, -LISTING.length));
  for (const request of requests) {
    const response = await cache.match(request);
    const bytes = Number(response?.headers.get('Content-Length') ?? 0);
    const model =
      folders.find((folder) => request.url.startsWith(folder) && !folder.includes('/resolve/')) ??
      request.url.replace(/\/resolve\/[^/]+\/.*$/, '/');
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
