/**
 * Compare and apply over the protocol: two texts' similarity per layer and pooling and their alignment, many
 * lines in batches (progress, cancel, views, vectors equal to single runs), and few-shot classification.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cosine, pool } from '../engine/pooling.ts';
import { maxAbsDiff } from '../engine/testing/fixtures.ts';
import type { EngineClient } from './client.ts';
import type { LinesProgress, WorkerRequest } from './protocol.ts';
import { inProcessClient } from './testing/inProcess.ts';

let client: EngineClient;
let received: WorkerRequest[];
beforeAll(async () => {
  ({ client, received } = await inProcessClient());
});

const api = { layers: 'all', attentions: true, lane: 'api' } as const;

/** Requests that run the model (classify and run), received so far. */
const runs = () => received.filter((r) => r.type === 'classify' || r.type === 'run').length;

describe('compare', () => {
  it('cosine of pooled vectors per layer and pooling, alignment, and cross-segment attention', async () => {
    const view = await client.compare('the cat sat', 'hello world');
    const a = (await client.run('the cat sat', undefined, api))!;
    const b = (await client.run('hello world', undefined, api))!;
    for (const p of ['mean', 'cls', 'max'] as const)
      for (let l = 0; l <= 3; l++)
        expect(view.perLayer[p][l]).toBeCloseTo(
          cosine(pool(a.hiddenStates[l]!, p), pool(b.hiddenStates[l]!, p)),
          6,
        );
    expect(view.a.tokens).toEqual(a.tokens);
    expect(view.pair!.aToB.dims).toEqual([3, 4]);
    // A's queries (the 5 tokens [CLS] the cat sat [SEP]) give B's keys a share of their attention.
    const pair = (await client.run('the cat sat', 'hello world', api))!;
    const att = pair.attentions![1]!;
    const n = pair.tokens.length;
    let share = 0;
    for (let q = 0; q < 5; q++) for (let k = 5; k < n; k++) share += att.data[(2 * n + q) * n + k]!;
    expect(view.pair!.aToB.data[1 * 4 + 2]).toBeCloseTo(share / 5, 6);

    const al = await client.alignment(view.compareId, 3);
    expect(al.rows).toEqual([1, 2, 3]);
    expect(al.cols).toEqual([1, 2]);
    const width = 32;
    const vec = (t: { data: Float32Array }, i: number) => t.data.subarray(i * width, (i + 1) * width);
    expect(al.cosines.data[0]).toBeCloseTo(cosine(vec(a.hiddenStates[3]!, 1), vec(b.hiddenStates[3]!, 1)), 5);
    expect(al.f1).toBeGreaterThan(0);
    await expect(client.alignment(view.compareId + 999, 3)).rejects.toThrow('that comparison is gone');
  });
});

describe('many lines', () => {
  const lines = [
    'hello world',
    'the cat sat on the mat',
    'the dog',
    'hello',
    'the cat',
    'world world world',
    'dog',
  ];

  it('embeds in batches with progress; vectors equal single runs; views rank and order; cancel stops', async () => {
    const seen: LinesProgress[] = [];
    const job = client.embedLines({ lines, pooling: 'mean', batchSize: 3, layer: 2 }, (p) => seen.push(p));
    expect(await job.done).toEqual({ count: 7, cancelled: false, truncated: 0, maxLength: 512 });
    expect(seen.map((p) => p.done)).toEqual([3, 6, 7]);
    const vectors = await client.linesVectors(job.id, 2);
    expect(vectors.dims).toEqual([7, 32]);
    for (const [i, line] of lines.entries()) {
      const alone = (await client.run(line, undefined, api))!;
      expect(
        maxAbsDiff(vectors.data.subarray(i * 32, (i + 1) * 32), pool(alone.hiddenStates[2]!, 'mean')),
      ).toBeLessThan(1e-5);
    }
    const view = await client.linesView(job.id, 2, 'the cat');
    expect(view.matrix.dims).toEqual([7, 7]);
    expect(view.order.toSorted()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(view.neighbours[0]).toHaveLength(5);
    // The query is itself one of the lines: it ranks first with cosine 1.
    expect(view.ranking![0]).toMatchObject({ index: 4 });
    expect(view.ranking![0]!.cosine).toBeCloseTo(1, 5);
    expect(view.projection.points).toBe(7);

    const many = Array.from({ length: 40 }, (_, i) => `${lines[i % lines.length]} ${i}`);
    const stopped = client.embedLines(
      { lines: many, pooling: 'cls', batchSize: 2, layer: 1 },
      () => undefined,
    );
    await client.cancel(stopped.id);
    const result = await stopped.done;
    expect(result.cancelled).toBe(true);
    expect(result.count).toBeLessThan(40);
    // What was done before the cancel can still be viewed.
    if (result.count > 1) expect((await client.linesView(stopped.id, 1)).count).toBe(result.count);
  });
});

describe('classify', () => {
  const examples = [
    { label: 'animal', text: 'the cat' },
    { label: 'animal', text: 'the dog' },
    { label: 'greeting', text: 'hello world' },
    { label: 'greeting', text: 'hello' },
  ];

  it('nearest centroid and k-NN from labelled examples; readable errors', async () => {
    const job = client.classify(
      { examples, texts: ['the cat sat', 'hello hello'], pooling: 'mean', layer: 3, k: 3 },
      () => undefined,
    );
    const { results, cancelled } = await job.done;
    expect(cancelled).toBe(false);
    expect(results).toHaveLength(2);
    expect(Object.keys(results[0]!.centroid).toSorted()).toEqual(['animal', 'greeting']);
    expect(results[0]!.neighbours).toHaveLength(3);
    // The centroid score is the cosine with the mean of the label's example vectors, computed here independently.
    const vec = async (t: string) => pool((await client.run(t, undefined, api))!.hiddenStates[3]!, 'mean');
    const [c1, c2, x] = await Promise.all([vec('the cat'), vec('the dog'), vec('the cat sat')]);
    const centroid = c1.map((v, d) => (v + c2[d]!) / 2);
    expect(results[0]!.centroid.animal).toBeCloseTo(cosine(x, centroid), 5);
    await expect(
      client.classify(
        { examples: examples.slice(0, 2), texts: ['x'], pooling: 'mean', layer: 3, k: 3 },
        () => undefined,
      ).done,
    ).rejects.toThrow('at least two labels');
  });

  it('another layer, pooling or k rescores the kept vectors: the scores of a new run, without one', async () => {
    const texts = ['the cat sat', 'hello hello'];
    const first = client.classify({ examples, texts, pooling: 'mean', layer: 3, k: 3 }, () => undefined);
    await first.done;
    const before = runs();
    const rescored = await client.classifyView(first.id, 1, 2, 'cls');
    expect(runs()).toBe(before);
    const fresh = await client.classify({ examples, texts, pooling: 'cls', layer: 1, k: 2 }, () => undefined)
      .done;
    expect(rescored).toEqual(fresh.results);
    // Only the latest classification is kept.
    await expect(client.classifyView(first.id, 1, 2, 'cls')).rejects.toThrow('that classification is gone');
  });
});
