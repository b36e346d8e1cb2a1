/**
 * The engine's numbers against the independent float64 reference, on every ONNX variant of the bundled model:
 * both export kinds, opsets 11/14/17, fp32/fp16/q8. Hidden states (all L+1), attention probabilities and
 * pre-softmax scores (all L) are compared, for a single text and a pair.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbertEngine, type AlbertRun } from './albert.ts';
import { fsSource } from './node/fsSource.ts';
import { pool, poolBatch } from './pooling.ts';
import { nodeRuntime, type NodeRuntime } from './node/runtime.ts';
import { maxAbsDiff, precisionOf, TINY_MODEL, TINY_ONNX_FILES, tinyConfig } from './testing/fixtures.ts';
import { readReferenceWeights, referenceForward, type ReferenceConfig } from './testing/referenceAlbert.ts';

/**
 * Max |error| against float64 (measured: hidden / attention / scores / logits), and the bound enforced:
 * - fp32: 5.2e-6 / 3.0e-6 / 2.8e-5 / 1.9e-5 — bound 1e-4, the issue's.
 * - fp16: 7.4e-3 / 1.1e-2 / 4.9e-2 / 2.0e-2 — every op rounds to 11 significant bits (~5e-4 relative) and
 *   the error grows through 3 layers; scores (|x| ≤ 15, where a half step is 2^-7) carry the most. Exposing a
 *   half tensor as an output keeps its half rounding, which onnxruntime may otherwise skip. Bound ~2x that.
 * - q8: 7.4e-7 / 2.0e-6 / 9.6e-6 / 1.8e-6 against the reference emulating DynamicQuantizeLinear; plain float64
 *   ALBERT is ~0.1 away (tested below). Bound 2e-3: a value on a uint8 rounding boundary may round one step
 *   (range/255) differently in float32 and float64.
 */
const TOLERANCE = {
  fp32: { hidden: 1e-4, attention: 1e-4, scores: 1e-4, logits: 1e-4 },
  fp16: { hidden: 1.5e-2, attention: 2.5e-2, scores: 1e-1, logits: 5e-2 },
  q8: { hidden: 2e-3, attention: 2e-3, scores: 2e-3, logits: 2e-3 },
};

const CASES: [string, string | undefined][] = [
  ['The quick brown fox jumps over the lazy dog.', undefined],
  ['hello world', 'How are you doing?'],
];

let runtime: NodeRuntime;
beforeAll(async () => {
  runtime = await nodeRuntime('wasm', 1);
});

describe.each(TINY_ONNX_FILES)('engine on %s', (file) => {
  const precision = precisionOf(file);
  // No engine bound is measured yet for the newer kinds (int8, uint8, q4, q4f16, bnb4): those fail below.
  const tol = TOLERANCE[precision as keyof typeof TOLERANCE];
  const config = tinyConfig();
  const weights = readReferenceWeights(
    readFileSync(join(TINY_MODEL, file)),
    config as unknown as ReferenceConfig,
  );
  let engine: AlbertEngine;
  beforeAll(async () => {
    engine = await AlbertEngine.load({
      source: await fsSource(TINY_MODEL),
      ...runtime,
      backend: 'wasm',
      modelFile: file,
    });
  });
  afterAll(() => engine.dispose());

  it.each(CASES)('matches the float64 reference for %j / %j', async (text, pair) => {
    expect(tol, `no engine tolerance for ${precision} files yet`).toBeDefined();
    const run: AlbertRun = await engine.run(text, pair, {
      embeddings: true,
      attentionScores: true,
      logits: true,
    });
    const L = config.num_hidden_layers!;
    const n = run.ids.length;
    expect(run.hiddenStates).toHaveLength(L + 1);
    expect(run.attentions).toHaveLength(L);
    expect(run.attentionScores).toHaveLength(L);
    for (const h of run.hiddenStates) expect(h.dims).toEqual([n, config.hidden_size]);
    for (const a of run.attentions) expect(a.dims).toEqual([config.num_attention_heads, n, n]);

    const ref = referenceForward(weights, run.ids, run.tokenTypeIds, undefined, {
      emulateDynamicQuantization: precision === 'q8',
    });
    expect(run.embeddings!.dims).toEqual([n, config.embedding_size]);
    expect(maxAbsDiff(run.embeddings!.data, ref.embeddings), 'embeddings').toBeLessThan(tol.hidden);
    run.hiddenStates.forEach((h, i) =>
      expect(maxAbsDiff(h.data, ref.hiddenStates[i]!), `hidden ${i}`).toBeLessThan(tol.hidden),
    );
    run.attentions.forEach((a, i) =>
      expect(maxAbsDiff(a.data, ref.attentions[i]!), `attention ${i}`).toBeLessThan(tol.attention),
    );
    run.attentionScores.forEach((s, i) =>
      expect(maxAbsDiff(s.data, ref.scores[i]!), `scores ${i}`).toBeLessThan(tol.scores),
    );
    if (file.includes('feature-extraction')) expect(run.logits).toBeUndefined();
    else expect(maxAbsDiff(run.logits!.data, ref.logits!)).toBeLessThan(tol.logits);
  });
});

