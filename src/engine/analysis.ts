/**
 * Derived quantities the views show, computed where the tensors are (the worker): per-token norms, how much
 * each token's vector turns from one layer to the next, attention averaged over heads, and attention with the
 * special tokens taken out (rows renormalized, so each still sums to 1).
 */
import { cosine } from './pooling.ts';
import type { FloatTensor } from './types.ts';

/** [tokens] Euclidean norm of each row of a [tokens, hidden] tensor. */
export function tokenNorms(hidden: FloatTensor): Float32Array {
  const [tokens, width] = hidden.dims as [number, number];
  const out = new Float32Array(tokens);
  for (let t = 0; t < tokens; t++) {
    let s = 0;
    for (let d = 0; d < width; d++) s += hidden.data[t * width + d]! ** 2;
    out[t] = Math.sqrt(s);
  }
  return out;
}

/**
 * [tokens, L]: cosine between each token's vector at layer i and at layer i+1 (i = 0..L-1). Near 1 means the
 * layer barely changed it.
 */
export function layerCosines(hiddenStates: FloatTensor[]): FloatTensor {
  const layers = hiddenStates.length - 1;
  const [tokens, width] = (hiddenStates[0]?.dims ?? [0, 0]) as [number, number];
  const data = new Float32Array(tokens * Math.max(layers, 0));
  for (let l = 0; l < layers; l++) {
    const a = hiddenStates[l]!.data;
    const b = hiddenStates[l + 1]!.data;
    for (let t = 0; t < tokens; t++)
      data[t * layers + l] = cosine(
        a.subarray(t * width, (t + 1) * width),
        b.subarray(t * width, (t + 1) * width),
      );
  }
  return { data, dims: [tokens, Math.max(layers, 0)] };
}

/** [n, n]: the mean over heads of a [heads, n, n] attention tensor. */
export function headAverage(attention: FloatTensor): FloatTensor {
  const [heads, n] = attention.dims as [number, number, number];
  const out = new Float32Array(n * n);
  for (let h = 0; h < heads; h++) for (let i = 0; i < n * n; i++) out[i]! += attention.data[h * n * n + i]!;
  for (let i = 0; i < n * n; i++) out[i]! /= heads;
  return { data: out, dims: [n, n] };
}

/** One head's [n, n] map out of [heads, n, n]. */
export function headMap(attention: FloatTensor, head: number): FloatTensor {
  const n = attention.dims[1]!;
  return { data: attention.data.subarray(head * n * n, (head + 1) * n * n), dims: [n, n] };
}

/**
 * Drops the rows and columns of some tokens (specials, pads) from an [n, n] attention map and rescales each
 * remaining row to sum to 1. Returns the kept token indices. A row whose kept weights sum to 0 stays 0.
 * Dropping only pads changes no weight: the mask already gave them none.
 */
export function withoutTokens(map: FloatTensor, drop: boolean[]): { map: FloatTensor; kept: number[] } {
  const n = map.dims[0]!;
  const kept = Array.from({ length: n }, (_, i) => i).filter((i) => !drop[i]);
  const m = kept.length;
  const out = new Float32Array(m * m);
  kept.forEach((qi, r) => {
    let total = 0;
    for (const kj of kept) total += map.data[qi * n + kj]!;
    kept.forEach((kj, c) => {
      out[r * m + c] = total > 0 ? map.data[qi * n + kj]! / total : 0;
    });
  });
  return { map: { data: out, dims: [m, m] }, kept };
}

/**
 * Shrinks a [rows, cols] map to at most `size` × `size` by taking the largest value in each block, so a thin
 * pattern (one token attending to its neighbour) still shows in a thumbnail where an average would fade it.
 */
export function downsampleMax(map: FloatTensor, size: number): FloatTensor {
  const [rows, cols] = map.dims as [number, number];
  const outRows = Math.min(rows, size);
  const outCols = Math.min(cols, size);
  const out = new Float32Array(outRows * outCols);
  for (let r = 0; r < outRows; r++) {
    const r0 = Math.floor((r * rows) / outRows);
    const r1 = Math.floor(((r + 1) * rows) / outRows);
    for (let c = 0; c < outCols; c++) {
      const c0 = Math.floor((c * cols) / outCols);
      const c1 = Math.floor(((c + 1) * cols) / outCols);
      let m = -Infinity;
      for (let i = r0; i < r1; i++) for (let j = c0; j < c1; j++) m = Math.max(m, map.data[i * cols + j]!);
      out[r * outCols + c] = m;
    }
  }
  return { data: out, dims: [outRows, outCols] };
}
