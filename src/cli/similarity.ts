/** `--compare`: how alike two texts are, as the cosine of their sentence vectors at every hidden state. */
import { sentenceVector, type SentencePooling } from '../engine/sentenceModel.ts';
import { cosinePerLayer } from '../engine/similarity.ts';
import type { FloatTensor } from '../engine/types.ts';

export interface Similarity {
  /** The cosine at the chosen hidden state. */
  cosine: number;
  /** How the sentence vectors were made, and where that came from (the model's own files, the default, …). */
  pooling: SentencePooling;
  /** The chosen hidden state, resolved to 0..L. */
  layer: number;
  /** One cosine per hidden state 0..L, with the same pooling. */
  perLayer: number[];
}

/** Compares two texts' hidden states (L+1 of each, from separate unpadded runs) with the model's pooling. */
export function similarity(
  a: FloatTensor[],
  b: FloatTensor[],
  pooling: SentencePooling,
  layer: number,
): Similarity {
  const perLayer = cosinePerLayer(a, b, (hidden) => sentenceVector(hidden, pooling));
  return { cosine: perLayer[layer]!, pooling, layer, perLayer };
}
