/**
 * Fill-mask: the softmax and top-k on small logits with answers worked out by hand, and the engine's
 * predictions on the bundled fill-mask export against the independent float64 reference's logits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbertEngine } from './albert.ts';
import { maskPositions, maskPredictions, topIndices } from './fillMask.ts';
import { TINY_MODEL, tinyConfig } from './testing/fixtures.ts';
import { readReferenceWeights, referenceForward, type ReferenceConfig } from './testing/referenceAlbert.ts';
import { tinyEngine } from './testing/tinyEngine.ts';

const tensor = (rows: number[][]) => ({
  data: Float32Array.from(rows.flat()),
  dims: [rows.length, rows[0]!.length],
});
const names = (id: number) => ['a', 'b', 'c', 'd', 'e'][id];

describe('maskPredictions', () => {
  it('takes the softmax over the whole row and keeps the top k, ties in id order', () => {
    const logits = tensor([
      [0, 0, 0, 0, 0],
      [2, 5, 5, -1, 5],
    ]);
    const [p] = maskPredictions(logits, [1], 3, names);
    const total = 3 * Math.exp(5) + Math.exp(2) + Math.exp(-1);
    expect(p!.position).toBe(1);
    expect(p!.top.map((t) => [t.id, t.token, t.logit])).toEqual([
      [1, 'b', 5],
      [2, 'c', 5],
      [4, 'e', 5],
    ]);
    for (const t of p!.top) expect(t.probability).toBeCloseTo(Math.exp(5) / total, 12);
    // Equal logits: equal probabilities, uniform over the row.
    const [uniform] = maskPredictions(logits, [0], 2, names);
    expect(uniform!.top.map((t) => [t.id, t.probability])).toEqual([
      [0, 0.2],
      [1, 0.2],
    ]);
  });

  it('is stable for large negative and large positive logits, where plain exp under- or overflows', () => {
    const [low, high] = maskPredictions(
      tensor([
        [-802, -800, -801],
        [1000, 999, 998],
      ]),
      [0, 1],
      3,
      names,
    );
    const z = 1 + Math.exp(-1) + Math.exp(-2);
    expect(low!.top.map((t) => t.id)).toEqual([1, 2, 0]);
    expect(high!.top.map((t) => t.id)).toEqual([0, 1, 2]);
    for (const p of [low!, high!])
      [1, Math.exp(-1), Math.exp(-2)].forEach((e, i) => expect(p.top[i]!.probability).toBeCloseTo(e / z, 14));
  });

  it('asks for more pieces than the vocabulary: all of them; unknown ids are named; bad input is refused', () => {
    const [p] = maskPredictions(tensor([[-1, -3]]), [0], 10, () => undefined);
    expect(p!.top.map((t) => t.token)).toEqual(['<id 0>', '<id 1>']);
    expect(p!.top[0]!.probability + p!.top[1]!.probability).toBeCloseTo(1, 12);
    expect(() => maskPredictions(tensor([[1, 2]]), [1], 2, names)).toThrow(/outside the 1 tokens/);
    expect(() => maskPredictions({ data: new Float32Array(4), dims: [4] }, [0], 2, names)).toThrow(
      /shape \[tokens, vocab\]/,
    );
  });

  it('selects the same top k as a full sort on a long row', () => {
    const row = Float32Array.from({ length: 30_000 }, (_, i) => Math.sin(i * 12.9898) * 43.758);
    const sorted = [...row.keys()].toSorted((a, b) => row[b]! - row[a]! || a - b);
    expect(topIndices(row, 10)).toEqual(sorted.slice(0, 10));
    expect(topIndices(row, 0)).toEqual([]);
    expect(topIndices([1, NaN, 2], 3)).toEqual([2, 0, 1]);
  });
});

describe('maskPositions', () => {
  it('finds the special [MASK] tokens, not the same characters as plain pieces', () => {
    expect(
      maskPositions({
        tokens: ['[CLS]', '▁the', '[MASK]', '[MASK]', '[SEP]'],
        special: [true, false, true, false, true],
      }),
    ).toEqual([2]);
  });
});

describe.each(['onnx/model.onnx', 'onnx/variants/fill-mask-opset17-fp32.onnx'])(
  'fill-mask on %s against the float64 reference',
  (file) => {
    const weights = readReferenceWeights(
      readFileSync(join(TINY_MODEL, file)),
      tinyConfig() as unknown as ReferenceConfig,
    );
    let engine: AlbertEngine;
    beforeAll(async () => {
      engine = await tinyEngine({
        modelFile: file,
      });
    });
    afterAll(() => engine.dispose());

    it.each([
      ['the [MASK] sat on the mat', undefined, 1],
      ['the [MASK] sat on the [MASK].', 'paris is the [MASK] of france', 3],
    ])('top 10 of %j / %j (%d masks)', async (text, pair, masks) => {
      const run = await engine.run(text, pair, { logits: true, attentions: false });
      const positions = maskPositions(run);
      expect(positions).toHaveLength(masks);
      const predictions = maskPredictions(run.logits!, positions, 10, (id) => engine.tokenizer.idToToken(id));
      const ref = referenceForward(weights, run.ids, run.tokenTypeIds).logits!;
      const vocab = weights.vocabSize;
      for (const { position, top } of predictions) {
        const row = ref.subarray(position * vocab, (position + 1) * vocab);
        // The reference's answer by a full sort and a plain float64 softmax.
        const order = [...row.keys()].toSorted((a, b) => row[b]! - row[a]!);
        const max = row[order[0]!]!;
        const total = row.reduce((s, v) => s + Math.exp(v - max), 0);
        expect(top.map((t) => t.id)).toEqual(order.slice(0, 10));
        top.forEach((t, i) => {
          expect(Math.abs(t.probability - Math.exp(row[order[i]!]! - max) / total)).toBeLessThan(1e-5);
          expect(t.token).toBe(engine.tokenizer.idToToken(t.id));
        });
        expect(top.reduce((s, t) => s + t.probability, 0)).toBeLessThanOrEqual(1);
      }
    });

    it('gives the same predictions when the text is padded as in a batch', async () => {
      const text = 'the [MASK] sat on the mat';
      const plain = await engine.run(text, undefined, { logits: true, attentions: false });
      const padded = await engine.run(text, undefined, { logits: true, attentions: false, padTo: 16 });
      const top = (run: typeof plain) =>
        maskPredictions(run.logits!, maskPositions(run), 10, () => '')[0]!.top;
      expect(maskPositions(padded)).toEqual([2]);
      expect(top(padded).map((t) => t.id)).toEqual(top(plain).map((t) => t.id));
      top(padded).forEach((t, i) =>
        expect(Math.abs(t.probability - top(plain)[i]!.probability)).toBeLessThan(1e-5),
      );
    });
  },
);
