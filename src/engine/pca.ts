/**
 * Principal component analysis for the projection views: the top k directions of a point cloud (n points ×
 * d dimensions, row-major float32), by subspace iteration on the centred data (never forming the d×d
 * covariance, which for albert-base is 768² and for "paths" over 13 layers would cost n·d² to build), finished
 * with a Rayleigh–Ritz step. Deterministic: a seeded start and sklearn's sign rule (each component is flipped
 * so that the point with the largest |score| on it scores positive).
 */

export interface PcaResult {
  /** k × d, row-major: the principal directions. */
  components: Float64Array;
  /** n × k, row-major: each point's coordinates. */
  scores: Float32Array;
  /** Variance along each component. */
  variances: number[];
  /** Each component's share of the total variance (0..1). */
  explainedRatio: number[];
  mean: Float64Array;
  k: number;
}

/** Symmetric eigen-decomposition by cyclic Jacobi rotations (small matrices only). Eigenvalues descending. */
export function symmetricEigen(matrix: Float64Array, m: number): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += a[p * m + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < m; p++)
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * m + q]! - a[p * m + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = a[k * m + p]!;
          const akq = a[k * m + q]!;
          a[k * m + p] = c * akp - s * akq;
          a[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = a[p * m + k]!;
          const aqk = a[q * m + k]!;
          a[p * m + k] = c * apk - s * aqk;
          a[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + p]!;
          const vkq = v[k * m + q]!;
          v[k * m + p] = c * vkp - s * vkq;
          v[k * m + q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: m }, (_, i) => i).toSorted((i, j) => a[j * m + j]! - a[i * m + i]!);
  const vectors = new Float64Array(m * m);
  order.forEach((src, dst) => {
    for (let k = 0; k < m; k++) vectors[k * m + dst] = v[k * m + src]!;
  });
  return { values: order.map((i) => a[i * m + i]!), vectors };
}

/** Removes column j's components along columns 0..j-1 (twice: one pass leaves rounding error behind). */
function orthogonalizeColumn(q: Float64Array, d: number, m: number, j: number): number {
  for (let pass = 0; pass < 2; pass++)
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let r = 0; r < d; r++) dot += q[r * m + i]! * q[r * m + j]!;
      for (let r = 0; r < d; r++) q[r * m + j]! -= dot * q[r * m + i]!;
    }
  let norm = 0;
  for (let r = 0; r < d; r++) norm += q[r * m + j]! ** 2;
  return Math.sqrt(norm);
}

/**
 * Orthonormalizes the m columns of a d×m matrix in place (Gram–Schmidt, twice). When the data have fewer
 * directions than columns (few points), a column can vanish into rounding noise; it is replaced by a unit
 * vector orthogonal to the others, so the basis stays orthonormal and Rayleigh–Ritz stays exact.
 */
function orthonormalize(q: Float64Array, d: number, m: number): void {
  for (let j = 0; j < m; j++) {
    let before = 0;
    for (let r = 0; r < d; r++) before += q[r * m + j]! ** 2;
    let norm = orthogonalizeColumn(q, d, m, j);
    for (let t = 0; norm <= 1e-9 * Math.sqrt(before) || norm === 0; t++) {
      if (t >= d) throw new Error('pca: could not complete an orthonormal basis');
      for (let r = 0; r < d; r++) q[r * m + j] = r === (j + t) % d ? 1 : 0;
      before = 1;
      norm = orthogonalizeColumn(q, d, m, j);
      if (norm < 0.1) norm = 0;
    }
    for (let r = 0; r < d; r++) q[r * m + j]! /= norm;
  }
}

