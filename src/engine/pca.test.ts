/** PCA against decompositions known by construction, and against NumPy's SVD where python3 has it. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pca, symmetricEigen } from './pca.ts';
import { hasNumpy } from './testing/numpy.ts';

/** Rows of the 8×8 Sylvester–Hadamard matrix: mutually orthogonal ±1 sequences. */
const hadamard = (i: number, j: number) => (popcount(i & j) % 2 ? -1 : 1);
function popcount(x: number): number {
  let c = 0;
  for (; x; x >>= 1) c += x & 1;
  return c;
}

/** An orthonormal basis of R^d from a fixed, non-degenerate set of vectors. */
function basis(d: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < d; i++) {
    let v = Array.from({ length: d }, (_, j) => Math.cos((i + 1) * (j + 2)) + (i === j ? 2 : 0));
    for (const u of out) {
      const dot = v.reduce((s, x, j) => s + x * u[j]!, 0);
      v = v.map((x, j) => x - dot * u[j]!);
    }
    const norm = Math.hypot(...v);
    out.push(v.map((x) => x / norm));
  }
  return out;
}

describe('pca', () => {
  // 8 points in 6-d: coordinates along basis direction i are σ_i times Hadamard column i+1 (zero mean,
  // mutually orthogonal), plus an offset. So the principal axes are exactly the basis, with variances
  // σ_i² · 8/7, and the explained ratios are σ_i² / Σσ².
  const d = 6;
  const n = 8;
  const sigmas = [3, 2, 1.5, 1, 0.5, 0.25];
  const axes = basis(d);
  const x = new Float32Array(n * d);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < d; c++)
      x[r * d + c] = 5 + sigmas.reduce((s, sigma, i) => s + sigma * hadamard(r, i + 1) * axes[i]![c]!, 0);

  it('recovers principal axes and explained variance known by construction', () => {
    const result = pca(x, n, d, 3);
    const total = sigmas.reduce((s, v) => s + v * v, 0);
    expect(result.k).toBe(3);
    for (let c = 0; c < 3; c++) {
      const dot = axes[c]!.reduce((s, v, j) => s + v * result.components[c * d + j]!, 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 5);
      expect(result.variances[c]).toBeCloseTo((sigmas[c]! ** 2 * n) / (n - 1), 4);
      expect(result.explainedRatio[c]).toBeCloseTo(sigmas[c]! ** 2 / total, 5);
    }
    // Scores are the data's coordinates along each axis: σ_i · Hadamard column (up to the sign rule).
    for (let r = 0; r < n; r++) expect(Math.abs(result.scores[r * 3]!)).toBeCloseTo(sigmas[0]!, 4);
  });

  it('is deterministic and follows the sign rule: the largest |score| is positive', () => {
    const a = pca(x, n, d, 3);
    const b = pca(x, n, d, 3);
    expect(Array.from(a.scores)).toEqual(Array.from(b.scores));
    for (let c = 0; c < 3; c++) {
      const column = Array.from({ length: n }, (_, r) => a.scores[r * 3 + c]!);
      const extreme = column.reduce((m, v) => (Math.abs(v) > Math.abs(m) ? v : m), 0);
      expect(extreme).toBeGreaterThan(0);
    }
  });

  it('handles fewer points than components, and identical points', () => {
    expect(pca(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3, 3).k).toBe(1);
    const same = pca(new Float32Array(12).fill(2), 4, 3, 2);
    expect(same.explainedRatio).toEqual([0, 0]);
    expect(Array.from(same.scores).every((v) => Math.abs(v) < 1e-6)).toBe(true);
  });

  it('stays exact when the points span fewer directions than the iteration carries', () => {
    // Four points in 10-D along two axes: variances 8/3 and 2/3, ratios 0.8 and 0.2, nothing left over.
    const width = 10;
    const points = new Float32Array(4 * width);
    [
      [0, 2],
      [0, -2],
      [1, 1],
      [1, -1],
    ].forEach(([axis, v], r) => (points[r * width + axis!] = v!));
    const result = pca(points, 4, width, 3);
    expect(result.explainedRatio).toEqual([0.8, 0.2, 0].map((v) => expect.closeTo(v, 9)));
    expect(Array.from(result.scores.filter((_, i) => i % 3 === 0))).toEqual(
      [2, -2, 0, 0].map((v) => expect.closeTo(v, 6)),
    );
  });

  it('symmetricEigen diagonalizes a known matrix', () => {
    // [[2,1],[1,2]] has eigenvalues 3 and 1 with vectors (1,1)/√2 and (1,−1)/√2.
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 12);
  });

  const numpy = hasNumpy();
  it.skipIf(!numpy)('matches NumPy’s SVD on random data (components, ratios, signed scores)', () => {
    const rows = 40;
    const cols = 24;
    let seed = 7;
    const data = Float32Array.from({ length: rows * cols }, (_, i) => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return Math.fround((seed / 2 ** 32 - 0.5) * (1 + (i % cols) / 4));
    });
    const script = `
import json, sys, numpy as np
x = np.array(json.load(sys.stdin), dtype=np.float64).reshape(${rows}, ${cols})
xc = x - x.mean(0)
u, s, vt = np.linalg.svd(xc, full_matrices=False)
signs = np.sign(u[np.abs(u).argmax(0), range(u.shape[1])])  # sklearn's svd_flip
u, vt = u * signs, vt * signs[:, None]
var = s**2 / (${rows} - 1)
print(json.dumps({"components": vt[:3].tolist(), "ratio": (var[:3] / var.sum()).tolist(), "scores": (u[:, :3] * s[:3]).tolist()}))`;
    const ref = JSON.parse(
      execFileSync('python3', ['-c', script], { input: JSON.stringify(Array.from(data)), encoding: 'utf8' }),
    ) as {
      components: number[][];
      ratio: number[];
      scores: number[][];
    };
    const result = pca(data, rows, cols, 3);
    for (let c = 0; c < 3; c++) {
      expect(result.explainedRatio[c]).toBeCloseTo(ref.ratio[c]!, 6);
      for (let j = 0; j < cols; j++)
        expect(result.components[c * cols + j]).toBeCloseTo(ref.components[c]![j]!, 5);
      for (let r = 0; r < rows; r++) expect(result.scores[r * 3 + c]).toBeCloseTo(ref.scores[r]![c]!, 4);
    }
  });
});
