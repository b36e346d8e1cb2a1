/** `--compare`: how alike two texts are, as the cosine of their sentence vectors at every hidden state. */
import { cosine } from '../engine/pooling.ts';
import { sentenceVector, type SentencePooling } from '../engine/sentenceModel.ts';
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

/**
 * Compares two texts' hidden states (each [tokens, hidden], L+1 of them, from separate unpadded runs), so that
 * neither text attends to the other as it would in a pair.
 */
export function similarity(
  a: FloatTensor[],
  b: FloatTensor[],
  pooling: SentencePooling,
  layer: number,
): Similarity {
  if (a.length !== b.length) throw new Error(`similarity: ${a.length} vs ${b.length} hidden states`);
  const perLayer = a.map((hidden, i) =>
    cosine(sentenceVector(hidden, pooling), sentenceVector(b[i]!, pooling)),
  );
  return { cosine: perLayer[layer]!, pooling, layer, perLayer };
}
