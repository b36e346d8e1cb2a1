/**
 * Compare, many sentences and classification on a sentence-transformers model: its own pooling and
 * normalization make the vectors, texts are cut to its max_seq_length, and each job says how many were cut.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbertEngine } from '../engine/albert.ts';
import { fsSource } from '../engine/node/fsSource.ts';
import { nodeRuntime } from '../engine/node/runtime.ts';
import { pool } from '../engine/pooling.ts';
import { PARAPHRASE_MODEL } from '../engine/testing/fixtures.ts';
import { ApplyHost } from './applyHost.ts';

const LONG = Array.from({ length: 150 }, () => 'cat').join(' ');
let engine: AlbertEngine;
let apply: ApplyHost;
beforeAll(async () => {
  engine = await AlbertEngine.load({
    source: await fsSource(PARAPHRASE_MODEL),
    ...(await nodeRuntime('wasm', 1)),
    backend: 'wasm',
  });
  apply = new ApplyHost(() => engine);
});
afterAll(() => engine.dispose());

describe('sentence jobs on a sentence-transformers model', () => {
  it('many sentences: unit vectors as its Normalize module makes them, long lines cut and counted', async () => {
    const done = await apply.embedLines(1, ['hello world', LONG], 'auto', 8, 2, () => undefined);
    expect(done).toEqual({ count: 2, cancelled: false, truncated: 1, maxLength: 100 });
    const vectors = apply.linesVectors(1, 2);
    for (let i = 0; i < 2; i++)
      expect(Math.hypot(...vectors.data.subarray(i * 32, (i + 1) * 32))).toBeCloseTo(1, 5);
    // The long line's vector is its first 100 tokens' mean, as sentence-transformers computes it.
    const cut = await engine.run(LONG, undefined, { attentions: false, maxLength: 100 });
    expect(cut.ids).toHaveLength(100);
    const mean = pool(cut.hiddenStates[2]!, 'mean');
    const norm = Math.hypot(...mean);
    for (let d = 0; d < 32; d++) expect(vectors.data[32 + d]).toBeCloseTo(mean[d]! / norm, 5);
    // A chosen pooling is raw (not normalized), still cut to the trained length.
    await apply.embedLines(2, ['hello world'], 'max', 8, 2, () => undefined);
    expect(Math.hypot(...apply.linesVectors(2, 2).data)).not.toBeCloseTo(1, 2);
  });

  it('compare cuts both texts to the trained length and says so; classification counts what it cut', async () => {
    const view = await apply.compare(3, LONG, 'hello world');
    expect(view.truncatedTo).toBe(100);
    expect(view.a.tokens).toHaveLength(100);
    const classified = await apply.classify(
      4,
      [
        { label: 'a', text: 'hello world' },
        { label: 'b', text: LONG },
      ],
      ['the cat'],
      'auto',
      2,
      1,
      () => undefined,
    );
    expect([classified.truncated, classified.maxLength, classified.results]).toEqual([
      1,
      100,
      expect.any(Array),
    ]);
  });
});