/** C·V for the centred data's covariance C = XᵀX/(n−1), without forming C: Xᵀ(XV). */
function covarianceTimes(
  x: Float32Array,
  mean: Float64Array,
  n: number,
  d: number,
  v: Float64Array,
  m: number,
): Float64Array {
  const xv = new Float64Array(n * m);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < d; c++) {
      const value = x[r * d + c]! - mean[c]!;
      if (value === 0) continue;
      for (let j = 0; j < m; j++) xv[r * m + j]! += value * v[c * m + j]!;
    }
  const out = new Float64Array(d * m);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < d; c++) {
      const value = x[r * d + c]! - mean[c]!;
      if (value === 0) continue;
      for (let j = 0; j < m; j++) out[c * m + j]! += value * xv[r * m + j]!;
    }
  const scale = 1 / Math.max(n - 1, 1);
  for (let i = 0; i < out.length; i++) out[i]! *= scale;
  return out;
}

/** The top `k` principal components of n points in d dimensions. */
export function pca(x: Float32Array, n: number, d: number, k: number): PcaResult {
  if (x.length !== n * d) throw new Error(`pca: ${n}×${d} does not match ${x.length} values`);
  const kk = Math.max(0, Math.min(k, d, Math.max(n - 1, 0)));
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) mean[c]! += x[r * d + c]!;
  for (let c = 0; c < d; c++) mean[c]! /= Math.max(n, 1);
  let total = 0;
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) total += (x[r * d + c]! - mean[c]!) ** 2;
  total /= Math.max(n - 1, 1);

  if (kk === 0)
    return {
      components: new Float64Array(0),
      scores: new Float32Array(0),
      variances: [],
      explainedRatio: [],
      mean,
      k: 0,
    };
  // Subspace iteration with a few extra vectors for fast, stable convergence of the top k.
  const m = Math.min(d, kk + 4);
  let v: Float64Array = new Float64Array(d * m);
  let seed = 12345;
  for (let i = 0; i < v.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    v[i] = seed / 2 ** 32 - 0.5;
  }
  orthonormalize(v, d, m);
  let previous: number[] = [];
  for (let iter = 0; iter < 300; iter++) {
    v = covarianceTimes(x, mean, n, d, v, m);
    // Rayleigh quotients (column norms after one multiplication) to watch convergence.
    const norms = Array.from({ length: m }, (_, j) => {
      let s = 0;
      for (let r = 0; r < d; r++) s += v[r * m + j]! ** 2;
      return Math.sqrt(s);
    });
    orthonormalize(v, d, m);
    const converged =
      previous.length > 0 &&
      norms.slice(0, kk).every((s, j) => Math.abs(s - previous[j]!) <= 1e-10 * Math.max(s, 1e-30));
    previous = norms;
    if (converged) break;
  }
  // Rayleigh–Ritz: the exact eigenvectors of C within the subspace.
  const cv = covarianceTimes(x, mean, n, d, v, m);
  const small = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let r = 0; r < d; r++) s += v[r * m + i]! * cv[r * m + j]!;
      small[i * m + j] = s;
    }
  for (let i = 0; i < m; i++)
    for (let j = i + 1; j < m; j++)
      small[i * m + j] = small[j * m + i] = (small[i * m + j]! + small[j * m + i]!) / 2;
  const eig = symmetricEigen(small, m);
  const components = new Float64Array(kk * d);
  for (let c = 0; c < kk; c++)
    for (let r = 0; r < d; r++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += v[r * m + j]! * eig.vectors[j * m + c]!;
      components[c * d + r] = s;
    }
  const scores = new Float32Array(n * kk);
  for (let c = 0; c < kk; c++) {
    const dir = components.subarray(c * d, (c + 1) * d);
    let extreme = 0;
    const column = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[r * d + j]! - mean[j]!) * dir[j]!;
      column[r] = s;
      if (Math.abs(s) > Math.abs(extreme)) extreme = s;
    }
    const sign = extreme < 0 ? -1 : 1;
    if (sign < 0) for (let j = 0; j < d; j++) dir[j]! *= -1;
    for (let r = 0; r < n; r++) scores[r * kk + c] = sign * column[r]!;
  }
  const variances = eig.values.slice(0, kk).map((v2) => Math.max(v2, 0));
  return {
    components,
    scores,
    variances,
    explainedRatio: variances.map((v2) => (total > 0 ? v2 / total : 0)),
    mean,
    k: kk,
  };
}
