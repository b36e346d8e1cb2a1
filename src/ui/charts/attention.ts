/**
 * Attention views: one map (queries × keys) and the arithmetic of one cell — the real pre-softmax scores of the
 * query's row, their softmax, and the chosen key's share — the worked example every Transformer tutorial gives,
 * with this model's numbers.
 */
import type { FloatTensor } from '../../engine/types.ts';
import { valueRange } from './heatmap/image.ts';
import type { HeatmapSpec } from './heatmap/scene.ts';
import { tokenLabels } from './types.ts';

/**
 * One attention map, queries down and keys across, on the canvas heatmap. The scale runs from 0 to the map's
 * largest weight (not 1), so a diffuse head is as readable as a sharp one; the legend says where it ends.
 * @param positions each row's token position in the text, when the map covers only some tokens (specials
 *   hidden); labels then keep the text's numbering
 */
export function attentionHeatmapSpec(
  map: FloatTensor,
  tokens: string[],
  title: string,
  positions?: number[],
): HeatmapSpec {
  const n = map.dims[0]!;
  const labels = positions ? tokens.map((t, i) => `${positions[i] ?? i} ${t}`) : tokenLabels(tokens);
  const { max } = valueRange(map.data);
  return {
    values: map.data,
    rows: n,
    cols: n,
    rowLabels: labels,
    colLabels: labels,
    title,
    xTitle: 'key (attended to)',
    yTitle: 'query (attending)',
    legendTitle: 'weight',
    range: { min: 0, max: max || 1 },
    scale: 'sequential',
  };
}

/** [layers, heads, s, s] thumbnails as one Float32Array view per (layer, head), layer-major. */
export function thumbnailViews(maps: FloatTensor): Float32Array[][] {
  const [layers, heads, side] = maps.dims as [number, number, number];
  const size = side * side;
  return Array.from({ length: layers }, (_l, l) =>
    Array.from({ length: heads }, (_h, h) =>
      maps.data.subarray((l * heads + h) * size, (l * heads + h + 1) * size),
    ),
  );
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
