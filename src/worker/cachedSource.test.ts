/**
 * A hub folder's files and its listing are kept in the Cache API, so an offline visit still knows the repo; what
 * is kept is what the listing names (size and hash), checked on the way in and on the way out.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../engine/errors.ts';
import type { ListedFile, ModelSource } from '../engine/modelSource.ts';
import { cachedSource } from './cachedSource.ts';

/** The part of CacheStorage cachedSource uses, over a Map; `refuse` makes every put fail as a full disk does. */
function memoryCaches(refuse?: () => Error): CacheStorage & { store: Map<string, Response> } {
  const store = new Map<string, Response>();
  const cache = {
    match: async (url: string) => store.get(url)?.clone(),
    put: async (url: string, response: Response) => {
      if (refuse) throw refuse();
      store.set(url, response);
    },
    delete: async (url: string) => store.delete(url),
  };
  return { open: async () => cache, store } as unknown as CacheStorage & { store: Map<string, Response> };
}

function source(online: { value: boolean }): ModelSource & { reads: number; lists: number } {
  const listing: ListedFile[] = [{ path: 'onnx/model_q4.onnx', size: 20_600_000 }];
  const s = {
    id: 'https://hub.example/o/m/resolve/main/',
    reads: 0,
    lists: 0,
    async list() {
      if (!online.value) throw new EngineError('network', 'offline');
      s.lists++;
      return listing;
    },
    async read() {
      if (!online.value) throw new EngineError('network', 'offline');
      s.reads++;
      return new Uint8Array([1, 2, 3]);
    },
  };
  return s;
}

describe('cachedSource', () => {
  it('answers the listing and the files from the cache after the first time, with no network', async () => {
    const online = { value: true };
    const inner = source(online);
    const cached = cachedSource(inner, memoryCaches());
    expect(await cached.list!()).toEqual([{ path: 'onnx/model_q4.onnx', size: 20_600_000 }]);
    expect(await cached.read('config.json')).toEqual(new Uint8Array([1, 2, 3]));
    online.value = false;
    expect(await cached.list!()).toEqual([{ path: 'onnx/model_q4.onnx', size: 20_600_000 }]);
    expect(await cached.read('config.json')).toEqual(new Uint8Array([1, 2, 3]));
    expect([inner.lists, inner.reads]).toEqual([1, 1]);
  });

  it('offline with nothing cached, the listing fails as the network did', async () => {
    const cached = cachedSource(source({ value: false }), memoryCaches());
    await expect(cached.list!()).rejects.toThrow('offline');
  });
});

const ID = 'https://hub.example/o/m/resolve/main/';
const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const gitSha1 = (bytes: Uint8Array) =>
  `git-sha1:${createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')}`;

/** A hub repo whose files can change under its listing (what the network delivers), counting downloads. */
function repo(listing: ListedFile[], files: Record<string, Uint8Array>) {
  const downloads: string[] = [];
  const online = { value: true };
  const inner: ModelSource = {
    id: ID,
    repo: 'o/m',
    list: async () => listing,
    async read(path) {
      if (!online.value) throw new EngineError('network', `could not download ${path}: offline`, path);
      downloads.push(path);
      return files[path]!.slice();
    },
  };
  return { source: inner, files, downloads, online };
}

/** A put as a browser whose storage for the site is full refuses it. */
const storageFull = () => new DOMException('Quota exceeded.', 'QuotaExceededError');

const WEIGHTS = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
const CONFIG = new TextEncoder().encode('{"model_type":"albert"}');
const LISTING: ListedFile[] = [
  { path: 'onnx/model.onnx', size: WEIGHTS.length, hash: sha256(WEIGHTS) },
  { path: 'config.json', size: CONFIG.length, hash: gitSha1(CONFIG) },
];

describe('cachedSource writes in the background', () => {
  it('returns a download before the cache has written it; settled waits for the write', async () => {
    const hub = repo(LISTING, { 'onnx/model.onnx': WEIGHTS });
    const caches = memoryCaches();
    const gated: { release?: () => void } = {};
    const gate = new Promise<void>((r) => (gated.release = r));
    // A cache whose write of the weights waits until released (the listing is written at once).
    const slow = {
      open: async () => {
        const cache = await caches.open('x');
        return {
          ...cache,
          put: async (u: string, r: Response) =>
            u.endsWith('.onnx') ? gate.then(() => cache.put(u, r)) : cache.put(u, r),
        };
      },
    } as unknown as CacheStorage;
    const cached = cachedSource(hub.source, slow);
    expect(await cached.read('onnx/model.onnx')).toEqual(WEIGHTS);
    expect(caches.store.has(`${ID}onnx/model.onnx`)).toBe(false);
    let settled = false;
    const done = cached.settled().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    gated.release!();
    await done;
    expect(caches.store.has(`${ID}onnx/model.onnx`)).toBe(true);
  });
});

