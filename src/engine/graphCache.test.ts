/**
 * Prepared graphs kept by the file's hash: a second load opens the kept graph without reading the ONNX file,
 * gives the same numbers to the bit, and a kept graph that storage damaged is dropped and prepared again.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AlbertEngine } from './albert.ts';
import { graphKey, SURGERY_FORMAT } from './graphCache.ts';
import type { ModelSource } from './modelSource.ts';
import { fsSource } from './node/fsSource.ts';
import { nodeRuntime, type NodeRuntime } from './node/runtime.ts';
import { prepareAlbertGraph } from './onnx/surgery.ts';
import { TINY_MODEL } from './testing/fixtures.ts';
import { memoryGraphCache } from './testing/memoryGraphCache.ts';

const FILE = 'onnx/model.onnx';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const HASH = `sha256:${sha256(readFileSync(join(TINY_MODEL, FILE)))}`;

/** The tiny model's folder, listed with the file's hash (as the hub or the site manifest lists it); counts reads. */
async function hashedSource(hash = HASH): Promise<ModelSource & { onnxReads: number }> {
  const inner = await fsSource(TINY_MODEL);
  const source = {
    id: inner.id,
    onnxReads: 0,
    list: async () => [{ path: FILE, hash }],
    read: (path: string) => {
      if (path.endsWith('.onnx')) source.onnxReads++;
      return inner.read(path);
    },
  };
  return source;
}

let runtime: NodeRuntime;
beforeAll(async () => {
  runtime = await nodeRuntime('wasm', 1);
});

const TEXT = 'The quick brown fox jumps over the lazy dog.';

describe('prepared graphs kept by the file hash', () => {
  it('a second load opens the kept graph without reading the file, with the same numbers to the bit', async () => {
    const cache = memoryGraphCache();
    const first = await hashedSource();
    const a = await AlbertEngine.load({ source: first, ...runtime, backend: 'wasm', graphCache: cache });
    expect(first.onnxReads).toBe(1);
    expect(a.loaded.graphCached).toBeUndefined();
    // The put runs after the session opened; let it land.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cache.keys()).toEqual([graphKey(HASH, 3, true)]);

    const second = await hashedSource();
    const b = await AlbertEngine.load({ source: second, ...runtime, backend: 'wasm', graphCache: cache });
    expect(second.onnxReads).toBe(0);
    expect(b.loaded.graphCached).toBe(true);
    expect(b.prepared).toEqual(a.prepared);
    const [ra, rb] = [await a.run(TEXT), await b.run(TEXT)];
    rb.hiddenStates.forEach((h, i) => expect(h.data).toEqual(ra.hiddenStates[i]!.data));
    rb.attentions.forEach((m, i) => expect(m.data).toEqual(ra.attentions[i]!.data));

    // The full graph (scores, logits) is kept too: the first engine prepares it, the second takes it.
    const scoresA = await a.run(TEXT, undefined, { attentionScores: true, logits: true });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cache.keys()).toContain(graphKey(HASH, 3, false));
    const reads = second.onnxReads;
    const scoresB = await b.run(TEXT, undefined, { attentionScores: true, logits: true });
    expect(second.onnxReads).toBe(reads);
    expect(scoresB.attentionScores[2]!.data).toEqual(scoresA.attentionScores[2]!.data);
    expect(scoresB.logits!.data).toEqual(scoresA.logits!.data);
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it('another hash is another graph; a folder listed without hashes keeps nothing', async () => {
    const cache = memoryGraphCache();
    await (
      await AlbertEngine.load({ source: await hashedSource(), ...runtime, graphCache: cache })
    ).dispose();
    const other = await hashedSource('sha256:00ff');
    const engine = await AlbertEngine.load({ source: other, ...runtime, graphCache: cache });
    expect(other.onnxReads).toBe(1);
    expect(engine.loaded.graphCached).toBeUndefined();
    await engine.dispose();
    const unhashed = await fsSource(TINY_MODEL);
    await (await AlbertEngine.load({ source: unhashed, ...runtime, graphCache: cache })).dispose();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cache.keys()).toEqual([graphKey(HASH, 3, true), graphKey('sha256:00ff', 3, true)]);
  });

  it('a kept graph that no longer opens is dropped, and the file prepared and kept again', async () => {
    const cache = memoryGraphCache();
    const key = graphKey(HASH, 3, true);
    const good = prepareAlbertGraph(readFileSync(join(TINY_MODEL, FILE)), 3, FILE, { lean: true });
    await cache.put(key, { ...good, bytes: good.bytes.slice(0, 1000) });
    const source = await hashedSource();
    const engine = await AlbertEngine.load({ source, ...runtime, graphCache: cache });
    expect(source.onnxReads).toBe(1);
    expect(engine.loaded.graphCached).toBeUndefined();
    expect((await engine.run(TEXT)).hiddenStates).toHaveLength(4);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect((await cache.get(key))?.bytes).toEqual(good.bytes);
    await engine.dispose();
  });

  it('a cache that fails to answer is a cache without the graph', async () => {
    const broken = {
      get: () => Promise.reject(new Error('storage blocked')),
      put: () => Promise.reject(new Error('quota')),
      delete: () => Promise.reject(new Error('storage blocked')),
    };
    const engine = await AlbertEngine.load({ source: await hashedSource(), ...runtime, graphCache: broken });
    expect((await engine.run(TEXT)).hiddenStates).toHaveLength(4);
    await engine.dispose();
  });
});

/**
 * What surgery makes of the tiny model, as a fingerprint. A change to surgery (or to the protobuf encoder) that
 * gives other bytes or outputs fails here until SURGERY_FORMAT is bumped with the new fingerprint: browsers
 * keep prepared graphs under the format, and must not open one an older build prepared.
 */
const FINGERPRINT = {
  format: 1,
  lean: '03b12d1c5383a5852e6dde8d148d4a3fb9b7ba38984f8d546312465d6abf2d41',
  full: '8f97e28efdd4991f82009b6d5c63d1311e1eb55ec27a0817f02e4f200258de6b',
};

describe('the kept graphs’ format', () => {
  it('surgery gives the graphs its format was recorded with', () => {
    const bytes = readFileSync(join(TINY_MODEL, FILE));
    const print = (lean: boolean) => {
      const { bytes: graph, ...known } = prepareAlbertGraph(bytes, 3, FILE, { lean });
      return sha256(Buffer.concat([graph, Buffer.from(JSON.stringify(known))]));
    };
    expect({ format: SURGERY_FORMAT, lean: print(true), full: print(false) }).toEqual(FINGERPRINT);
  });
});
