import { describe, expect, it } from 'vitest';
import { downsampleMax, headAverage, headMap, layerCosines, tokenNorms, withoutTokens } from './analysis.ts';

const t = (values: number[], dims: number[]) => ({ data: Float32Array.from(values), dims });

describe('analysis', () => {
  it('tokenNorms: the norm of each row', () => {
    expect(Array.from(tokenNorms(t([3, 4, 0, 0, 1, 0], [3, 2])))).toEqual([5, 0, 1]);
  });

  it('layerCosines: cosine of each token between consecutive layers', () => {
    // Token 0 keeps its direction (cos 1), then turns 90° (cos 0); token 1 flips (cos −1), then stays.
    const layers = [t([1, 0, 0, 1], [2, 2]), t([2, 0, 0, -1], [2, 2]), t([0, 3, 0, -5], [2, 2])];
    const result = layerCosines(layers);
    expect(result.dims).toEqual([2, 2]);
    expect(Array.from(result.data)).toEqual([1, 0, -1, 1]);
  });

  it('headAverage and headMap', () => {
    const attention = t([1, 0, 0, 1, 0, 1, 1, 0], [2, 2, 2]);
    expect(Array.from(headAverage(attention).data)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(headMap(attention, 1).data)).toEqual([0, 1, 1, 0]);
  });

  it('withoutTokens drops [CLS]/[SEP] rows and columns and renormalizes each row', () => {
    // Rows: [CLS] a b [SEP]; "a" gives 0.5 to [CLS], 0.2 to itself, 0.3 to b.
    const map = t([1, 0, 0, 0, 0.5, 0.2, 0.3, 0, 0.1, 0.1, 0.1, 0.7, 0.25, 0.25, 0.25, 0.25], [4, 4]);
    const { map: out, kept } = withoutTokens(map, [true, false, false, true]);
    expect(kept).toEqual([1, 2]);
    expect(out.dims).toEqual([2, 2]);
    expect(Array.from(out.data).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.4, 0.6, 0.5, 0.5]);
  });
});

describe('downsampleMax', () => {
  it('keeps each block’s largest value, so a thin diagonal survives shrinking', () => {
    const n = 6;
    const eye = new Float32Array(n * n);
    for (let i = 0; i < n; i++) eye[i * n + i] = 1;
    const small = downsampleMax({ data: eye, dims: [n, n] }, 3);
    expect(small.dims).toEqual([3, 3]);
    expect(Array.from(small.data)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('leaves maps smaller than the size as they are, and handles uneven blocks', () => {
    const map = { data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), dims: [3, 3] };
    expect(Array.from(downsampleMax(map, 8).data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // 3 → 2: blocks are rows/cols [0] and [1, 2].
    expect(Array.from(downsampleMax(map, 2).data)).toEqual([1, 3, 7, 9]);
  });
});