describe('cachedSource checks files against the listing', () => {
  it('keeps a download whose SHA-256 (LFS) or git blob id (small file) is the listed one', async () => {
    const hub = repo(LISTING, { 'onnx/model.onnx': WEIGHTS, 'config.json': CONFIG });
    const caches = memoryCaches();
    const cached = cachedSource(hub.source, caches);
    expect(await cached.read('onnx/model.onnx')).toEqual(WEIGHTS);
    expect(await cached.read('config.json')).toEqual(CONFIG);
    expect([...caches.store.keys()]).toEqual(
      expect.arrayContaining([`${ID}onnx/model.onnx`, `${ID}config.json`]),
    );
  });

  it('fails a download of another size or another hash with one message naming the file, and keeps nothing of it', async () => {
    const corrupt = WEIGHTS.slice();
    corrupt[3] = 99;
    for (const [bytes, says] of [
      [
        corrupt,
        /^onnx\/model\.onnx from o\/m has SHA-256 [0-9a-f]{12}… where the hub lists [0-9a-f]{12}…, so it was not kept/,
      ],
      [
        WEIGHTS.slice(0, 5),
        /^onnx\/model\.onnx from o\/m is 5 bytes where the hub lists 8, so it was not kept/,
      ],
    ] as const) {
      const caches = memoryCaches();
      const cached = cachedSource(repo(LISTING, { 'onnx/model.onnx': bytes }).source, caches);
      const error = await cached.read('onnx/model.onnx').catch((e: unknown) => e as EngineError);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).message).toMatch(says);
      expect((error as EngineError).file).toBe('onnx/model.onnx');
      expect(caches.store.has(`${ID}onnx/model.onnx`)).toBe(false);
    }
  });

  it('a hash that matches decides over a listed size that does not (the hash names the exact bytes)', async () => {
    const listing = [{ path: 'onnx/model.onnx', size: 45_300_000, hash: sha256(WEIGHTS) }];
    const cached = cachedSource(repo(listing, { 'onnx/model.onnx': WEIGHTS }).source, memoryCaches());
    expect(await cached.read('onnx/model.onnx')).toEqual(WEIGHTS);
  });

  it('drops a kept copy that is truncated or corrupted and downloads the file again', async () => {
    for (const damage of [(b: Uint8Array) => b.slice(0, 3), (b: Uint8Array) => b.map((x) => x ^ 1)]) {
      const hub = repo(LISTING, { 'onnx/model.onnx': WEIGHTS });
      const caches = memoryCaches();
      await cachedSource(hub.source, caches).read('onnx/model.onnx');
      const url = `${ID}onnx/model.onnx`;
      const damaged = damage(WEIGHTS);
      // As storage would hold it: the length it was kept with, other bytes.
      caches.store.set(url, new Response(damaged, { headers: { 'Content-Length': String(WEIGHTS.length) } }));
      expect(await cachedSource(hub.source, caches).read('onnx/model.onnx')).toEqual(WEIGHTS);
      expect(hub.downloads).toEqual(['onnx/model.onnx', 'onnx/model.onnx']);
      expect(new Uint8Array(await caches.store.get(url)!.clone().arrayBuffer())).toEqual(WEIGHTS);
    }
  });

  it('offline, a damaged kept copy fails with a message that says it was dropped and why it could not come again', async () => {
    const hub = repo(LISTING, { 'config.json': CONFIG });
    const caches = memoryCaches();
    await cachedSource(hub.source, caches).read('config.json');
    caches.store.set(`${ID}config.json`, new Response(CONFIG.slice(0, 4)));
    hub.online.value = false;
    await expect(cachedSource(hub.source, caches).read('config.json')).rejects.toThrow(
      'the copy of config.json kept in this browser was damaged, so it was dropped, and downloading it again failed: could not download config.json: offline',
    );
    expect(caches.store.has(`${ID}config.json`)).toBe(false);
  });

  it('a put the browser refuses (storage full) still returns the file, and says why it was not kept', async () => {
    const hub = repo(LISTING, { 'onnx/model.onnx': WEIGHTS });
    const reasons: string[] = [];
    const cached = cachedSource(hub.source, memoryCaches(storageFull), (reason) => reasons.push(reason));
    expect(await cached.read('onnx/model.onnx')).toEqual(WEIGHTS);
    // The file is written while the load goes on; once settled, the listing and the file were each refused.
    await cached.settled();
    expect(reasons).toEqual([
      "the browser's storage for this site is full (QuotaExceededError)",
      "the browser's storage for this site is full (QuotaExceededError)",
    ]);
  });

  it('a read that is cancelled while the listing is awaited ends as cancelled', async () => {
    const never = new Promise<ListedFile[]>(() => undefined);
    const abort = new AbortController();
    const stalled = { ...repo(LISTING, {}).source, list: () => never };
    const reading = cachedSource(stalled, memoryCaches()).read('config.json', undefined, abort.signal);
    abort.abort();
    await expect(reading).rejects.toMatchObject({ code: 'cancelled', message: 'loading was cancelled' });
  });
});

