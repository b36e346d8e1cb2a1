/**
 * Finds ALBERT's internals in an exported graph by structure alone — node names differ between exporters,
 * export kinds and opsets, so they are never read:
 * - attention probabilities: the Softmax nodes, in graph order (one per layer);
 * - pre-softmax scores: each Softmax's input (QKᵀ/√d plus the mask term);
 * - layer i's input (hiddenStates[i]): the latest value tensor that fans out to both the query and the key
 *   paths feeding Softmax i (seen through a DynamicQuantizeLinear in q8 files);
 * - the last layer's output (hiddenStates[L]): the second LayerNorm output after the last Softmax (attention
 *   LayerNorm, then the layer's final LayerNorm), checked against the same rule on every earlier layer;
 * - the factorized embeddings: the last LayerNorm output that hiddenStates[0] depends on.
 * ORT-optimized files (sentence-transformers' model_O2…O4) fuse each layer's attention into one com.microsoft
 * `Attention` node and have no Softmax: their probabilities never exist as a tensor, so only the hidden states
 * are found (layer i's input is its Attention node's input; LayerNorms include the fused Skip/Embed kinds).
 */
import { EngineError } from '../errors.ts';
import type { GraphIndex } from './graphIndex.ts';

export interface AlbertInternals {
  /** The factorized embeddings (embedding_size wide, after their LayerNorm), before the projection. */
  embeddings: string;
  hiddenStates: string[];
  /** One per layer; empty when the file fuses attention. */
  attentions: string[];
  /** One per layer; empty when the file fuses attention. */
  attentionScores: string[];
  /** The op that fuses attention (e.g. `Attention`) when the file has no Softmax to read. */
  fusedAttention?: string;
}

/** onnxruntime's fused attention ops (com.microsoft): the softmax happens inside, out of reach. */
const FUSED_ATTENTION = new Set([
  'Attention',
  'QAttention',
  'MultiHeadAttention',
  'PackedAttention',
  'PackedMultiHeadAttention',
]);
/** Fused attention ops whose first input is the layer's own input (the others take projected Q/K/V). */
const PACKED_INPUT = new Set(['Attention', 'QAttention', 'PackedAttention']);
/** Fused LayerNorms whose output 0 is the normalized tensor. */
const FUSED_NORMS = new Set([
  'LayerNormalization',
  'SkipLayerNormalization',
  'SkipSimplifiedLayerNormalization',
  'EmbedLayerNormalization',
]);

/** Ops that pass values through unchanged in meaning (precision aside). */
const TRANSPARENT = new Set(['Cast', 'Identity']);
const QUANTIZERS = new Set(['DynamicQuantizeLinear', 'QuantizeLinear']);

function isConstantLike(g: GraphIndex, tensor: string): boolean {
  return !g.dataTensors.has(tensor);
}

/** Follows a tensor back through Cast/Identity to its source. */
function sourceOf(g: GraphIndex, tensor: string): string {
  let t = tensor;
  for (let p = g.producerOf(t); p && TRANSPARENT.has(p.opType!); p = g.producerOf(t)) t = p.input![0]!;
  return t;
}

/** The input of the layer whose attention is node `attention` (a Softmax, or a fused attention op). */
function layerInput(g: GraphIndex, attention: number): string | undefined {
  const node = g.nodes[attention]!;
  if (PACKED_INPUT.has(node.opType!)) {
    const input = sourceOf(g, node.input![0]!);
    const producer = g.producerOf(input);
    return producer && QUANTIZERS.has(producer.opType!) ? producer.input![0]! : input;
  }
  const ancestors = new Set(
    (node.input ?? []).filter((t) => t && g.dataTensors.has(t)).flatMap((t) => [...g.valueAncestors(t)]),
  );
  let best: { tensor: string; at: number } | undefined;
  for (const i of ancestors) {
    for (const out of g.nodes[i]!.output ?? []) {
      if (!g.dataTensors.has(out)) continue;
      const fanOut = g.consumersOf(out).filter((c) => ancestors.has(c)).length;
      if (fanOut >= 2 && (!best || i > best.at)) best = { tensor: out, at: i };
    }
  }
  if (!best) return undefined;
  const producer = g.nodes[best.at]!;
  return QUANTIZERS.has(producer.opType!) ? producer.input![0]! : best.tensor;
}

