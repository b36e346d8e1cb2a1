/**
 * What precision a file's numbers come from, read from its graph rather than its name: a renamed or
 * hand-picked file (`model_qint8_avx512.onnx`, a dropped folder) is described by what it computes. The kind is
 * one of the eight dtype names, so its measured distance from fp32 and where it can run follow from it.
 */
import type { Dtype } from '../dtypes.ts';
import type { GraphIndex } from './graphIndex.ts';
import { ElemType, toNumber, type NodeProto } from './proto.ts';

export interface Precision {
  /** The dtype the graph is, by its weight MatMuls and float type. */
  kind: Dtype;
  /** MatMuls with a stored weight, and how many of them run on quantized weights. */
  weightMatMuls: number;
  quantizedMatMuls: number;
  /** The activations' float type. */
  computeType: 'float32' | 'float16';
  /** One line for people, e.g. "int8 weights per channel in 9 of 24 weight MatMuls; the rest float32". */
  summary: string;
}

const INTEGER_MATMULS = new Set(['MatMulInteger', 'DynamicQuantizeMatMul', 'MatMulIntegerToFloat']);

/** The initializer a tensor is, seen through Identity (shared weights hide behind them). */
function initializerOf(g: GraphIndex, tensor: string | undefined): string | undefined {
  let t = tensor;
  for (let p = t ? g.producerOf(t) : undefined; p?.opType === 'Identity'; p = g.producerOf(t!))
    t = p.input![0];
  return t && g.initializers.has(t) ? t : undefined;
}

export function describePrecision(g: GraphIndex, dims: (name: string) => number[] | undefined): Precision {
  const computeType = [...g.initializers].some((t) => g.elemType.get(t) === ElemType.FLOAT16)
    ? 'float16'
    : 'float32';
  const float = computeType === 'float16' ? 'float16' : 'float32';
  const count = (op: string | Set<string>) =>
    g.nodes.filter((n) => (typeof op === 'string' ? n.opType === op : op.has(n.opType!))).length;
  const floatWeights = g.nodes.filter(
    (n) => n.opType === 'MatMul' && initializerOf(g, n.input?.[1]) !== undefined,
  ).length;
  const nbits = count('MatMulNBits');
  const bnb4 = count('MatMulBnb4');
  const integer = g.nodes.filter((n) => INTEGER_MATMULS.has(n.opType!));
  const quantized = nbits + bnb4 + integer.length;
  const of = `${quantized} of ${quantized + floatWeights} weight MatMuls${floatWeights ? `; the rest ${float}` : ''}`;
  const base = { weightMatMuls: quantized + floatWeights, quantizedMatMuls: quantized, computeType } as const;
  if (bnb4) return { ...base, kind: 'bnb4', summary: `4-bit NF4 weights (blocks of 64) in ${of}` };
  if (nbits)
    return {
      ...base,
      kind: computeType === 'float16' ? 'q4f16' : 'q4',
      summary: `4-bit weights (blocks of 32) in ${of}${computeType === 'float16' ? ', float16 activations' : ''}`,
    };
  if (integer.length) {
    const { type, perChannel } = integerWeights(g, integer, dims);
    const name = type === ElemType.UINT8 ? 'uint8' : 'int8';
    const layout = perChannel ? 'per channel' : 'per tensor';
    const kind: Dtype = perChannel || floatWeights > 0 ? 'q8' : name;
    return {
      ...base,
      kind,
      summary: `${name} weights ${layout}, activations quantized at run time, in ${of}`,
    };
  }
  if (computeType === 'float16')
    return { ...base, kind: 'fp16', summary: 'float16 weights and activations (float32 inputs and outputs)' };
  return { ...base, kind: 'fp32', summary: 'float32 weights and activations' };
}

/** The stored weight type of integer MatMuls, and whether any has one scale per output column. */
function integerWeights(
  g: GraphIndex,
  nodes: NodeProto[],
  dims: (name: string) => number[] | undefined,
): { type: number | undefined; perChannel: boolean } {
  let type: number | undefined;
  let perChannel = false;
  for (const node of nodes) {
    const weight = initializerOf(g, node.input?.[1]);
    if (weight) type ??= g.elemType.get(weight);
    // MatMulInteger's fourth input is the weight's zero point: a vector when quantized per column.
    const zeroPoint = initializerOf(g, node.input?.[3]);
    const shape = zeroPoint ? dims(zeroPoint) : undefined;
    if (shape && shape.reduce((a, d) => a * toNumber(d), 1) > 1) perChannel = true;
  }
  return { type, perChannel };
}
