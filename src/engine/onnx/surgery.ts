/**
 * Graph surgery: expose ALBERT's internals (every layer's hidden states, attention probabilities and
 * pre-softmax scores) as extra graph outputs, so that one session.run returns them with no second pass.
 * float16 tensors get a Cast to float32 so callers always receive float32.
 */
import { EngineError } from '../errors.ts';
import { GraphIndex } from './graphIndex.ts';
import { locateInternals, type AlbertInternals } from './locate.ts';
import { describePrecision, type Precision } from './precision.ts';
import { pruneToOutputs } from './prune.ts';
import { webgpuCaveat } from './webgpuCaveat.ts';
import { decodeModel, ElemType, encodeModel, onnx, toNumber } from './proto.ts';

export interface PreparedModel {
  /** The modified ONNX file. */
  bytes: Uint8Array;
  /** Output names to fetch, per role. */
  outputs: AlbertInternals & { logits?: string };
  /** The graph's own outputs before surgery (for a raw run of the same file). */
  originalOutputs: string[];
  /** Prepared without scores and the graph's own outputs (see `prepareAlbertGraph`). */
  lean: boolean;
  /** What the file's weights and activations are, read from its graph. */
  precision: Precision;
  /** Why the file must not run on WebGPU although its dtype could (see webgpuCaveat.ts). */
  webgpuCaveat?: string;
}

/**
 * @param lean expose no pre-softmax scores and drop the graph's own outputs (the masked-LM head's logits), then
 *   prune what nothing reads any more: every exposed output is held until a run ends, so at 512 tokens on
 *   albert-base the scores cost 150 MB and the head's logits 60 MB of a run's peak memory; the lean graph is what
 *   runs unless a run asks for scores or logits.
 */
export function prepareAlbertGraph(
  source: Uint8Array,
  layers: number,
  file: string,
  options: { lean?: boolean } = {},
): PreparedModel {
  const { model, graph } = decodeModel(source, file);
  const g = new GraphIndex(graph);
  for (const name of ['input_ids', 'attention_mask']) {
    if (!g.graphInputs.has(name))
      throw new EngineError(
        'unsupported-graph',
        `${file}: the graph has no "${name}" input (inputs: ${[...g.graphInputs].join(', ')})`,
        file,
      );
  }
  const internals = locateInternals(g, layers, file);
  const existing = new Set(graph.output.map((o) => o.name));
  const expose = (tensor: string, role: string): string => {
    const type = g.elemType.get(tensor) ?? ElemType.FLOAT;
    let name = tensor;
    if (type === ElemType.FLOAT16) {
      name = `albert_playground/${role}`;
      graph.node.push(
        onnx.NodeProto.create({
          name: `${name}/Cast`,
          opType: 'Cast',
          input: [tensor],
          output: [name],
          attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: ElemType.FLOAT }],
        }),
      );
    } else if (type !== ElemType.FLOAT) {
      throw new EngineError(
        'unsupported-graph',
        `${file}: ${role} has element type ${type}, expected float32 or float16`,
        file,
      );
    }
    if (!existing.has(name)) {
      existing.add(name);
      graph.output.push(
        onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: ElemType.FLOAT } } }),
      );
    }
    return name;
  };
  const outputs: PreparedModel['outputs'] = {
    embeddings: expose(internals.embeddings, 'embeddings'),
    hiddenStates: internals.hiddenStates.map((t, i) => expose(t, `hidden_state_${i}`)),
    attentions: internals.attentions.map((t, i) => expose(t, `attention_${i}`)),
    attentionScores: options.lean
      ? []
      : internals.attentionScores.map((t, i) => expose(t, `attention_scores_${i}`)),
  };
  if (internals.fusedAttention) outputs.fusedAttention = internals.fusedAttention;
  const originalOutputs = g.graphOutputs;
  if (options.lean) {
    const exposed = new Set([outputs.embeddings, ...outputs.hiddenStates, ...outputs.attentions]);
    graph.output = graph.output.filter((o) => exposed.has(o.name ?? ''));
    pruneToOutputs(graph);
  } else if (originalOutputs.includes('logits')) outputs.logits = 'logits';
  const caveat = webgpuCaveat(g);
  const initializerDims = new Map(graph.initializer.map((t) => [t.name ?? '', (t.dims ?? []).map(toNumber)]));
  return {
    bytes: encodeModel(model),
    outputs,
    originalOutputs,
    lean: options.lean === true,
    precision: describePrecision(g, (name) => initializerDims.get(name)),
    ...(caveat && { webgpuCaveat: caveat }),
  };
}
