/**
 * How similar ALBERT finds two texts, and why: the cosine of their pooled vectors at every layer for every
 * pooling; the cosines between their tokens with each token's best match and the BERTScore-style precision,
 * recall and F1 they give; and, when the two are encoded as one pair, how much attention crosses between the
 * segments in each layer and head.
 */
import { cosine, pool, type Pooling } from './pooling.ts';
import type { FloatTensor } from './types.ts';

export const POOLINGS: Pooling[] = ['mean', 'cls', 'max'];

/**
 * cos(vector(A), vector(B)) at every hidden state 0..L, from two texts' hidden states (each [tokens, hidden])
 * run apart, so that neither attends to the other as it would in a pair.
 */
export function cosinePerLayer(
  a: FloatTensor[],
  b: FloatTensor[],
  vector: (hidden: FloatTensor) => Float32Array,
): number[] {
  if (a.length !== b.length) throw new Error(`similarity: ${a.length} vs ${b.length} hidden states`);
  return a.map((hidden, l) => cosine(vector(hidden), vector(b[l]!)));
}

/** cos(pool(A), pool(B)) at every layer 0..L, for each pooling. */
export function perLayerSimilarity(a: FloatTensor[], b: FloatTensor[]): Record<Pooling, number[]> {
  const out = {} as Record<Pooling, number[]>;
  for (const p of POOLINGS) out[p] = cosinePerLayer(a, b, (hidden) => pool(hidden, p));
  return out;
}

export interface Alignment {
  /** The tokens of A (rows) and B (columns) compared, as indices into each text. */
  rows: number[];
  cols: number[];
  /** [rows, cols] cosine between A's and B's token vectors. */
  cosines: FloatTensor;
  /** For each row, the column of its best match; for each column, the row of its best match. */
  bestForRow: number[];
  bestForCol: number[];
  /** Mean over B's tokens of their best cosine with A (BERTScore's precision, B as the candidate). */
  precision: number;
  /** Mean over A's tokens of their best cosine with B. */
  recall: number;
  f1: number;
}

function unitRows(t: FloatTensor, rows: number[]): Float64Array[] {
  const width = t.dims[1]!;
  return rows.map((r) => {
    const v = Float64Array.from(t.data.subarray(r * width, (r + 1) * width));
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  });
}

function argmax(count: number, value: (k: number) => number): number {
  let best = 0;
  for (let k = 1; k < count; k++) if (value(k) > value(best)) best = k;
  return best;
}

const mean = (values: number[]) => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : 0);

/**
 * Greedy token alignment as BERTScore computes it (without idf weights): each token matched to its most
 * similar token of the other text. [CLS]/[SEP] are left out by the caller through `rows`/`cols`, as BERTScore
 * does.
 */
export function tokenAlignment(a: FloatTensor, b: FloatTensor, rows: number[], cols: number[]): Alignment {
  const ua = unitRows(a, rows);
  const ub = unitRows(b, cols);
  const data = new Float32Array(rows.length * cols.length);
  ua.forEach((va, i) =>
    ub.forEach((vb, j) => {
      let dot = 0;
      for (let d = 0; d < va.length; d++) dot += va[d]! * vb[d]!;
      data[i * cols.length + j] = dot;
    }),
  );
  const at = (i: number, j: number) => data[i * cols.length + j]!;
  const bestForRow = rows.map((_, i) => argmax(cols.length, (j) => at(i, j)));
  const bestForCol = cols.map((_, j) => argmax(rows.length, (i) => at(i, j)));
  const recall = cols.length ? mean(bestForRow.map((j, i) => at(i, j))) : 0;
  const precision = rows.length ? mean(bestForCol.map((i, j) => at(i, j))) : 0;
  return {
    rows,
    cols,
    cosines: { data, dims: [rows.length, cols.length] },
    bestForRow,
    bestForCol,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
  };
}

/**
 * For a pair run ([CLS] A [SEP] B [SEP]): per layer and head, the share of attention that A's queries give to
 * B's keys, and B's to A's (averaged over the queries of each segment). [L, heads] each.
 */
export function crossSegmentAttention(
  attentions: FloatTensor[],
  tokenTypeIds: number[],
): { aToB: FloatTensor; bToA: FloatTensor } {
  const layers = attentions.length;
  const heads = attentions[0]?.dims[0] ?? 0;
  const n = tokenTypeIds.length;
  const aToB = new Float32Array(layers * heads);
  const bToA = new Float32Array(layers * heads);
  const countA = tokenTypeIds.filter((t) => t === 0).length;
  const countB = n - countA;
  attentions.forEach((att, l) => {
    for (let h = 0; h < heads; h++) {
      let ab = 0;
      let ba = 0;
      for (let q = 0; q < n; q++)
        for (let k = 0; k < n; k++) {
          if (tokenTypeIds[q] === tokenTypeIds[k]) continue;
          const w = att.data[(h * n + q) * n + k]!;
          if (tokenTypeIds[q] === 0) ab += w;
          else ba += w;
        }
      aToB[l * heads + h] = countA ? ab / countA : 0;
      bToA[l * heads + h] = countB ? ba / countB : 0;
    }
  });
  return { aToB: { data: aToB, dims: [layers, heads] }, bToA: { data: bToA, dims: [layers, heads] } };
}
