/**
 * Fill-mask: the masked-LM head's logits at each [MASK] position turned into the top-k pieces with their
 * probabilities. The softmax runs over the whole vocabulary (max subtracted, sums in float64); the top k are
 * kept by a partial selection, so a 30,000-piece row is scanned once, not sorted.
 */
import { EngineError } from './errors.ts';
import type { Encoding } from './tokenizer.ts';
import type { FloatTensor } from './types.ts';

/** ALBERT's mask token (tokenizer_config.json `mask_token`), an added special token in tokenizer.json. */
export const MASK_TOKEN = '[MASK]';

/** One predicted piece at a masked position. */
export interface PredictedPiece {
  id: number;
  /** The vocabulary's piece (any string: shown as text). */
  token: string;
  /** Softmax over the vocabulary of the position's logits. */
  probability: number;
  logit: number;
}

/** The top pieces at one masked position, most probable first. */
export interface MaskPrediction {
  /** The token index in the encoding (0 is [CLS]). */
  position: number;
  top: PredictedPiece[];
}

/**
 * The token indices holding the mask token. A typed `[MASK]` is an added special token (its chip is marked
 * special); the same characters inside a word are not, so both the flag and the piece must match.
 */
export function maskPositions(
  encoding: Pick<Encoding, 'tokens' | 'special'>,
  maskToken = MASK_TOKEN,
): number[] {
  const positions: number[] = [];
  encoding.tokens.forEach((token, i) => {
    if (encoding.special[i] && token === maskToken) positions.push(i);
  });
  return positions;
}

/**
 * Indices of the k largest values of row[0..n), largest first; equal values keep the lower index first.
 * Keeps a sorted buffer of k and skips anything not above its smallest, so a row costs about n comparisons.
 * NaN ranks below every number.
 */
export function topIndices(row: ArrayLike<number>, k: number): number[] {
  const keep = Math.max(0, Math.min(k, row.length));
  const ids: number[] = [];
  const values: number[] = [];
  if (keep === 0) return ids;
  for (let i = 0; i < row.length; i++) {
    const v = Number.isNaN(row[i]!) ? -Infinity : row[i]!;
    if (ids.length === keep && !(v > values[keep - 1]!)) continue;
    // Insert after every value >= v, so ties stay in index order.
    let at = ids.length;
    while (at > 0 && values[at - 1]! < v) at--;
    ids.splice(at, 0, i);
    values.splice(at, 0, v);
    if (ids.length > keep) {
      ids.pop();
      values.pop();
    }
  }
  return ids;
}

/**
 * The top-k pieces at each position of `logits` ([tokens, vocab]). Probabilities are the full-vocabulary
 * softmax, computed stably: exp(logit − max) / Σ exp(logit − max), the sum in float64.
 */
export function maskPredictions(
  logits: FloatTensor,
  positions: number[],
  k: number,
  idToToken: (id: number) => string | undefined,
): MaskPrediction[] {
  const [tokens = 0, vocab = 0] = logits.dims;
  if (logits.dims.length !== 2 || logits.data.length !== tokens * vocab)
    throw new EngineError('input', `fill-mask needs logits of shape [tokens, vocab], got [${logits.dims}]`);
  return positions.map((position) => {
    if (!Number.isInteger(position) || position < 0 || position >= tokens)
      throw new EngineError('input', `mask position ${position} is outside the ${tokens} tokens`);
    const row = logits.data.subarray(position * vocab, (position + 1) * vocab);
    let max = -Infinity;
    for (let i = 0; i < vocab; i++) if (row[i]! > max) max = row[i]!;
    let sum = 0;
    for (let i = 0; i < vocab; i++) sum += Math.exp(row[i]! - max);
    const top = topIndices(row, k).map((id) => ({
      id,
      token: idToToken(id) ?? `<id ${id}>`,
      probability: Math.exp(row[id]! - max) / sum,
      logit: row[id]!,
    }));
    return { position, top };
  });
}
