/**
 * An independent ALBERT forward pass, for tests only: plain float64 loops written straight from ALBERT.md, over
 * weights read from an ONNX file's initializers (referenceGraph.ts, referenceLayers.ts). It shares no code with the
 * engine or the fixture generator and never runs onnxruntime, so when it agrees with a session's outputs both are
 * believed, and when they disagree one of them is wrong about ALBERT. Batch 1 only; one shared layer (every
 * released ALBERT), read once per application so that a partly quantized file is computed as it is stored.
 */
import onnxProto from 'onnx-proto';
import { GraphIndex, type ReferenceLayerNorm, type ReferenceLinear } from './referenceGraph.ts';
import { intermediateSize, readLayers, type ReferenceLayer } from './referenceLayers.ts';

export type { ReferenceLayer, ReferenceLayerNorm, ReferenceLinear };

/** The config.json fields the reference needs (extra fields are ignored). */
export interface ReferenceConfig {
  hidden_size: number;
  num_attention_heads: number;
  num_hidden_layers: number;
  layer_norm_eps: number;
  num_hidden_groups?: number;
  inner_group_num?: number;
}

/** ALBERT's parameters in float64 (quantized or float16 weights already dequantized); tables are row-major. */
export interface ReferenceWeights {
  vocabSize: number;
  embeddingSize: number;
  hiddenSize: number;
  numHeads: number;
  numLayers: number;
  /** [vocabSize, embeddingSize] */
  wordEmbeddings: Float64Array;
  /** [maxPositions, embeddingSize] */
  positionEmbeddings: Float64Array;
  /** [typeVocabSize, embeddingSize] */
  tokenTypeEmbeddings: Float64Array;
  embeddingLayerNorm: ReferenceLayerNorm;
  /** `encoder.embedding_hidden_mapping_in`, embeddingSize -> hiddenSize. */
  projection: ReferenceLinear;
  /**
   * The shared layer as each of the numLayers applications reads it, in order. The values are the same
   * checkpoint's; they differ only where a quantizer rewrote some applications and not others.
   */
  layers: ReferenceLayer[];
  /** Masked-LM head; present only in fill-mask exports. */
  lmHead?: { dense: ReferenceLinear; layerNorm: ReferenceLayerNorm; decoder: ReferenceLinear };
}

/** The one Linear that `biasName` belongs to (the projection and the LM head are applied once). */
function single(g: GraphIndex, biasName: string, inSize: number, outSize: number): ReferenceLinear {
  const found = g.linears(biasName, inSize, outSize);
  if (found.length !== 1)
    throw new Error(`reference: ${biasName} is added ${found.length} times, expected once`);
  return found[0]!;
}

/**
 * Reads ALBERT's weights from an unmodified ONNX file of any shape the fixtures imitate: either export kind, any
 * opset, fp32/fp16, dynamically quantized (per tensor or per column, int8 or uint8, whole or mixed), 4-bit
 * (MatMulNBits, MatMulBnb4), onnxslim'd, or onnxruntime-fused (O2-O4).
 */
export function readReferenceWeights(onnxBytes: Uint8Array, config: ReferenceConfig): ReferenceWeights {
  if ((config.num_hidden_groups ?? 1) !== 1 || (config.inner_group_num ?? 1) !== 1)
    throw new Error(
      'reference: only one shared layer (num_hidden_groups = inner_group_num = 1) is supported',
    );
  const H = config.hidden_size;
  const eps = config.layer_norm_eps;
  const g = new GraphIndex(onnxProto.onnx.ModelProto.decode(onnxBytes));
  const word = g.named('embeddings.word_embeddings.weight');
  const [V = 0, E = 0] = word.dims;
  const layers = readLayers(g, {
    hidden: H,
    intermediate: intermediateSize(g),
    heads: config.num_attention_heads,
    layers: config.num_hidden_layers,
    eps,
  });
  return {
    vocabSize: V,
    embeddingSize: E,
    hiddenSize: H,
    numHeads: config.num_attention_heads,
    numLayers: config.num_hidden_layers,
    wordEmbeddings: word.values,
    positionEmbeddings: g.named('embeddings.position_embeddings.weight').values,
    tokenTypeEmbeddings: g.named('embeddings.token_type_embeddings.weight').values,
    embeddingLayerNorm: g.layerNorm('embeddings.LayerNorm', E, eps),
    projection: single(g, 'encoder.embedding_hidden_mapping_in.bias', E, H),
    layers,
    ...(g.has('predictions.bias') && {
      lmHead: {
        dense: single(g, 'predictions.dense.bias', H, E),
        layerNorm: g.layerNorm('predictions.LayerNorm', E, eps),
        decoder: single(g, 'predictions.bias', E, V),
      },
    }),
  };
}

