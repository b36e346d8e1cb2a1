/** `--compare`: how alike two texts are, as the cosine of their pooled vectors at every hidden state. */
import { cosine, pool, type Pooling } from '../engine/pooling.ts';
import type { FloatTensor } from '../engine/types.ts';

export interface Similarity {
  /** The cosine at the chosen hidden state. */
  cosine: number;
  pooling: Pooling;
  /** The chosen hidden state, resolved to 0..L. */
  layer: number;
  /** One cosine per hidden state 0..L, with the same pooling. */
  perLayer: number[];
}

/**
 * Compares two texts' hidden states (each [tokens, hidden], L+1 of them, from separate unpadded runs), so that
 * neither text attends to the other as it would in a pair.
 */
export function similarity(a: FloatTensor[], b: FloatTensor[], pooling: Pooling, layer: number): Similarity {
  if (a.length !== b.length) throw new Error(`similarity: ${a.length} vs ${b.length} hidden states`);
  const perLayer = a.map((hidden, i) => cosine(pool(hidden, pooling), pool(b[i]!, pooling)));
  return { cosine: perLayer[layer]!, pooling, layer, perLayer };
}
