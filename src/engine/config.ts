/** Reads and validates an ALBERT `config.json`. */
import { EngineError } from './errors.ts';

export interface AlbertConfig {
  model_type: 'albert';
  architectures: string[];
  vocab_size: number;
  embedding_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  num_hidden_groups: number;
  inner_group_num: number;
  max_position_embeddings: number;
  type_vocab_size: number;
  layer_norm_eps: number;
  hidden_act: string;
  /** Set by this project's generated test models: their weights are random and their numbers meaningless. */
  albert_playground_random_weights: boolean;
}

const SIZES = [
  'vocab_size',
  'embedding_size',
  'hidden_size',
  'num_hidden_layers',
  'num_attention_heads',
  'intermediate_size',
  'max_position_embeddings',
] as const;

export function parseAlbertConfig(text: string, file = 'config.json'): AlbertConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new EngineError('invalid-file', `${file} is not valid JSON: ${(error as Error).message}`, file);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new EngineError('invalid-file', `${file} must hold a JSON object`, file);
  const c = raw as Record<string, unknown>;
  if (c.model_type !== 'albert') {
    const found = typeof c.model_type === 'string' ? `"${c.model_type}"` : 'no model_type';
    throw new EngineError(
      'not-albert',
      `${file} describes ${found}, not an ALBERT model (model_type "albert")`,
      file,
    );
  }
  for (const key of SIZES) {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
      throw new EngineError(
        'invalid-file',
        `${file}: "${key}" must be a positive integer (found ${JSON.stringify(v)})`,
        file,
      );
  }
  const config: AlbertConfig = {
    model_type: 'albert',
    architectures: Array.isArray(c.architectures) ? c.architectures.map(String) : [],
    vocab_size: c.vocab_size as number,
    embedding_size: c.embedding_size as number,
    hidden_size: c.hidden_size as number,
    num_hidden_layers: c.num_hidden_layers as number,
    num_attention_heads: c.num_attention_heads as number,
    intermediate_size: c.intermediate_size as number,
    max_position_embeddings: c.max_position_embeddings as number,
    num_hidden_groups: typeof c.num_hidden_groups === 'number' ? c.num_hidden_groups : 1,
    inner_group_num: typeof c.inner_group_num === 'number' ? c.inner_group_num : 1,
    type_vocab_size: typeof c.type_vocab_size === 'number' ? c.type_vocab_size : 2,
    layer_norm_eps: typeof c.layer_norm_eps === 'number' ? c.layer_norm_eps : 1e-12,
    hidden_act: typeof c.hidden_act === 'string' ? c.hidden_act : 'gelu_new',
    albert_playground_random_weights: c.albert_playground_random_weights === true,
  };
  if (config.hidden_size % config.num_attention_heads !== 0)
    throw new EngineError(
      'invalid-file',
      `${file}: hidden_size ${config.hidden_size} is not a multiple of num_attention_heads ${config.num_attention_heads}`,
      file,
    );
  if (config.inner_group_num !== 1)
    throw new EngineError(
      'not-albert',
      `${file}: inner_group_num ${config.inner_group_num} is not supported (every released ALBERT uses 1)`,
      file,
    );
  return config;
}
