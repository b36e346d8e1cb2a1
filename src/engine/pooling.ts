/**
 * Sentence vectors from token vectors, and cosine similarity. Mean pooling averages every token of the text,
 * [CLS] and [SEP] included, as sentence-transformers does with ALBERT's attention mask.
 */
import type { FloatTensor } from './types.ts';

export type Pooling = 'mean' | 'cls' | 'max';

/**
 * Pools a [tokens, hidden] tensor into one [hidden] vector.
 * @param mask optional per-token 0/1; tokens with 0 (padding) are left out.
 */
export function pool(hidden: FloatTensor, pooling: Pooling, mask?: ArrayLike<number>): Float32Array {
  const [tokens, width] = hidden.dims.slice(-2) as [number, number];
  const data = hidden.data;
  const out = new Float32Array(width);
  if (pooling === 'cls') {
    out.set(data.subarray(0, width));
    return out;
  }
  if (pooling === 'max') out.fill(-Infinity);
  const acc = pooling === 'mean' ? new Float64Array(width) : undefined;
  let count = 0;
  for (let t = 0; t < tokens; t++) {
    if (mask && !mask[t]) continue;
    count++;
    const row = t * width;
    for (let d = 0; d < width; d++) {
      const v = data[row + d]!;
      if (acc) acc[d]! += v;
      else if (v > out[d]!) out[d] = v;
    }
  }
  if (acc) for (let d = 0; d < width; d++) out[d] = count ? acc[d]! / count : 0;
  else if (count === 0) out.fill(0);
  return out;
}

/** Cosine similarity; 0 when either vector is all zeros. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`cosine: lengths differ (${a.length} vs ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * One sentence vector per text of a batch: `hidden` is [batch, n, hidden] and `lengths` each text's own token
 * count, so padding rows never enter the pooling.
 */
export function poolBatch(hidden: FloatTensor, lengths: number[], pooling: Pooling): Float32Array[] {
  const [, n, width] = hidden.dims as [number, number, number];
  return lengths.map((length, b) =>
    pool(
      { data: hidden.data.subarray(b * n * width, (b * n + length) * width), dims: [length, width] },
      pooling,
    ),
  );
}
