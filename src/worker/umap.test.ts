/**
 * UMAP over the protocol: the projection view's tokens (with a compared text) and kept sentence vectors laid out
 * exactly as the engine's umapLayout lays out the same vectors, with epochs reported and a cancel that stops it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { seeded } from '../engine/random.ts';
import { umapLayout } from '../engine/umap.ts';
import type { FloatTensor } from '../engine/types.ts';
import type { EngineClient } from './client.ts';
import type { RunWant } from './protocol.ts';
import { inProcessClient } from './testing/inProcess.ts';

let client: EngineClient;
beforeAll(async () => {
  ({ client } = await inProcessClient());
});

const PARAMS = { neighbours: 4, minDist: 0.2, seed: 7, k: 2 } as const;
const SHOW_ALL = { specials: false, padding: false };

/** The engine's layout of the same vectors, the reference the worker's reply must equal bit for bit. */
const direct = (vectors: FloatTensor) =>
  umapLayout(vectors.data, vectors.dims[0]!, vectors.dims[1]!, PARAMS).then((r) => r.coordinates);

describe('umap', () => {
  it("lays out the view run's tokens and a compared text's, as the engine does with their vectors", async () => {
    const run = (await client.run('the cat sat on the mat', undefined, {
      layers: [0],
      attentions: false,
      lane: 'view',
    }))!;
    const seen: number[] = [];
    const job = client.umap(
      {
        ...PARAMS,
        source: { kind: 'tokens', runId: run.runId, layer: 2, compare: ['hello world'], hide: SHOW_ALL },
      },
      (p) => seen.push(p.epoch),
    );
    const view = await job.done;
    expect(view.groupNames).toEqual(['text 1: the cat sat on the mat', 'text 2: hello world']);
    expect(view.labels.slice(0, 2)).toEqual(['0 [CLS]', '1 ▁the']);
    expect(view.umap).toMatchObject({ neighbours: 4, epochs: 500, cancelled: false, points: 12 });
    expect(seen.at(-1)).toBe(500);

    // The same vectors from api runs, stacked as the view stacks them.
    const api: RunWant = { layers: [2], attentions: false, lane: 'api' };
    const a = (await client.run('the cat sat on the mat', undefined, api))!.hiddenStates[2]!;
    const b = (await client.run('hello world', undefined, api))!.hiddenStates[2]!;
    const data = new Float32Array(a.data.length + b.data.length);
    data.set(a.data);
    data.set(b.data, a.data.length);
    const expected = await direct({ data, dims: [a.dims[0]! + b.dims[0]!, a.dims[1]!] });
    expect(Array.from(view.umap.coordinates)).toEqual(Array.from(expected));
    expect(Array.from(view.projection.scores)).toEqual(Array.from(Float32Array.from(expected)));
  });

  it('lays out kept sentence vectors, and says when too few lines were kept', async () => {
    const lines = ['hello world', 'the cat sat', 'the dog ran', 'a bird sang', 'rain fell', 'hello there'];
    const job = client.embedLines({ lines, pooling: 'mean', batchSize: 4, layer: 3 }, () => undefined);
    await job.done;
    const view = await client.umap(
      { ...PARAMS, source: { kind: 'lines', setId: job.id, layer: 3 } },
      () => undefined,
    ).done;
    expect(Array.from(view.umap.coordinates)).toEqual(
      Array.from(await direct(await client.linesVectors(job.id, 3))),
    );
    const two = client.embedLines(
      { lines: lines.slice(0, 2), pooling: 'mean', batchSize: 4, layer: 3 },
      () => undefined,
    );
    await two.done;
    await expect(
      client.umap({ ...PARAMS, source: { kind: 'lines', setId: two.id, layer: 3 } }, () => undefined).done,
    ).rejects.toThrow('UMAP needs at least 3 points (got 2)');
  });

  it('stops on cancel at the next pause, with the layout so far', async () => {
    const random = seeded(3);
    const n = 1500;
    const vectors = { data: new Float32Array(n * 16).map(() => random()), dims: [n, 16] };
    // The cancel lands while the neighbour graph is built; 500 epochs of 1,500 points outlast one 50 ms slice.
    const job = client.umap(
      { ...PARAMS, neighbours: 15, source: { kind: 'vectors', vectors } },
      () => undefined,
    );
    void client.cancel(job.id);
    const view = await job.done;
    expect(view.cancelled).toBe(true);
    expect(view.umap.epochs).toBeGreaterThan(0);
    expect(view.umap.epochs).toBeLessThan(view.umap.totalEpochs);
    expect(view.umap.coordinates.every(Number.isFinite)).toBe(true);
  });
});
