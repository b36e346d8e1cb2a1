/**
 * Attention views: one map (queries × keys) and the arithmetic of one cell — the real pre-softmax scores of the
 * query's row, their softmax, and the chosen key's share — the worked example every Transformer tutorial gives,
 * with this model's numbers.
 */
import type { FloatTensor } from '../../engine/types.ts';
import { rows, tokenLabels, type Figure } from './types.ts';

/**
 * @param positions each row's token position in the text, when the map covers only some tokens (specials
 *   hidden); labels then keep the text's numbering
 */
export function attentionHeatmap(
  map: FloatTensor,
  tokens: string[],
  title: string,
  positions?: number[],
): Figure {
  const n = map.dims[0]!;
  const labels = positions ? tokens.map((t, i) => `${positions[i] ?? i} ${t}`) : tokenLabels(tokens);
  return {
    data: [
      {
        type: 'heatmap',
        z: rows(map.data, n, n),
        x: labels,
        y: labels,
        zmin: 0,
        colorscale: 'Blues',
        colorbar: { title: { text: 'weight' } },
        hovertemplate: 'query %{y}<br>key %{x}<br>weight %{z:.4f}<extra></extra>',
      },
    ],
    layout: {
      title: { text: title },
      xaxis: { title: { text: 'key' }, type: 'category', automargin: true, side: 'top' },
      yaxis: { title: { text: 'query' }, type: 'category', autorange: 'reversed', automargin: true },
    },
  };
}

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
