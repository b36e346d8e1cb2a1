/**
 * Holds every bundled fixture file of both models, run unmodified by onnxruntime-web, to the independent float64
 * reference reading that same file's weights. If both agree, the fixture is ALBERT as ALBERT.md states it, stored
 * the way the file's kind stores it, and the reference can judge the engine on every real export shape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_ONNX_FILES,
  isDynamicallyQuantized,
  maxAbsDiff,
  modelConfig,
  PARAPHRASE_MODEL,
  precisionOf,
  TINY_MODEL,
  type FixturePrecision,
} from './fixtures.ts';
import {
  readReferenceWeights,
  referenceForward,
  type ReferenceConfig,
  type ReferenceOutputs,
} from './referenceAlbert.ts';

ort.env.wasm.numThreads = 1;

type Output = 'last_hidden_state' | 'logits';

/**
 * Max |onnxruntime - reference| measured on the cases below, last_hidden_state (|x| <= 3.3) / logits (|x| <= 14.2),
 * with the reference reading the file's own (dequantized) weights and, for dynamically quantized files, emulating
 * DynamicQuantizeLinear:
 * - fp32 5.0e-6 / 2.4e-5 (float32 rounding): bound 1e-4.
 * - fp16 3.7e-3 / 1.9e-2: every op rounds to 11 significant bits (~5e-4 relative) through 3 layers: bound ~2.5x.
 * - q8, int8, uint8 1.1e-6 / 2.1e-6: with the run-time activation rounding emulated only float32-vs-float64
 *   arithmetic is left, and no input lands close enough to a uint8 rounding boundary to round the other way:
 *   bound 1e-4. Plain float64 ALBERT on the same stored weights is 0.136-0.278 / 0.58-1.59 away (per case at
 *   least 0.020 / 0.40; checked below).
 * - q4, bnb4 - / 1.0e-5, 1.5e-5: MatMulNBits and MatMulBnb4 multiply float32 inputs by the dequantized weight, so
 *   this is fp32 arithmetic: bound 1e-4. The float checkpoint (model.onnx) is 8.6 / 9.9 away (4-bit weights; per
 *   case at least 5.2, checked below).
 * - q4f16 - / 1.5e-2: fp16 activations: the fp16 bound.
 * - fused (O2, O3) 2.2e-6 / -: fused kernels in float32: bound 1e-4; O2/O3 also match model.onnx's reference.
 * - fused-fp16 (O4) 2.8e-3 / - (4.7e-3 from model.onnx's float weights): the fp16 bound.
 */
const TOLERANCE: Record<FixturePrecision, Partial<Record<Output, number>>> = {
  fp32: { last_hidden_state: 1e-4, logits: 1e-4 },
  fp16: { last_hidden_state: 1e-2, logits: 5e-2 },
  q8: { last_hidden_state: 1e-4, logits: 1e-4 },
  int8: { logits: 1e-4 },
  uint8: { logits: 1e-4 },
  q4: { logits: 1e-4 },
  q4f16: { logits: 5e-2 },
  bnb4: { logits: 1e-4 },
  fused: { last_hidden_state: 1e-4 },
  'fused-fp16': { last_hidden_state: 1e-2 },
};

interface Case {
  name: string;
  ids: number[];
  tokenTypeIds: number[];
  attentionMask: number[];
}

const CASES: Case[] = [
  { name: 'single', ids: [2, 17, 45, 99, 3], tokenTypeIds: [0, 0, 0, 0, 0], attentionMask: [1, 1, 1, 1, 1] },
  {
    name: 'pair',
    ids: [2, 17, 45, 99, 3, 120, 7, 250, 401, 3],
    tokenTypeIds: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    attentionMask: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  },
  {
    name: 'padded',
    ids: [2, 17, 45, 3, 0, 0],
    tokenTypeIds: [0, 0, 0, 0, 0, 0],
    attentionMask: [1, 1, 1, 1, 0, 0],
  },
];

const configOf = (model: string) => modelConfig(model) as unknown as ReferenceConfig;
const weightsOf = (model: string, file: string) =>
  readReferenceWeights(readFileSync(join(model, file)), configOf(model));
const int64 = (values: number[]) =>
  new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);
const outputOf = (ref: ReferenceOutputs, output: Output) =>
  output === 'logits' ? ref.logits! : ref.hiddenStates.at(-1)!;
const run = (w: ReturnType<typeof weightsOf>, c: Case, emulate = false) =>
  referenceForward(w, c.ids, c.tokenTypeIds, c.attentionMask, { emulateDynamicQuantization: emulate });

describe.each(FIXTURE_ONNX_FILES.map((f) => [`${f.model.split('/').at(-1)}/${f.file}`, f] as const))(
  '%s',
  (_, { model, file }) => {
    const bytes = readFileSync(join(model, file));
    const precision = precisionOf(file);
    const weights = readReferenceWeights(bytes, configOf(model));
    const float = weightsOf(model, 'onnx/model.onnx');
    let session: ort.InferenceSession;
    beforeAll(async () => {
      session = await ort.InferenceSession.create(bytes);
    });
    afterAll(() => session.release());

    it.each(CASES)('onnxruntime agrees with the reference ($name)', async (c) => {
      expect(session.outputNames).toHaveLength(1);
      const output = session.outputNames[0] as Output;
      expect(['logits', 'last_hidden_state']).toContain(output);
      const tolerance = TOLERANCE[precision][output];
      expect(tolerance, `no tolerance measured for ${precision} ${output}`).toBeDefined();
      const result = await session.run({
        input_ids: int64(c.ids),
        attention_mask: int64(c.attentionMask),
        token_type_ids: int64(c.tokenTypeIds),
      });
      const actual = result[output]!.data as Float32Array;
      const emulate = isDynamicallyQuantized(precision);
      const expected = outputOf(run(weights, c, emulate), output);
      expect(expected, 'reference has no LM head for a logits output').toBeDefined();
      expect(maxAbsDiff(actual, expected)).toBeLessThanOrEqual(tolerance!);
      if (emulate)
        // Not vacuous: without the emulation the same weights are >= 0.02 away on every case (100x the bound).
        expect(maxAbsDiff(actual, outputOf(run(weights, c), output))).toBeGreaterThan(1e-2);
      if (/q4|bnb4/.test(precision))
        expect(maxAbsDiff(actual, outputOf(run(float, c), output))).toBeGreaterThan(0.5);
      if (precision.startsWith('fused'))
        // The fused kernels compute the same ALBERT as the plain export of the same checkpoint.
        expect(maxAbsDiff(actual, outputOf(run(float, c), output))).toBeLessThanOrEqual(tolerance!);
    });
  },
);

