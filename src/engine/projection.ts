/**
 * The PCA projection views' geometry: token vectors of one or more texts projected together onto one basis
 * (so texts can be compared on the same axes), and "paths", where one basis is fitted over every layer's
 * vectors so that a token's positions from layer 0 to L are comparable.
 */
import { pca } from './pca.ts';
import type { FloatTensor } from './types.ts';

export interface Projection {
  /** Row-major coordinates: points × k, or for paths layers × points × k. */
  scores: Float32Array;
  k: number;
  /** Each axis's share of the variance of the fitted points (0..1). */
  explainedRatio: number[];
  /** Points per layer (all sets' kept rows, in order). */
  points: number;
}

/** The rows of a [tokens, width] tensor that `keep` selects, appended to `out` at `offset`. */
function copyRows(t: FloatTensor, keep: number[], out: Float32Array, offset: number): number {
  const width = t.dims[1]!;
  for (const r of keep) {
    out.set(t.data.subarray(r * width, (r + 1) * width), offset);
    offset += width;
  }
  return offset;
}

/** The kept rows of [tokens, width] tensors, one after another, as one row-major matrix (n × d). */
export function stack(tensors: FloatTensor[], keep: number[][]): { x: Float32Array; n: number; d: number } {
  const d = tensors[0]?.dims[1] ?? 0;
  const n = keep.reduce((s, k) => s + k.length, 0);
  const x = new Float32Array(n * d);
  let offset = 0;
  tensors.forEach((t, i) => {
    if (t.dims[1] !== d) throw new Error(`projection: widths differ (${t.dims[1]} vs ${d})`);
    offset = copyRows(t, keep[i]!, x, offset);
  });
  return { x, n, d };
}

const allRows = (t: FloatTensor) => Array.from({ length: t.dims[0]! }, (_, i) => i);

/**
 * Projects the kept rows of several [tokens, width] tensors (one per text) onto the top k principal
 * components of all of them together.
 * @param keep per tensor, the row indices to include (default: all)
 */
export function projectTogether(tensors: FloatTensor[], k: number, keep = tensors.map(allRows)): Projection {
  const { x, n, d } = stack(tensors, keep);
  const result = pca(x, n, d, k);
  return { scores: result.scores, k: result.k, explainedRatio: result.explainedRatio, points: n };
}

/**
 * One basis fitted over every layer: `layers[l][s]` is set s's [tokens, width] tensor at layer l. Scores come
 * back layer-major, so layer l's points are rows l·points … (l+1)·points − 1.
 */
export function projectPaths(layers: FloatTensor[][], k: number, keep?: number[][]): Projection {
  const rows = keep ?? (layers[0] ?? []).map(allRows);
  const { x, n, d } = stack(
    layers.flat(),
    layers.flatMap(() => rows),
  );
  const result = pca(x, n, d, k);
  return {
    scores: result.scores,
    k: result.k,
    explainedRatio: result.explainedRatio,
    points: layers.length ? n / layers.length : 0,
  };
}
