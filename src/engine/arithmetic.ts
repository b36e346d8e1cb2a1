/**
 * One attention weight's arithmetic, from the model's own numbers: a query's pre-softmax scores q·k/√d (with
 * the mask term), exp(score − max), their sum, and the softmax recomputed beside the probability the model
 * produced. The arithmetic table shows it; the worker writes it into the "what is shown" export.
 */

export interface ArithmeticRow {
  key: number;
  token: string;
  /** q·k/√d (plus the mask term), as the model computed it. */
  score: number;
  /** exp(score − max score): the softmax numerator, shifted for stability. */
  numerator: number;
  /** The softmax recomputed here from the scores. */
  softmax: number;
  /** The probability the model itself produced. */
  modelProbability: number;
}

export interface Arithmetic {
  rows: ArithmeticRow[];
  /** Σ numerators: the softmax denominator. */
  denominator: number;
  /** The chosen cell's share of the query's attention. */
  share: number;
  /** Largest |recomputed − model| over the row: the two must agree. */
  maxDifference: number;
}

/**
 * @param scores the query's row of pre-softmax scores (length n)
 * @param probabilities the same row of the model's attention probabilities
 */
export function attentionArithmetic(
  scores: Float32Array,
  probabilities: Float32Array,
  tokens: string[],
  key: number,
): Arithmetic {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  const numerators = Array.from(scores, (s) => Math.exp(s - max));
  const denominator = numerators.reduce((a, b) => a + b, 0);
  const table = numerators.map((numerator, k) => ({
    key: k,
    token: tokens[k] ?? '',
    score: scores[k]!,
    numerator,
    softmax: numerator / denominator,
    modelProbability: probabilities[k]!,
  }));
  return {
    rows: table,
    denominator,
    share: table[key]?.softmax ?? 0,
    maxDifference: table.reduce((m, r) => Math.max(m, Math.abs(r.softmax - r.modelProbability)), 0),
  };
}
