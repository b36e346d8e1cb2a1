/**
 * The reference's per-layer weights: one set per application of ALBERT's shared layer, in graph order, so that a
 * file whose quantizer rewrote only some applications (layer 0's MatMuls quantized, later ones float) is read as
 * it computes. Unfused exports are read from the named biases; onnxruntime-optimized ones (O2-O4) from their fused
 * nodes: Attention's packed Q|K|V weight and bias, SkipLayerNormalization (dense or FFN-output product, bias,
 * gamma, beta) and FastGelu (FFN product, bias).
 */
import type { GraphIndex, ReferenceLayerNorm, ReferenceLinear } from './referenceGraph.ts';
import { floatAttribute, intAttribute } from './referenceGraph.ts';

/** One application of the shared layer. */
export interface ReferenceLayer {
  query: ReferenceLinear;
  key: ReferenceLinear;
  value: ReferenceLinear;
  dense: ReferenceLinear;
  attentionLayerNorm: ReferenceLayerNorm;
  ffn: ReferenceLinear;
  ffnOutput: ReferenceLinear;
  fullLayerNorm: ReferenceLayerNorm;
}

const LAYER = 'encoder.albert_layer_groups.0.albert_layers.0.';

interface Sizes {
  hidden: number;
  intermediate: number;
  heads: number;
  layers: number;
  eps: number;
}

function plainLayers(g: GraphIndex, s: Sizes): ReferenceLayer[] {
  const H = s.hidden;
  const I = s.intermediate;
  const all = (name: string, inSize: number, outSize: number) => {
    const found = g.linears(`${LAYER}${name}.bias`, inSize, outSize);
    if (found.length !== s.layers)
      throw new Error(
        `reference: ${name}.bias is added ${found.length} times, expected ${s.layers} (one per layer)`,
      );
    return found;
  };
  const [query, key, value, dense] = ['query', 'key', 'value', 'dense'].map((n) =>
    all(`attention.${n}`, H, H),
  );
  const ffn = all('ffn', H, I);
  const ffnOutput = all('ffn_output', I, H);
  const attentionLayerNorm = g.layerNorm(`${LAYER}attention.LayerNorm`, H, s.eps);
  const fullLayerNorm = g.layerNorm(`${LAYER}full_layer_layer_norm`, H, s.eps);
  return Array.from({ length: s.layers }, (_, i) => ({
    query: query![i]!,
    key: key![i]!,
    value: value![i]!,
    dense: dense![i]!,
    attentionLayerNorm,
    ffn: ffn[i]!,
    ffnOutput: ffnOutput[i]!,
    fullLayerNorm,
  }));
}

function fusedLayers(g: GraphIndex, s: Sizes): ReferenceLayer[] {
  const H = s.hidden;
  const attentions = g.ofType('Attention');
  const skips = g.ofType('SkipLayerNormalization');
  const gelus = g.ofType('FastGelu');
  if (attentions.length !== s.layers || skips.length !== 2 * s.layers || gelus.length !== s.layers)
    throw new Error(
      `reference: ${attentions.length} Attention / ${skips.length} SkipLayerNormalization / ${gelus.length} ` +
        `FastGelu nodes, expected ${s.layers} / ${2 * s.layers} / ${s.layers}`,
    );
  const input = (node: (typeof attentions)[number], i: number) => node.input?.[i] ?? '';
  // SkipLayerNormalization(product, skip, gamma, beta, bias) = LayerNorm(product + bias + skip).
  const skipLayer = (node: (typeof skips)[number], inSize: number, what: string) => ({
    linear: g.linearFrom(input(node, 0), g.values(input(node, 4)), inSize, H, what),
    norm: {
      gamma: g.values(input(node, 2)),
      beta: g.values(input(node, 3)),
      eps: floatAttribute(node, 'epsilon', s.eps),
    },
  });
  return attentions.map((attention, i) => {
    if (intAttribute(attention, 'num_heads') !== s.heads)
      throw new Error(
        `reference: Attention has num_heads ${intAttribute(attention, 'num_heads')}, expected ${s.heads}`,
      );
    // Packed weight [H, 3H] holds Q, K and V side by side in its columns; the bias [3H] likewise.
    const packed = g.values(input(attention, 1));
    const packedBias = g.values(input(attention, 2));
    if (packed.length !== 3 * H * H || packedBias.length !== 3 * H)
      throw new Error(`reference: Attention ${i} packs ${packed.length} weights, expected ${3 * H * H}`);
    const part = (p: number): ReferenceLinear => ({
      weight: Float64Array.from(
        { length: H * H },
        (_, j) => packed[Math.floor(j / H) * 3 * H + p * H + (j % H)]!,
      ),
      bias: packedBias.slice(p * H, (p + 1) * H),
      inSize: H,
      outSize: H,
    });
    const attentionOut = skipLayer(skips[2 * i]!, H, `layer ${i} attention output`);
    const ffnOut = skipLayer(skips[2 * i + 1]!, s.intermediate, `layer ${i} FFN output`);
    const gelu = gelus[i]!;
    return {
      query: part(0),
      key: part(1),
      value: part(2),
      dense: attentionOut.linear,
      attentionLayerNorm: attentionOut.norm,
      ffn: g.linearFrom(input(gelu, 0), g.values(input(gelu, 1)), H, s.intermediate, `layer ${i} FFN`),
      ffnOutput: ffnOut.linear,
      fullLayerNorm: ffnOut.norm,
    };
  });
}

/** The weights of every layer application, from a plain or an onnxruntime-fused graph. */
export function readLayers(g: GraphIndex, sizes: Sizes): ReferenceLayer[] {
  return g.ofType('Attention').length ? fusedLayers(g, sizes) : plainLayers(g, sizes);
}

/** The FFN width, from the FFN bias (named in every form the files take). */
export function intermediateSize(g: GraphIndex): number {
  return g.named(`${LAYER}ffn.bias`).values.length;
}
