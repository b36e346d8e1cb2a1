/**
 * An independent ALBERT forward pass, for tests only: plain float64 loops written straight from ALBERT.md, over
 * weights read from an ONNX file's initializers. It shares no code with the engine or the fixture generator and
 * never runs onnxruntime, so when it agrees with a session's outputs both are believed, and when they disagree
 * one of them is wrong about ALBERT. Batch 1 only; one shared layer (every released ALBERT).
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type Tensor = onnxProto.onnx.ITensorProto;
type Node = onnxProto.onnx.INodeProto;

/** The config.json fields the reference needs (extra fields are ignored). */
export interface ReferenceConfig {
  hidden_size: number;
  num_attention_heads: number;
  num_hidden_layers: number;
  layer_norm_eps: number;
  num_hidden_groups?: number;
  inner_group_num?: number;
}

/** A Linear as exported for MatMul: `weight` is row-major [inSize, outSize], so `y = x weight + bias`. */
export interface ReferenceLinear {
  weight: Float64Array;
  bias: Float64Array;
  inSize: number;
  outSize: number;
  /** True when the file quantizes this MatMul (q8): its input is quantized to uint8 at run time. */
  quantizedInput?: boolean;
}

/** LayerNorm's affine terms and epsilon. */
export interface ReferenceLayerNorm {
  gamma: Float64Array;
  beta: Float64Array;
  eps: number;
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
  /** The one shared layer, applied numLayers times. */
  layer: {
    query: ReferenceLinear;
    key: ReferenceLinear;
    value: ReferenceLinear;
    dense: ReferenceLinear;
    attentionLayerNorm: ReferenceLayerNorm;
    ffn: ReferenceLinear;
    ffnOutput: ReferenceLinear;
    fullLayerNorm: ReferenceLayerNorm;
  };
  /** Masked-LM head; present only in fill-mask exports. */
  lmHead?: { dense: ReferenceLinear; layerNorm: ReferenceLayerNorm; decoder: ReferenceLinear };
}

const DataType = onnx.TensorProto.DataType;

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Decodes any tensor the fixtures use to float64, from raw_data (little-endian) or the typed fields. */
function tensorValues(t: Tensor): Float64Array {
  const count = (t.dims ?? []).reduce<number>((a, d) => a * Number(d), 1);
  const raw =
    t.rawData && t.rawData.length ? new DataView(t.rawData.buffer, t.rawData.byteOffset) : undefined;
  const read = (fromRaw: (i: number) => number, fallback: ArrayLike<unknown> | null | undefined) =>
    Float64Array.from({ length: count }, (_, i) => (raw ? fromRaw(i) : Number(fallback?.[i])));
  switch (t.dataType) {
    case DataType.FLOAT:
      return read((i) => raw!.getFloat32(i * 4, true), t.floatData);
    case DataType.FLOAT16: {
      // Without raw_data, ONNX keeps float16 bit patterns in int32_data.
      const bits = read((i) => raw!.getUint16(i * 2, true), t.int32Data);
      return bits.map(halfToFloat);
    }
    case DataType.INT8:
      return read((i) => raw!.getInt8(i), t.int32Data);
    case DataType.UINT8:
      return read((i) => raw!.getUint8(i), t.int32Data);
    case DataType.INT64:
      return read((i) => Number(raw!.getBigInt64(i * 8, true)), t.int64Data);
    default:
      throw new Error(`reference: initializer ${t.name} has unsupported data type ${t.dataType}`);
  }
}

interface Decoded {
  values: Float64Array;
  dims: number[];
  quantized?: boolean;
}

/** A 2-D initializer decoded, or undefined for anything else (a MatMul between two activations). */
function matrix(t: Tensor | undefined): Decoded | undefined {
  return t?.dims?.length === 2 ? { values: tensorValues(t), dims: t.dims.map(Number) } : undefined;
}

/** Who makes and who reads each tensor, with Identity nodes seen through (shared weights hide behind them). */
class GraphIndex {
  private readonly inits = new Map<string, Tensor>();
  private readonly producers = new Map<string, Node>();
  private readonly consumers = new Map<string, Node[]>();

  constructor(model: onnxProto.onnx.IModelProto) {
    for (const t of model.graph?.initializer ?? []) this.inits.set(t.name ?? '', t);
    for (const node of model.graph?.node ?? []) {
      for (const o of node.output ?? []) this.producers.set(o, node);
      for (const i of node.input ?? []) this.consumers.set(i, [...(this.consumers.get(i) ?? []), node]);
    }
  }

  producer(name: string): Node | undefined {
    const node = this.producers.get(name);
    return node?.opType === 'Identity' ? this.producer(node.input?.[0] ?? '') : node;
  }

  initializer(name: string): Tensor | undefined {
    const node = this.producers.get(name);
    return node?.opType === 'Identity' ? this.initializer(node.input?.[0] ?? '') : this.inits.get(name);
  }

  has(name: string): boolean {
    return this.inits.has(name);
  }

  /** The nodes that read `name`, directly or through any chain of Identity nodes. */
  readers(name: string): Node[] {
    return (this.consumers.get(name) ?? []).flatMap((n) =>
      n.opType === 'Identity' ? this.readers(n.output?.[0] ?? '') : [n],
    );
  }

  /** A named initializer; fill-mask exports put the encoder under `albert.`. */
  named(name: string): Decoded & { name: string } {
    for (const full of [`albert.${name}`, name]) {
      const t = this.inits.get(full);
      if (t) return { name: full, values: tensorValues(t), dims: (t.dims ?? []).map(Number) };
    }
    throw new Error(`reference: initializer ${name} (or albert.${name}) is not in the ONNX file`);
  }

