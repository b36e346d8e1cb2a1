import { UMAP } from 'umap-js';
import { describe, expect, it } from 'vitest';
import { withPortableMath } from './portableMath.ts';
import { seeded } from './random.ts';
import { clampNeighbours, umapLayout, umapProjection } from './umap.ts';

/** `clusters` tight clouds of `each` points in d dimensions, far apart, point i in cluster ⌊i / each⌋. */
function clouds(clusters: number, each: number, d: number, seed = 7): Float32Array {
  const random = seeded(seed);
  const x = new Float32Array(clusters * each * d);
  for (let c = 0; c < clusters; c++)
    for (let p = 0; p < each; p++)
      for (let j = 0; j < d; j++) x[((c * each + p) * d + j) | 0] = (j % clusters === c ? 10 : 0) + random();
  return x;
}

const options = { neighbours: 5, minDist: 0.1, seed: 42 };

describe('umapLayout', () => {
  it('gives what umap-js fit() gives with the same seeded generator and portable Math, bit for bit', async () => {
    const x = clouds(3, 8, 16);
    const ours = await umapLayout(x, 24, 16, options);
    const rows = Array.from({ length: 24 }, (_, r) => Array.from(x.subarray(r * 16, (r + 1) * 16)));
    const reference = withPortableMath(() =>
      new UMAP({ nNeighbors: 5, minDist: 0.1, random: seeded(42) }).fit(rows),
    );
    expect(Array.from(ours.coordinates)).toEqual(reference.flat());
    expect(ours).toMatchObject({ k: 2, points: 24, epochs: 500, totalEpochs: 500, cancelled: false });
  });

  it('is deterministic for a seed, and another seed gives another layout', async () => {
    const x = clouds(2, 10, 8);
    const a = await umapLayout(x, 20, 8, options);
    const b = await umapLayout(x, 20, 8, options);
    const c = await umapLayout(x, 20, 8, { ...options, seed: 43 });
    expect(Array.from(b.coordinates)).toEqual(Array.from(a.coordinates));
    const moved = Math.max(...a.coordinates.map((v, i) => Math.abs(v - c.coordinates[i]!)));
    expect(moved).toBeGreaterThan(0.1);
  });

  it('keeps well-separated clusters apart: each point is nearer its own cluster’s centre than any other', async () => {
    const clusters = 3;
    const each = 10;
    const { coordinates } = await umapLayout(clouds(clusters, each, 12), clusters * each, 12, options);
    const centre = (c: number) =>
      [0, 1].map((axis) => {
        let s = 0;
        for (let p = 0; p < each; p++) s += coordinates[(c * each + p) * 2 + axis]!;
        return s / each;
      });
    const centres = Array.from({ length: clusters }, (_, c) => centre(c));
    for (let i = 0; i < clusters * each; i++) {
      const distances = centres.map(([cx, cy]) =>
        Math.hypot(coordinates[i * 2]! - cx!, coordinates[i * 2 + 1]! - cy!),
      );
      expect(distances.indexOf(Math.min(...distances))).toBe(Math.floor(i / each));
    }
  });

  it('clamps the neighbours to the points there are', async () => {
    expect(clampNeighbours(15, 6)).toBe(5);
    expect(clampNeighbours(15, 100)).toBe(15);
    expect(clampNeighbours(1.5, 100)).toBe(2);
    const result = await umapLayout(clouds(1, 6, 4), 6, 4, { ...options, neighbours: 15, k: 3 });
    expect(result).toMatchObject({ neighbours: 5, k: 3, points: 6 });
    expect(result.coordinates).toHaveLength(18);
    expect(result.coordinates.every(Number.isFinite)).toBe(true);
  });

  it('stops at the first pause when asked to, with the layout so far and its progress', async () => {
    const x = clouds(2, 10, 8);
    const seen: number[] = [];
    let asked = 0;
    const result = await umapLayout(x, 20, 8, options, {
      onProgress: (p) => seen.push(p.epoch),
      shouldStop: () => ++asked === 3,
      sliceMs: 0,
    });
    expect(result).toMatchObject({ cancelled: true, epochs: 3, totalEpochs: 500 });
    expect(seen).toEqual([1, 2, 3]);
    expect(result.coordinates.every(Number.isFinite)).toBe(true);
  });

  it('says what is wrong with unusable input in one sentence', async () => {
    await expect(umapLayout(new Float32Array(4), 2, 2, options)).rejects.toThrow(
      'UMAP needs at least 3 points (got 2)',
    );
    const x = clouds(1, 4, 2);
    await expect(umapLayout(x, 4, 2, { ...options, minDist: 2 })).rejects.toThrow(
      "UMAP's min-dist must be between 0 and 1 (got 2)",
    );
    await expect(umapLayout(x, 4, 2, { ...options, neighbours: 1 })).rejects.toThrow(
      "UMAP's neighbours must be at least 2 (got 1)",
    );
    await expect(umapLayout(x, 4, 2, { ...options, seed: 0.5 })).rejects.toThrow(
      "UMAP's seed must be an integer (got 0.5)",
    );
  });

  it('becomes float32 scores for the projection charts', async () => {
    const result = await umapLayout(clouds(1, 5, 3), 5, 3, options);
    const projection = umapProjection(result);
    expect(projection).toMatchObject({ k: 2, points: 5, explainedRatio: [] });
    expect(Array.from(projection.scores)).toEqual(Array.from(Float32Array.from(result.coordinates)));
  });
});
