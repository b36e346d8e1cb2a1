import { describe, expect, it } from 'vitest';
import { projectPaths, projectTogether } from './projection.ts';

const t = (rows: number[][]) => ({
  data: Float32Array.from(rows.flat()),
  dims: [rows.length, rows[0]!.length],
});

describe('projection', () => {
  it('projects several texts onto one basis fitted over all of them', () => {
    // All points lie on the first axis: PC1 is that axis, carrying all the variance; the largest |score|
    // (text B's first point, at 3) comes out positive by the sign rule.
    const a = t([
      [1, 0, 0],
      [-1, 0, 0],
    ]);
    const b = t([
      [3, 0, 0],
      [-3, 0, 0],
    ]);
    const p = projectTogether([a, b], 1);
    expect(p.points).toBe(4);
    expect(Array.from(p.scores)).toEqual([1, -1, 3, -3].map((v) => expect.closeTo(v, 5)));
    expect(p.explainedRatio[0]).toBeCloseTo(1, 6);
  });

  it('keeps only the rows asked for (specials left out)', () => {
    const a = t([
      [100, 0],
      [1, 0],
      [-1, 0],
      [0, 100],
    ]);
    const p = projectTogether([a], 1, [[1, 2]]);
    expect(p.points).toBe(2);
    expect(Array.from(p.scores)).toEqual([1, -1].map((v) => expect.closeTo(v, 5)));
  });

  it('paths: one basis over every layer, scores layer-major', () => {
    // One token moving along the second axis from layer to layer, another standing still at the origin.
    const layers = [0, 1, 2].map((l) => [
      t([
        [0, 2 * l],
        [0, 0],
      ]),
    ]);
    const p = projectPaths(layers, 1);
    expect(p.points).toBe(2);
    // Mean of the 6 points is (0, 1); PC1 is the second axis; the largest |score| (layer 2, token 0: 4 − 1) > 0.
    expect(Array.from(p.scores)).toEqual([-1, -1, 1, -1, 3, -1].map((v) => expect.closeTo(v, 5)));
  });
});
