/**
 * A read-only index over an ONNX graph: who produces and who consumes each tensor, each node's position in
 * the (topologically sorted) node list, element types inferred forward from inputs and initializers, and which
 * tensors carry data that depends on the token ids (as opposed to shapes and constants).
 */
import { ElemType, toNumber, type GraphProto, type NodeProto } from './proto.ts';

/** Ops whose outputs describe a tensor's shape, not its values: data dependence stops there. */
const SHAPE_OPS = new Set(['Shape', 'Size']);

export class GraphIndex {
  readonly nodes: NodeProto[];
  readonly producer = new Map<string, number>();
  readonly consumers = new Map<string, number[]>();
  readonly initializers = new Set<string>();
  readonly graphInputs = new Set<string>();
  readonly graphOutputs: string[];
  readonly elemType = new Map<string, number>();
  /** Tensors whose values depend on `input_ids`. */
  readonly dataTensors = new Set<string>();

  constructor(graph: GraphProto) {
    this.nodes = graph.node as NodeProto[];
    for (const t of graph.initializer) {
      this.initializers.add(t.name ?? '');
      this.elemType.set(t.name ?? '', t.dataType ?? 0);
    }
    for (const input of graph.input) {
      this.graphInputs.add(input.name ?? '');
      const type = input.type?.tensorType?.elemType;
      if (type) this.elemType.set(input.name ?? '', type);
    }
    this.graphOutputs = graph.output.map((o) => o.name ?? '');
    if (this.graphInputs.has('input_ids')) this.dataTensors.add('input_ids');
    this.nodes.forEach((node, i) => {
      for (const out of node.output ?? []) this.producer.set(out, i);
      for (const input of node.input ?? []) {
        if (!input) continue;
        const list = this.consumers.get(input);
        if (list) list.push(i);
        else this.consumers.set(input, [i]);
      }
      this.inferTypes(node);
      if (!SHAPE_OPS.has(node.opType!) && (node.input ?? []).some((t) => this.dataTensors.has(t)))
        for (const out of node.output ?? []) this.dataTensors.add(out);
    });
  }

  producerOf(tensor: string): NodeProto | undefined {
    const i = this.producer.get(tensor);
    return i === undefined ? undefined : this.nodes[i];
  }

  consumersOf(tensor: string): number[] {
    return this.consumers.get(tensor) ?? [];
  }

  /** Node indices, in graph order, with the given op type. */
  nodesOfType(opType: string): number[] {
    const out: number[] = [];
    this.nodes.forEach((n, i) => n.opType === opType && out.push(i));
    return out;
  }

  /** Indices of every node `tensor` depends on through value (not shape) edges. */
  valueAncestors(tensor: string): Set<number> {
    const seen = new Set<number>();
    const stack = [tensor];
    while (stack.length) {
      const i = this.producer.get(stack.pop()!);
      if (i === undefined || seen.has(i) || SHAPE_OPS.has(this.nodes[i]!.opType!)) continue;
      seen.add(i);
      for (const input of this.nodes[i]!.input ?? []) if (input) stack.push(input);
    }
    return seen;
  }

  /** Indices of every node that depends on node `start`'s outputs. */
  descendants(start: number): Set<number> {
    const seen = new Set<number>();
    const stack = [...(this.nodes[start]!.output ?? [])];
    while (stack.length) {
      for (const i of this.consumersOf(stack.pop()!)) {
        if (seen.has(i)) continue;
        seen.add(i);
        stack.push(...(this.nodes[i]!.output ?? []));
      }
    }
    return seen;
  }

  private inferTypes(node: NodeProto): void {
    const inputs = node.input ?? [];
    const outputs = node.output ?? [];
    const set = (i: number, type: number | undefined) => {
      if (type !== undefined && outputs[i]) this.elemType.set(outputs[i]!, type);
    };
    const attr = (name: string) => node.attribute?.find((a) => a.name === name);
    const typeOf = (i: number) => (inputs[i] ? this.elemType.get(inputs[i]!) : undefined);
    switch (node.opType) {
      case 'Constant': {
        const a = node.attribute?.[0];
        set(0, a?.t ? a.t.dataType! : a?.name?.startsWith('value_int') ? ElemType.INT64 : ElemType.FLOAT);
        break;
      }
      case 'Cast':
        set(0, toNumber(attr('to')?.i));
        break;
      case 'Shape':
      case 'Size':
        set(0, ElemType.INT64);
        break;
      case 'DynamicQuantizeLinear':
        set(0, ElemType.UINT8);
        set(1, ElemType.FLOAT);
        set(2, ElemType.UINT8);
        break;
      case 'MatMulInteger':
        set(0, ElemType.INT32);
        break;
      case 'DequantizeLinear':
        set(0, typeOf(1));
        break;
      // onnxruntime's fused ops whose first inputs are integers: the float type comes from a later input.
      case 'EmbedLayerNormalization':
        set(0, typeOf(2));
        set(1, ElemType.INT32);
        set(2, typeOf(2));
        break;
      case 'QAttention':
        set(0, typeOf(3));
        break;
      case 'MatMulIntegerToFloat':
        set(0, typeOf(2));
        break;
      case 'QuantizeLinear':
        set(0, typeOf(2) ?? ElemType.UINT8);
        break;
      case 'Equal':
      case 'Less':
      case 'Greater':
      case 'Not':
      case 'And':
      case 'Or':
        set(0, ElemType.BOOL);
        break;
      case 'Where':
        set(0, typeOf(1));
        break;
      default:
        outputs.forEach((_, i) => set(i, typeOf(0) ?? typeOf(1)));
    }
  }
}