/** Everything the reference computes, float64, batch 1, row-major. */
export interface ReferenceOutputs {
  /** numLayers + 1 tensors [seq, hidden]: the projected embeddings, then each layer's output. */
  hiddenStates: Float64Array[];
  /** numLayers tensors [heads, seq, seq]: softmax over keys. */
  attentions: Float64Array[];
  /** numLayers tensors [heads, seq, seq]: QK^T / sqrt(d_head) + mask term, before softmax. */
  scores: Float64Array[];
  /** [seq, vocab], when the weights include the masked-LM head. */
  logits?: Float64Array;
  /** [seq, embedding_size]: the factorized embeddings (after their LayerNorm), before the projection. */
  embeddings: Float64Array;
}

/**
 * The mask term's constant, float32's minimum as newer exports carry; finite so that exp underflows to exactly 0
 * instead of producing NaN from -inf - -inf in a fully masked row.
 */
const MASK_NEGATIVE = -3.4028234663852886e38;

/** numpy.rint / ONNX rounding: half to even. */
function rint(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * ONNX DynamicQuantizeLinear then back: per-tensor uint8 with a zero point, range widened to include 0, scale
 * in float32 as onnxruntime computes it. Applied to a quantized MatMul's input when emulation is asked for.
 */
function fakeQuantizeUint8(x: Float64Array): Float64Array {
  let min = 0;
  let max = 0;
  for (const v of x) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const scale = Math.fround(Math.fround(max - min) / 255);
  if (scale === 0) return x;
  const zeroPoint = Math.min(255, Math.max(0, rint(-min / scale)));
  return x.map((v) => (Math.min(255, Math.max(0, rint(v / scale) + zeroPoint)) - zeroPoint) * scale);
}

function linearLayer(
  x: Float64Array,
  rows: number,
  l: ReferenceLinear,
  emulateQuantization: boolean,
): Float64Array {
  if (l.quantizedInput && emulateQuantization) x = fakeQuantizeUint8(x);
  const y = new Float64Array(rows * l.outSize);
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < l.outSize; o++) {
      let sum = l.bias[o]!;
      for (let i = 0; i < l.inSize; i++) sum += x[r * l.inSize + i]! * l.weight[i * l.outSize + o]!;
      y[r * l.outSize + o] = sum;
    }
  return y;
}

function layerNorm(x: Float64Array, ln: ReferenceLayerNorm): Float64Array {
  const width = ln.gamma.length;
  const y = new Float64Array(x.length);
  for (let r = 0; r < x.length / width; r++) {
    const row = x.subarray(r * width, (r + 1) * width);
    const mean = row.reduce((a, v) => a + v, 0) / width;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / width;
    const inv = 1 / Math.sqrt(variance + ln.eps);
    for (let i = 0; i < width; i++) y[r * width + i] = (row[i]! - mean) * inv * ln.gamma[i]! + ln.beta[i]!;
  }
  return y;
}

const geluNew = (x: Float64Array) =>
  x.map((v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))));

const add = (a: Float64Array, b: Float64Array) => a.map((v, i) => v + b[i]!);

/** How the reference computes. */
export interface ReferenceOptions {
  /**
   * For dynamically quantized files (q8, int8, uint8): quantize the input of each MatMul the file quantizes (and
   * only those: in a mixed file, layer 0's but not later layers') to uint8 as DynamicQuantizeLinear does at run
   * time, so the comparison isolates the engine from quantization noise (default false: plain float64 ALBERT).
   * 4-bit files need no emulation: their kernels multiply float inputs by the dequantized weight.
   */
  emulateDynamicQuantization?: boolean;
}

