/**
 * How many parameters an ALBERT has, from its config, part by part as Hugging Face's `AlbertModel` holds them,
 * beside a BERT of the same shape without ALBERT's two savings (Lan et al., 2019, "ALBERT: A Lite BERT for
 * Self-supervised Learning of Language Representations"): the embedding factorized into V×E and E×H, and one set
 * of layer weights shared by all L layers. albert-base-v2: 11,683,584, where an unshared BERT of its shape needs
 * 109,081,344.
 */
import type { AlbertConfig } from './config.ts';

export interface ParameterCounts {
  /** Word, position and segment embeddings (E wide) and their LayerNorm. */
  embeddings: number;
  /** `embedding_hidden_mapping_in`: E → H. */
  projection: number;
  /** One Transformer layer: attention (Q, K, V, output), its LayerNorm, the feed-forward pair and its LayerNorm. */
  layer: number;
  /** Layer weights held: one layer per group and inner layer (1 × 1 in every released ALBERT), shared by all L. */
  layers: number;
  /** The [CLS] pooler (H → H). */
  pooler: number;
  total: number;
  /** The same embedding tables H wide, as BERT has them. */
  unfactorizedEmbeddings: number;
  /** A BERT of the same shape: embeddings H wide, no projection, L layers of their own, the pooler. */
  unsharedBert: number;
}

type Shape = Pick<
  AlbertConfig,
  | 'vocab_size'
  | 'embedding_size'
  | 'hidden_size'
  | 'num_hidden_layers'
  | 'intermediate_size'
  | 'num_hidden_groups'
  | 'inner_group_num'
  | 'max_position_embeddings'
  | 'type_vocab_size'
>;

/** A dense layer's weights and biases. */
const dense = (inputs: number, outputs: number) => inputs * outputs + outputs;

/** Embedding tables `width` wide and their LayerNorm (scale and shift). */
const embeddingTables = (c: Shape, width: number) =>
  (c.vocab_size + c.max_position_embeddings + c.type_vocab_size) * width + 2 * width;

export function parameterCounts(c: Shape): ParameterCounts {
  const h = c.hidden_size;
  const layer =
    4 * dense(h, h) + 2 * h + dense(h, c.intermediate_size) + dense(c.intermediate_size, h) + 2 * h;
  const embeddings = embeddingTables(c, c.embedding_size);
  const projection = dense(c.embedding_size, h);
  const layers = layer * c.num_hidden_groups * c.inner_group_num;
  const pooler = dense(h, h);
  return {
    embeddings,
    projection,
    layer,
    layers,
    pooler,
    total: embeddings + projection + layers + pooler,
    unfactorizedEmbeddings: embeddingTables(c, h),
    unsharedBert: embeddingTables(c, h) + layer * c.num_hidden_layers + pooler,
  };
}
