/**
 * Finding ALBERT's parameters in an unmodified ONNX file, for the reference: by the checkpoint's named biases and
 * LayerNorm terms (which every exporter, optimizer and quantizer keeps), then from each Add that reads a bias to the
 * weight multiplied in beside it, whatever form that product takes (MatMul, possibly through Identity; the
 * DynamicQuantizeLinear/MatMulInteger pattern; MatMulNBits; MatMulBnb4). Intermediate tensor names are never read.
 */
import onnxProto from 'onnx-proto';
import { dequantizeBnb4, dequantizeLinearWeight, dequantizeNBits, tensorValues } from './referenceTensors.ts';

type Tensor = onnxProto.onnx.ITensorProto;
type Node = onnxProto.onnx.INodeProto;

/** A Linear as exported for MatMul: `weight` is row-major [inSize, outSize], so `y = x weight + bias`. */
export interface ReferenceLinear {
  weight: Float64Array;
  bias: Float64Array;
  inSize: number;
  outSize: number;
  /** True when the file quantizes this MatMul's input to uint8 at run time (DynamicQuantizeLinear). */
  quantizedInput?: boolean;
}

/** LayerNorm's affine terms and epsilon. */
export interface ReferenceLayerNorm {
  gamma: Float64Array;
  beta: Float64Array;
  eps: number;
}

interface Decoded {
  values: Float64Array;
  dims: number[];
  quantized?: boolean;
}

/** An int attribute of a node; without a fallback, a missing one is an error. */
export function intAttribute(node: Node, name: string, fallback?: number): number {
  const a = node.attribute?.find((x) => x.name === name);
  if (a) return Number(a.i);
  if (fallback === undefined)
    throw new Error(`reference: ${node.opType} ${node.name} has no attribute ${name}`);
  return fallback;
}

/** Who makes and who reads each tensor, with Identity nodes seen through (shared weights hide behind them). */
export class GraphIndex {
  private readonly inits = new Map<string, Tensor>();
  private readonly producers = new Map<string, Node>();
  private readonly consumers = new Map<string, Node[]>();
  private readonly order = new Map<Node, number>();
  readonly nodes: Node[];

  constructor(model: onnxProto.onnx.IModelProto) {
    this.nodes = model.graph?.node ?? [];
    for (const t of model.graph?.initializer ?? []) this.inits.set(t.name ?? '', t);
    this.nodes.forEach((node, i) => {
      this.order.set(node, i);
      for (const o of node.output ?? []) this.producers.set(o, node);
      for (const input of node.input ?? [])
        this.consumers.set(input, [...(this.consumers.get(input) ?? []), node]);
    });
  }

  producer(name: string): Node | undefined {
    const node = this.producers.get(name);
    return node?.opType === 'Identity' ? this.producer(node.input?.[0] ?? '') : node;
  }

  initializer(name: string): Tensor | undefined {
    const node = this.producers.get(name);
    return node?.opType === 'Identity' ? this.initializer(node.input?.[0] ?? '') : this.inits.get(name);
  }

  /** An initializer's values, read by the tensor name a node uses (through Identity). */
  values(name: string): Float64Array {
    const t = this.initializer(name);
    if (!t) throw new Error(`reference: ${name} is not an initializer`);
    return tensorValues(t);
  }

  has(name: string): boolean {
    return this.inits.has(name);
  }

  /** The nodes that read `name`, directly or through Identity nodes, in graph order. */
  readers(name: string): Node[] {
    const direct = (n: string): Node[] =>
      (this.consumers.get(n) ?? []).flatMap((node) =>
        node.opType === 'Identity' ? direct(node.output?.[0] ?? '') : [node],
      );
    return direct(name).toSorted((a, b) => this.order.get(a)! - this.order.get(b)!);
  }

  /** A named initializer; fill-mask exports put the encoder under `albert.`. */
  named(name: string): Decoded & { name: string } {
    for (const full of [`albert.${name}`, name]) {
      const t = this.inits.get(full);
      if (t) return { name: full, values: tensorValues(t), dims: (t.dims ?? []).map(Number) };
    }
    throw new Error(`reference: initializer ${name} (or albert.${name}) is not in the ONNX file`);
  }