/** Runs ALBERT on one sequence exactly as ALBERT.md states it. `attentionMask` defaults to all ones. */
export function referenceForward(
  w: ReferenceWeights,
  ids: number[],
  tokenTypeIds: number[],
  attentionMask: number[] = ids.map(() => 1),
  options: ReferenceOptions = {},
): ReferenceOutputs {
  const emulate = options.emulateDynamicQuantization === true;
  const linear = (x: Float64Array, rows: number, l: ReferenceLinear) => linearLayer(x, rows, l, emulate);
  const seq = ids.length;
  const { embeddingSize: E, hiddenSize: H, numHeads: heads } = w;
  if (tokenTypeIds.length !== seq || attentionMask.length !== seq)
    throw new Error('reference: ids, tokenTypeIds and attentionMask must have the same length');
  if (ids.some((id) => id < 0 || id >= w.vocabSize)) throw new Error('reference: token id out of range');
  if (seq * E > w.positionEmbeddings.length)
    throw new Error('reference: sequence longer than the position table');

  const summed = new Float64Array(seq * E);
  for (let t = 0; t < seq; t++)
    for (let e = 0; e < E; e++)
      summed[t * E + e] =
        w.wordEmbeddings[ids[t]! * E + e]! +
        w.tokenTypeEmbeddings[tokenTypeIds[t]! * E + e]! +
        w.positionEmbeddings[t * E + e]!;
  const embeddings = layerNorm(summed, w.embeddingLayerNorm);
  let h = linear(embeddings, seq, w.projection);
  const hiddenStates = [h];
  const attentions: Float64Array[] = [];
  const allScores: Float64Array[] = [];

  const dHead = H / heads;
  const maskTerm = attentionMask.map((m) => (1 - m) * MASK_NEGATIVE);
  for (const layer of w.layers) {
    const q = linear(h, seq, layer.query);
    const k = linear(h, seq, layer.key);
    const v = linear(h, seq, layer.value);
    const scores = new Float64Array(heads * seq * seq);
    const probs = new Float64Array(heads * seq * seq);
    const context = new Float64Array(seq * H);
    for (let hd = 0; hd < heads; hd++)
      for (let i = 0; i < seq; i++) {
        const row = (hd * seq + i) * seq;
        for (let j = 0; j < seq; j++) {
          let dot = 0;
          for (let d = 0; d < dHead; d++) dot += q[i * H + hd * dHead + d]! * k[j * H + hd * dHead + d]!;
          scores[row + j] = dot / Math.sqrt(dHead) + maskTerm[j]!;
        }
        const max = Math.max(...scores.subarray(row, row + seq));
        let total = 0;
        for (let j = 0; j < seq; j++) {
          probs[row + j] = Math.exp(scores[row + j]! - max);
          total += probs[row + j]!;
        }
        for (let j = 0; j < seq; j++) probs[row + j]! /= total;
        for (let d = 0; d < dHead; d++) {
          let sum = 0;
          for (let j = 0; j < seq; j++) sum += probs[row + j]! * v[j * H + hd * dHead + d]!;
          context[i * H + hd * dHead + d] = sum;
        }
      }
    const a = layerNorm(add(h, linear(context, seq, layer.dense)), layer.attentionLayerNorm);
    const ffnOut = linear(geluNew(linear(a, seq, layer.ffn)), seq, layer.ffnOutput);
    h = layerNorm(add(a, ffnOut), layer.fullLayerNorm);
    hiddenStates.push(h);
    attentions.push(probs);
    allScores.push(scores);
  }

  const out: ReferenceOutputs = { embeddings, hiddenStates, attentions, scores: allScores };
  if (w.lmHead) {
    const { dense, layerNorm: ln, decoder } = w.lmHead;
    out.logits = linear(layerNorm(geluNew(linear(h, seq, dense)), ln), seq, decoder);
  }
  return out;
}