/**
 * Outputs of every LayerNorm: fused LayerNormalization nodes (and onnxruntime's Skip/Embed variants), or the
 * decomposed ReduceMean/Sub/Pow/…/Div chain.
 */
export function layerNormOutputs(g: GraphIndex): Map<string, number> {
  const found = new Map<string, number>();
  g.nodes.forEach((node, i) => {
    if (FUSED_NORMS.has(node.opType!)) {
      found.set(node.output![0]!, i);
      return;
    }
    if (node.opType !== 'ReduceMean') return;
    const x = node.input![0]!;
    const mean = node.output![0]!;
    const sub = g
      .consumersOf(mean)
      .map((c) => g.nodes[c]!)
      .find((n) => n.opType === 'Sub' && n.input![0] === x);
    if (!sub) return;
    const centered = sub.output![0]!;
    const divIndex = g
      .consumersOf(centered)
      .find((c) => g.nodes[c]!.opType === 'Div' && g.nodes[c]!.input![0] === centered);
    if (divIndex === undefined) return;
    // The affine tail: Mul by gamma, Add beta (each against a constant), possibly through Casts.
    let at = divIndex;
    let out = g.nodes[divIndex]!.output![0]!;
    for (;;) {
      const next = g.consumersOf(out);
      if (next.length !== 1) break;
      const n = g.nodes[next[0]!]!;
      const others = n.input!.filter((t) => t !== out);
      if (!['Mul', 'Add', 'Cast'].includes(n.opType!) || !others.every((t) => isConstantLike(g, t))) break;
      at = next[0]!;
      out = n.output![0]!;
    }
    found.set(out, at);
  });
  return found;
}

export function locateInternals(g: GraphIndex, layers: number, file: string): AlbertInternals {
  const fail = (what: string) =>
    new EngineError('unsupported-graph', `${file}: could not find ${what} in the ONNX graph`, file);
  let softmaxes = g.nodesOfType('Softmax');
  const fused = g.nodes.flatMap((n, i) => (FUSED_ATTENTION.has(n.opType!) ? [i] : []));
  const fusedAttention = softmaxes.length === 0 && fused.length > 0 ? g.nodes[fused[0]!]!.opType! : undefined;
  if (fusedAttention) softmaxes = fused;
  if (softmaxes.length !== layers)
    throw new EngineError(
      'unsupported-graph',
      `${file}: expected ${layers} attention ${fusedAttention ?? 'Softmax'} nodes (one per layer, config.json num_hidden_layers = ${layers}) but the graph has ${softmaxes.length}`,
      file,
    );
  const attentions = fusedAttention ? [] : softmaxes.map((i) => g.nodes[i]!.output![0]!);
  const attentionScores = fusedAttention ? [] : softmaxes.map((i) => g.nodes[i]!.input![0]!);
  const hiddenStates = softmaxes.map((s, layer) => {
    const input = layerInput(g, s);
    if (!input) throw fail(`the input of layer ${layer} (the tensor feeding its query and key projections)`);
    return input;
  });

  const norms = layerNormOutputs(g);
  const secondNormAfter = (softmax: number): string | undefined => {
    const after = g.descendants(softmax);
    const candidates = [...norms].filter(([, at]) => after.has(at)).toSorted((a, b) => a[1] - b[1]);
    return candidates[1]?.[0];
  };
  for (let layer = 0; layer + 1 < layers; layer++) {
    const out = secondNormAfter(softmaxes[layer]!);
    if (!out || sourceOf(g, out) !== sourceOf(g, hiddenStates[layer + 1]!))
      throw fail(
        `a consistent output for layer ${layer} (its final LayerNorm does not feed layer ${layer + 1})`,
      );
  }
  const last = secondNormAfter(softmaxes[layers - 1]!);
  if (!last) throw fail(`the output of the last layer (layer ${layers - 1}'s final LayerNorm)`);
  hiddenStates.push(last);
  // The embedding LayerNorm: the last LayerNorm the projection's output (hiddenStates[0]) depends on.
  const beforeProjection = g.valueAncestors(hiddenStates[0]!);
  const embeddings = [...norms]
    .filter(([, at]) => beforeProjection.has(at))
    .toSorted((a, b) => b[1] - a[1])[0]?.[0];
  if (!embeddings) throw fail('the embedding LayerNorm before embedding_hidden_mapping_in');
  return { embeddings, hiddenStates, attentions, attentionScores, ...(fusedAttention && { fusedAttention }) };
}