describe('the reference itself', () => {
  const config = configOf(TINY_MODEL);
  const weights = weightsOf(TINY_MODEL, 'onnx/model.onnx');
  const [single, pair, padded] = CASES as [Case, Case, Case];

  it('changes the hidden states at every layer, for 3 and for 2 layers', () => {
    for (const model of [TINY_MODEL, PARAPHRASE_MODEL]) {
      const w = weightsOf(model, 'onnx/model.onnx');
      const { hiddenStates } = referenceForward(w, pair.ids, pair.tokenTypeIds);
      expect(w.layers).toHaveLength(configOf(model).num_hidden_layers);
      expect(hiddenStates).toHaveLength(configOf(model).num_hidden_layers + 1);
      for (let i = 1; i < hiddenStates.length; i++)
        expect(maxAbsDiff(hiddenStates[i]!, hiddenStates[i - 1]!)).toBeGreaterThan(0.1);
    }
  });

  it('has attention rows that sum to 1 and ignore masked keys', () => {
    const seq = padded.ids.length;
    const { attentions } = run(weights, padded);
    expect(attentions).toHaveLength(config.num_hidden_layers);
    for (const probs of attentions)
      for (let row = 0; row < probs.length / seq; row++) {
        const p = probs.subarray(row * seq, (row + 1) * seq);
        expect(p.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
        expect(p[seq - 1]).toBe(0);
        expect(p[seq - 2]).toBe(0);
      }
  });

  it('gives real tokens the same vectors with or without padding', () => {
    const real = padded.attentionMask.filter((m) => m === 1).length;
    const unpadded = referenceForward(weights, padded.ids.slice(0, real), padded.tokenTypeIds.slice(0, real));
    const withPad = run(weights, padded);
    const H = weights.hiddenSize;
    const last = weights.numLayers;
    expect(
      maxAbsDiff(withPad.hiddenStates[last]!.subarray(0, real * H), unpadded.hiddenStates[last]!),
    ).toBeLessThan(1e-12);
  });

  it('reads the decoder as the tied word embeddings', () => {
    const { wordEmbeddings, embeddingSize: E, vocabSize: V, lmHead } = weights;
    const decoder = lmHead!.decoder.weight; // [E, V]
    const transposed = Float64Array.from(
      { length: E * V },
      (_, i) => wordEmbeddings[(i % V) * E + Math.floor(i / V)]!,
    );
    expect(maxAbsDiff(decoder, transposed)).toBe(0);
    expect(referenceForward(weights, single.ids, single.tokenTypeIds).logits).toHaveLength(
      single.ids.length * V,
    );
  });

  it('reads a mixed q8 file as stored: layer 0 quantized, later layers the float weights', () => {
    const q8 = weightsOf(TINY_MODEL, 'onnx/model_quantized.onnx');
    expect([q8.projection, q8.lmHead!.dense, q8.lmHead!.decoder].map((l) => l.quantizedInput)).toEqual([
      true,
      true,
      true,
    ]);
    const linears = (i: number) => {
      const l = q8.layers[i]!;
      return [l.query, l.key, l.value, l.dense, l.ffn, l.ffnOutput];
    };
    expect(linears(0).every((l) => l.quantizedInput)).toBe(true);
    for (let i = 1; i < q8.numLayers; i++) {
      expect(linears(i).some((l) => l.quantizedInput)).toBe(false);
      expect(maxAbsDiff(q8.layers[i]!.ffn.weight, weights.layers[i]!.ffn.weight)).toBe(0);
    }
    // Per-channel, reduce_range int8: within half a step (absmax / 64 / 2) of the float weight, and not equal.
    const error = maxAbsDiff(q8.layers[0]!.ffn.weight, weights.layers[0]!.ffn.weight);
    expect(error).toBeGreaterThan(0);
    expect(error).toBeLessThan(Math.max(...weights.layers[0]!.ffn.weight.map(Math.abs)) / 128);
  });

  it("reads the fused files' packed Q|K|V, dense, FFN and LayerNorm terms as model.onnx's checkpoint", () => {
    const plain = weightsOf(PARAPHRASE_MODEL, 'onnx/model.onnx');
    const fused = weightsOf(PARAPHRASE_MODEL, 'onnx/model_O2.onnx');
    fused.layers.forEach((layer, i) => {
      const expected = plain.layers[i]!;
      for (const key of ['query', 'key', 'value', 'dense', 'ffn', 'ffnOutput'] as const) {
        expect(maxAbsDiff(layer[key].weight, expected[key].weight), key).toBe(0);
        expect(maxAbsDiff(layer[key].bias, expected[key].bias), key).toBe(0);
      }
      expect(maxAbsDiff(layer.fullLayerNorm.gamma, expected.fullLayerNorm.gamma)).toBe(0);
    });
  });
});