  /** The weight multiplied into `tensor`: MatMul(x, W), or the q8 form Mul(Cast(MatMulInteger), Mul(scales)). */
  weightBehind(tensor: string): Decoded | undefined {
    const node = this.producer(tensor);
    if (node?.opType === 'MatMul') return matrix(this.initializer(node.input?.[1] ?? ''));
    if (node?.opType !== 'Mul') return undefined;
    const operands = (node.input ?? []).map((i) => this.producer(i));
    const cast = operands.find((n) => n?.opType === 'Cast');
    const scales = operands.find((n) => n?.opType === 'Mul');
    const mmi = cast && this.producer(cast.input?.[0] ?? '');
    if (mmi?.opType !== 'MatMulInteger' || !scales) return undefined;
    // MatMulInteger(x_q, W_q, x_zp, W_zp): the weight side is input 1 and 3; x_scale is computed, W_scale stored.
    const wq = matrix(this.initializer(mmi.input?.[1] ?? ''));
    const scaleTensor = (scales.input ?? []).map((i) => this.initializer(i)).find((t) => t !== undefined);
    if (!wq || !scaleTensor) return undefined;
    const zpTensor = this.initializer(mmi.input?.[3] ?? '');
    const zp = zpTensor ? tensorValues(zpTensor) : new Float64Array(1);
    const scale = tensorValues(scaleTensor);
    // Per-tensor (length 1) or per-output-column quantization parameters.
    const at = (v: Float64Array, i: number) => v[v.length === 1 ? 0 : i % wq.dims[1]!]!;
    return {
      values: wq.values.map((q, i) => (q - at(zp, i)) * at(scale, i)),
      dims: wq.dims,
      quantized: true,
    };
  }

  /** A Linear found from its named bias: the Add reading it adds the MatMul product of the anonymous weight. */
  linear(biasName: string, inSize: number, outSize: number): ReferenceLinear {
    const bias = this.named(biasName);
    for (const add of this.readers(bias.name)) {
      if (add.opType !== 'Add') continue;
      for (const other of add.input ?? []) {
        const w = this.weightBehind(other);
        if (!w) continue;
        if (w.dims[0] !== inSize || w.dims[1] !== outSize || bias.values.length !== outSize)
          throw new Error(
            `reference: ${biasName} weight is [${w.dims}] with ${bias.values.length} biases, expected [${inSize},${outSize}]`,
          );
        return { weight: w.values, bias: bias.values, inSize, outSize, quantizedInput: w.quantized === true };
      }
    }
    throw new Error(
      `reference: no MatMul weight found for ${biasName} (no Add(MatMul(x, W), bias) reads it)`,
    );
  }

  layerNorm(name: string, width: number, eps: number): ReferenceLayerNorm {
    const gamma = this.named(`${name}.weight`).values;
    const beta = this.named(`${name}.bias`).values;
    if (gamma.length !== width || beta.length !== width)
      throw new Error(`reference: ${name} has ${gamma.length}/${beta.length} terms, expected ${width}`);
    return { gamma, beta, eps };
  }
}

const LAYER = 'encoder.albert_layer_groups.0.albert_layers.0.';

/** Reads ALBERT's weights from an unmodified ONNX export (feature-extraction or fill-mask, fp32/fp16/q8). */
export function readReferenceWeights(onnxBytes: Uint8Array, config: ReferenceConfig): ReferenceWeights {
  if ((config.num_hidden_groups ?? 1) !== 1 || (config.inner_group_num ?? 1) !== 1)
    throw new Error(
      'reference: only one shared layer (num_hidden_groups = inner_group_num = 1) is supported',
    );
  const H = config.hidden_size;
  const eps = config.layer_norm_eps;
  const g = new GraphIndex(onnx.ModelProto.decode(onnxBytes));
  const word = g.named('embeddings.word_embeddings.weight');
  const [V = 0, E = 0] = word.dims;
  const I = g.named(`${LAYER}ffn.bias`).values.length;
  const hasLmHead = g.has('predictions.bias');
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
    projection: g.linear('encoder.embedding_hidden_mapping_in.bias', E, H),
    layer: {
      query: g.linear(`${LAYER}attention.query.bias`, H, H),
      key: g.linear(`${LAYER}attention.key.bias`, H, H),
      value: g.linear(`${LAYER}attention.value.bias`, H, H),
      dense: g.linear(`${LAYER}attention.dense.bias`, H, H),
      attentionLayerNorm: g.layerNorm(`${LAYER}attention.LayerNorm`, H, eps),
      ffn: g.linear(`${LAYER}ffn.bias`, H, I),
      ffnOutput: g.linear(`${LAYER}ffn_output.bias`, I, H),
      fullLayerNorm: g.layerNorm(`${LAYER}full_layer_layer_norm`, H, eps),
    },
    ...(hasLmHead && {
      lmHead: {
        dense: g.linear('predictions.dense.bias', H, E),
        layerNorm: g.layerNorm('predictions.LayerNorm', E, eps),
        decoder: g.linear('predictions.bias', E, V),
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
 * in float32 as onnxruntime computes it. Applied to a q8 file's MatMul inputs when emulation is asked for.
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

export interface ReferenceOptions {
  /**
   * For q8 files: quantize each quantized MatMul's input to uint8 as DynamicQuantizeLinear does at run time,
   * so the comparison isolates the engine from quantization noise (default false: plain float64 ALBERT).
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
  const { embeddingSize: E, hiddenSize: H, numHeads: heads, layer } = w;
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
  for (let l = 0; l < w.numLayers; l++) {
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