  /** The weight [K, N] that `tensor` is some input times, in any form the exporters and quantizers write. */
  weightBehind(tensor: string): Decoded | undefined {
    const node = this.producer(tensor);
    const input = (i: number) => node?.input?.[i] ?? '';
    switch (node?.opType) {
      case 'MatMul': {
        const t = this.initializer(input(1));
        return t?.dims?.length === 2 ? { values: tensorValues(t), dims: t.dims.map(Number) } : undefined;
      }
      case 'MatMulNBits': {
        const [K, N] = [intAttribute(node, 'K'), intAttribute(node, 'N')];
        const zeroPoints = input(3) ? this.values(input(3)) : undefined;
        const values = dequantizeNBits(this.values(input(1)), this.values(input(2)), zeroPoints, {
          K,
          N,
          bits: intAttribute(node, 'bits', 4),
          blockSize: intAttribute(node, 'block_size'),
        });
        return { values, dims: [K, N] };
      }
      case 'MatMulBnb4': {
        const [K, N] = [intAttribute(node, 'K'), intAttribute(node, 'N')];
        const values = dequantizeBnb4(this.values(input(1)), this.values(input(2)), {
          K,
          N,
          blockSize: intAttribute(node, 'block_size'),
          quantType: intAttribute(node, 'quant_type'),
        });
        return { values, dims: [K, N] };
      }
      case 'Mul':
        return this.dynamicallyQuantizedWeight(node);
      default:
        return undefined;
    }
  }

  /** Mul(Cast(MatMulInteger(x_q, W_q, x_zp, W_zp)), Mul(x_scale, W_scale)): W = (W_q - W_zp) * W_scale. */
  private dynamicallyQuantizedWeight(mul: Node): Decoded | undefined {
    const operands = (mul.input ?? []).map((i) => this.producer(i));
    const cast = operands.find((n) => n?.opType === 'Cast');
    const scales = operands.find((n) => n?.opType === 'Mul');
    const mmi = cast && this.producer(cast.input?.[0] ?? '');
    if (mmi?.opType !== 'MatMulInteger' || !scales) return undefined;
    const wq = this.initializer(mmi.input?.[1] ?? '');
    // x_scale is computed at run time; W_scale is the stored operand.
    const scale = (scales.input ?? []).map((i) => this.initializer(i)).find((t) => t !== undefined);
    if (wq?.dims?.length !== 2 || !scale) return undefined;
    const dims = wq.dims.map(Number);
    const zp = mmi.input?.[3] ? this.values(mmi.input[3]) : new Float64Array(1);
    const values = dequantizeLinearWeight(tensorValues(wq), dims[1]!, tensorValues(scale), zp);
    return { values, dims, quantized: true };
  }

  /** A Linear whose product is `product` (a MatMul-like node's output) and whose bias is `bias`. */
  linearFrom(product: string, bias: Float64Array, inSize: number, outSize: number, what: string) {
    const w = this.weightBehind(product);
    if (!w) throw new Error(`reference: no MatMul weight behind ${what}`);
    if (w.dims[0] !== inSize || w.dims[1] !== outSize || bias.length !== outSize)
      throw new Error(
        `reference: ${what} weight is [${w.dims}] with ${bias.length} biases, expected [${inSize},${outSize}]`,
      );
    const linear: ReferenceLinear = { weight: w.values, bias, inSize, outSize };
    if (w.quantized) linear.quantizedInput = true;
    return linear;
  }

  /**
   * Every application of the Linear whose bias is `biasName`, in graph order: each Add reading the bias adds the
   * product of that application's weight (ALBERT's shared layer is applied once per layer, and a quantizer may
   * have rewritten only some of those products).
   */
  linears(biasName: string, inSize: number, outSize: number): ReferenceLinear[] {
    const bias = this.named(biasName);
    const adds = this.readers(bias.name).filter((n) => n.opType === 'Add');
    if (!adds.length) throw new Error(`reference: no Add reads ${biasName}`);
    return adds.map((add) => {
      const product = (add.input ?? []).find((i) => this.initializer(i) === undefined) ?? '';
      return this.linearFrom(product, bias.values, inSize, outSize, biasName);
    });
  }

  layerNorm(name: string, width: number, eps: number): ReferenceLayerNorm {
    const gamma = this.named(`${name}.weight`).values;
    const beta = this.named(`${name}.bias`).values;
    if (gamma.length !== width || beta.length !== width)
      throw new Error(`reference: ${name} has ${gamma.length}/${beta.length} terms, expected ${width}`);
    return { gamma, beta, eps };
  }

  /** Nodes of one op type, in graph order. */
  ofType(opType: string): Node[] {
    return this.nodes.filter((n) => n.opType === opType);
  }
}

/** A float attribute of a node, e.g. a fused LayerNorm's epsilon. */
export function floatAttribute(node: Node, name: string, fallback: number): number {
  const a = node.attribute?.find((x) => x.name === name);
  return a ? Number(a.f) : fallback;
}