describe('cachedSource for a site folder (listing: fresh)', () => {
  const SITE = 'https://play.example.org/models/tiny/';
  /** A site folder whose listing (the site's manifest) and files a new deploy replaces. */
  function siteFolder(listing: ListedFile[], files: Record<string, Uint8Array>) {
    const state = { listing, files, online: true, downloads: [] as string[] };
    const inner: ModelSource = {
      id: SITE,
      list: async () => {
        if (!state.online) throw new EngineError('network', 'offline');
        return state.listing;
      },
      async read(path) {
        if (!state.online) throw new EngineError('network', `could not download ${path}: offline`, path);
        state.downloads.push(path);
        return state.files[path]!.slice();
      },
    };
    return { inner, state };
  }

  it('offline, answers from the kept listing and files', async () => {
    const site = siteFolder(LISTING, { 'onnx/model.onnx': WEIGHTS, 'config.json': CONFIG });
    const caches = memoryCaches();
    const first = cachedSource(site.inner, caches, undefined, 'fresh');
    expect(await first.read('onnx/model.onnx')).toEqual(WEIGHTS);
    // Kept once checked against the manifest, while the load goes on.
    await first.settled();
    site.state.online = false;
    const later = cachedSource(site.inner, caches, undefined, 'fresh');
    expect(await later.list!()).toEqual(LISTING);
    expect(await later.read('onnx/model.onnx')).toEqual(WEIGHTS);
    expect(site.state.downloads).toEqual(['onnx/model.onnx']);
  });

  it('a file the site replaced since it was kept is downloaded again (the fresh listing names the new one)', async () => {
    const site = siteFolder(LISTING, { 'onnx/model.onnx': WEIGHTS, 'config.json': CONFIG });
    const caches = memoryCaches();
    const first = cachedSource(site.inner, caches, undefined, 'fresh');
    await first.read('onnx/model.onnx');
    await first.settled();
    const redeployed = new Uint8Array([9, 9, 9, 9, 9, 9, 9, 9]);
    site.state.files = { ...site.state.files, 'onnx/model.onnx': redeployed };
    site.state.listing = [{ path: 'onnx/model.onnx', size: 8, hash: sha256(redeployed) }, LISTING[1]!];
    expect(await cachedSource(site.inner, caches, undefined, 'fresh').read('onnx/model.onnx')).toEqual(
      redeployed,
    );
    expect(site.state.downloads).toEqual(['onnx/model.onnx', 'onnx/model.onnx']);
    // A file that does not match the site's manifest (a deploy half done) still loads, and is not kept.
    const reasons: string[] = [];
    const staleCaches = memoryCaches();
    site.state.files = { ...site.state.files, 'onnx/model.onnx': WEIGHTS };
    const stale = cachedSource(site.inner, staleCaches, (r) => reasons.push(r), 'fresh');
    expect(await stale.read('onnx/model.onnx')).toEqual(WEIGHTS);
    await stale.settled();
    expect(reasons).toEqual([
      expect.stringMatching(/^onnx\/model\.onnx has SHA-256 .* where the site lists /),
    ]);
    expect(staleCaches.store.has(`${SITE}onnx/model.onnx`)).toBe(false);
    // The hub's way (kept listing) would have kept answering the old file.
    const hubWay = siteFolder(LISTING, { 'onnx/model.onnx': WEIGHTS, 'config.json': CONFIG });
    const hubCaches = memoryCaches();
    await cachedSource(hubWay.inner, hubCaches).read('onnx/model.onnx');
    hubWay.state.files = { ...hubWay.state.files, 'onnx/model.onnx': redeployed };
    hubWay.state.listing = site.state.listing;
    expect(await cachedSource(hubWay.inner, hubCaches).read('onnx/model.onnx')).toEqual(WEIGHTS);
  });
});