describe('engine outputs', () => {
  it('plain float64 ALBERT is far from q8 numbers, so the q8 check above is not vacuous', async () => {
    const file = 'onnx/model_quantized.onnx';
    const engine = await AlbertEngine.load({
      source: await fsSource(TINY_MODEL),
      ...runtime,
      backend: 'wasm',
      modelFile: file,
    });
    const run = await engine.run('The quick brown fox jumps over the lazy dog.');
    const weights = readReferenceWeights(
      readFileSync(join(TINY_MODEL, file)),
      tinyConfig() as unknown as ReferenceConfig,
    );
    const plain = referenceForward(weights, run.ids, run.tokenTypeIds);
    expect(maxAbsDiff(run.hiddenStates[3]!.data, plain.hiddenStates[3]!)).toBeGreaterThan(1e-2);
    await engine.dispose();
  });

  it('fetches only what is asked for, and reuses one surgery per model file', async () => {
    const source = await fsSource(TINY_MODEL);
    const a = await AlbertEngine.load({ source, ...runtime, backend: 'wasm' });
    const b = await AlbertEngine.load({ source, ...runtime, backend: 'wasm' });
    expect(b.prepared).toBe(a.prepared);
    const defaults = await a.run('hello world');
    expect(defaults.attentions).toHaveLength(3);
    expect(defaults.attentionScores).toEqual([]);
    const run = await a.run('hello world', undefined, { attentions: false });
    expect(run.hiddenStates).toHaveLength(4);
    expect(run.attentions).toEqual([]);
    expect(run.attentionScores).toEqual([]);
    expect(run.logits).toBeUndefined();
    expect(run.timings.inferenceMs).toBeGreaterThan(0);
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it('serializes concurrent runs and keeps each result with its text', async () => {
    const engine = await AlbertEngine.load({
      source: await fsSource(TINY_MODEL),
      ...runtime,
      backend: 'wasm',
    });
    const texts = ['hello world', 'the cat sat on the mat', 'paris is the capital of france'];
    const runs = await Promise.all(texts.map((t) => engine.run(t)));
    const alone = await engine.run(texts[1]!);
    expect(runs.map((r) => r.tokens.length)).toEqual([4, 8, 8]);
    expect(maxAbsDiff(runs[1]!.hiddenStates[3]!.data, alone.hiddenStates[3]!.data)).toBe(0);
    await engine.dispose();
  });

  it('pads like a batch: pads masked out, real tokens unchanged, as the reference computes with that mask', async () => {
    const engine = await AlbertEngine.load({
      source: await fsSource(TINY_MODEL),
      ...runtime,
      backend: 'wasm',
    });
    const plain = await engine.run('hello world');
    const padded = await engine.run('hello world', undefined, { padTo: 7 });
    expect(padded.tokens).toEqual(['[CLS]', '▁hello', '▁world', '[SEP]', '<pad>', '<pad>', '<pad>']);
    expect(padded.ids.slice(4)).toEqual([0, 0, 0]);
    expect([padded.padding, padded.special.slice(4), padded.offsets.slice(4)]).toEqual([
      3,
      [true, true, true],
      [null, null, null],
    ]);
    const weights = readReferenceWeights(
      readFileSync(join(TINY_MODEL, 'onnx/model.onnx')),
      tinyConfig() as unknown as ReferenceConfig,
    );
    const ref = referenceForward(weights, padded.ids, padded.tokenTypeIds, [1, 1, 1, 1, 0, 0, 0]);
    for (let l = 0; l <= 3; l++) {
      expect(maxAbsDiff(padded.hiddenStates[l]!.data, ref.hiddenStates[l]!)).toBeLessThan(1e-4);
      // The real tokens' vectors are those of the unpadded run.
      expect(
        maxAbsDiff(padded.hiddenStates[l]!.data.subarray(0, 4 * 32), plain.hiddenStates[l]!.data),
      ).toBeLessThan(1e-5);
    }
    // No query gives any weight to a pad.
    for (const a of padded.attentions)
      for (let h = 0; h < 4; h++)
        for (let q = 0; q < 7; q++)
          for (let k = 4; k < 7; k++) expect(a.data[(h * 7 + q) * 7 + k]).toBeLessThan(1e-12);
    // Asking for fewer tokens than the text has pads nothing; the model's maximum caps the length.
    expect((await engine.run('hello world', undefined, { padTo: 2 })).padding).toBe(0);
    expect((await engine.run('hello', undefined, { padTo: 10_000 })).tokens).toHaveLength(512);
    await engine.dispose();
  });

  it('runs a batch padded to its longest text: each text’s vectors and pooled vectors equal its own run’s', async () => {
    const engine = await AlbertEngine.load({
      source: await fsSource(TINY_MODEL),
      ...runtime,
      backend: 'wasm',
    });
    const texts = ['hello', 'the cat sat on the mat', 'hello world'];
    const batch = await engine.runBatch(texts, [0, 3]);
    expect(batch.hiddenStates.map((h) => h.dims)).toEqual([
      [3, 8, 32],
      [3, 8, 32],
    ]);
    const lengths = batch.encodings.map((e) => e.ids.length);
    expect(lengths).toEqual([3, 8, 4]);
    for (const [b, text] of texts.entries()) {
      const alone = await engine.run(text, undefined, { attentions: false });
      for (const [i, layer] of [0, 3].entries()) {
        const rows = batch.hiddenStates[i]!.data.subarray(b * 8 * 32, (b * 8 + lengths[b]!) * 32);
        expect(maxAbsDiff(rows, alone.hiddenStates[layer]!.data)).toBeLessThan(1e-5);
        for (const pooling of ['mean', 'cls', 'max'] as const)
          expect(
            maxAbsDiff(
              poolBatch(batch.hiddenStates[i]!, lengths, pooling)[b]!,
              pool(alone.hiddenStates[layer]!, pooling),
            ),
          ).toBeLessThan(1e-5);
      }
    }
    await expect(engine.runBatch(['x'], [9])).rejects.toThrow('no layer 9 in this model');
    await engine.dispose();
  });
});
