/**
 * The graph cache over the Cache API: a graph comes back as it was put, a half-written one is never found, at
 * most MAX_GRAPHS are kept (the oldest go first), and the cache panel counts and clears them.
 */
import { describe, expect, it } from 'vitest';
import type { PreparedModel } from '../engine/onnx/surgery.ts';
import { cacheUsage, clearCache } from './cachedSource.ts';
import { GRAPH_CACHE, graphStore, MAX_GRAPHS } from './graphStore.ts';

const url = (r: RequestInfo | URL) => (typeof r === 'string' ? r : r instanceof URL ? r.href : r.url);

/** CacheStorage over Maps, keeping insertion order as the Cache API does (a put replaces and moves to the end). */
function memoryCaches(): CacheStorage & { named: Map<string, Map<string, Response>> } {
  const named = new Map<string, Map<string, Response>>();
  const open = async (name: string) => {
    const store = named.get(name) ?? new Map<string, Response>();
    named.set(name, store);
    return {
      match: async (r: RequestInfo) => store.get(url(r))?.clone(),
      put: async (r: RequestInfo, response: Response) => {
        store.delete(url(r));
        store.set(url(r), response);
      },
      delete: async (r: RequestInfo) => store.delete(url(r)),
      keys: async () => [...store.keys()].map((u) => ({ url: u }) as Request),
    } as unknown as Cache;
  };
  return { named, open, delete: async (name: string) => named.delete(name) } as unknown as CacheStorage & {
    named: Map<string, Map<string, Response>>;
  };
}

function graph(seed: number): PreparedModel {
  return {
    bytes: new Uint8Array(1000 + seed).fill(seed),
    outputs: { embeddings: 'e', hiddenStates: ['h0', 'h1'], attentions: ['a1'], attentionScores: [] },
    originalOutputs: ['last_hidden_state'],
    lean: true,
    precision: {
      kind: 'fp32',
      weightMatMuls: 21,
      quantizedMatMuls: 0,
      computeType: 'float32',
      summary: 'float32 weights',
    },
  };
}

describe('graphs kept in the Cache API', () => {
  it('gives back what was put, and nothing for a key never put', async () => {
    const store = graphStore(memoryCaches());
    await store.put('v1/lean/3/sha256%3Aab', graph(1));
    expect(await store.get('v1/lean/3/sha256%3Aab')).toEqual(graph(1));
    expect(await store.get('v1/lean/3/sha256%3Acd')).toBeUndefined();
  });

  it('a graph whose description was never written (a put cut short) is not found', async () => {
    const caches = memoryCaches();
    const store = graphStore(caches);
    await store.put('k', graph(2));
    const entries = caches.named.get(GRAPH_CACHE)!;
    entries.delete([...entries.keys()].find((u) => u.endsWith('.json'))!);
    expect(await store.get('k')).toBeUndefined();
  });

  it(`keeps at most ${MAX_GRAPHS} graphs, dropping the oldest; a deleted graph is gone`, async () => {
    const store = graphStore(memoryCaches());
    for (let i = 0; i < MAX_GRAPHS + 2; i++) await store.put(`k${i}`, graph(i));
    expect(await store.get('k0')).toBeUndefined();
    expect(await store.get('k1')).toBeUndefined();
    for (let i = 2; i < MAX_GRAPHS + 2; i++) expect((await store.get(`k${i}`))?.bytes[0]).toBe(i);
    await store.delete('k2');
    expect(await store.get('k2')).toBeUndefined();
  });

  it('the cache panel counts the graphs, and clearing the cache forgets them', async () => {
    const caches = memoryCaches();
    const store = graphStore(caches);
    await store.put('a', graph(0));
    await store.put('b', graph(5));
    expect((await cacheUsage(caches)).graphs).toEqual({ bytes: 2005, graphs: 2 });
    await clearCache(caches);
    expect((await cacheUsage(caches)).graphs).toEqual({ bytes: 0, graphs: 0 });
    expect(await store.get('a')).toBeUndefined();
  });
});

describe('cacheUsage by model folder', () => {
  it('groups a site folder under its listing and a hub repo under its name', async () => {
    const caches = memoryCaches();
    const models = await caches.open('albert-playground-models-v1');
    const put = (u: string, bytes: number) =>
      models.put(u, new Response(new Uint8Array(bytes), { headers: { 'Content-Length': String(bytes) } }));
    await put('https://play.example.org/models/tiny/.albert-playground-listing.json', 10);
    await put('https://play.example.org/models/tiny/onnx/model.onnx', 1000);
    await put('https://play.example.org/models/tiny/tokenizer.json', 200);
    await put('https://hub.example/o/m/resolve/main/.albert-playground-listing.json', 20);
    await put('https://hub.example/o/m/resolve/main/onnx/model.onnx', 3000);
    const usage = await cacheUsage(caches);
    expect(usage.models).toEqual([
      { url: 'https://play.example.org/models/tiny/', bytes: 1210, files: 3 },
      { url: 'https://hub.example/o/m/', bytes: 3020, files: 2 },
    ]);
    expect(usage.totalBytes).toBe(4230);
  });
});
