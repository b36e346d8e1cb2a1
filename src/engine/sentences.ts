/**
 * Many sentences at once, as pooled vectors: their cosine matrix, an order that puts similar lines together
 * (average-linkage clustering's leaf order), each line's nearest neighbours, ranking by a query, and few-shot
 * classification by nearest centroid and by k nearest neighbours.
 */
import { cosine } from './pooling.ts';

/** [n × n] cosines of n vectors (row-major). */
export function similarityMatrix(vectors: Float32Array[]): Float32Array {
  const n = vectors.length;
  const unit = vectors.map((v) => {
    const norm = Math.hypot(...v) || 1;
    return Float64Array.from(v, (x) => x / norm);
  });
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    out[i * n + i] = unit[i]!.some((x) => x !== 0) ? 1 : 0;
    for (let j = i + 1; j < n; j++) {
      let dot = 0;
      const a = unit[i]!;
      const b = unit[j]!;
      for (let d = 0; d < a.length; d++) dot += a[d]! * b[d]!;
      out[i * n + j] = out[j * n + i] = dot;
    }
  }
  return out;
}

/**
 * Leaf order of average-linkage agglomerative clustering on cosine similarity: similar lines end up next to
 * each other, so the reordered matrix shows blocks. O(n³) in the worst case; 500 lines take well under a second.
 */
export function clusterOrder(matrix: Float32Array, n: number): number[] {
  let clusters = Array.from({ length: n }, (_, i) => ({ members: [i], order: [i] }));
  // Average similarity between clusters, kept as a dense table updated on each merge.
  let sim = Array.from({ length: n }, (_r, i) => Array.from({ length: n }, (_c, j) => matrix[i * n + j]!));
  while (clusters.length > 1) {
    let bi = 0;
    let bj = 1;
    for (let i = 0; i < clusters.length; i++)
      for (let j = i + 1; j < clusters.length; j++) if (sim[i]![j]! > sim[bi]![bj]!) [bi, bj] = [i, j];
    const a = clusters[bi]!;
    const b = clusters[bj]!;
    const merged = { members: [...a.members, ...b.members], order: [...a.order, ...b.order] };
    const row = clusters.map((_, k) =>
      k === bi || k === bj
        ? 0
        : (sim[bi]![k]! * a.members.length + sim[bj]![k]! * b.members.length) / merged.members.length,
    );
    const keep = clusters.map((_, k) => k).filter((k) => k !== bj);
    clusters = keep.map((k) => (k === bi ? merged : clusters[k]!));
    sim = keep.map((r) => keep.map((c) => (r === bi ? row[c]! : c === bi ? row[r]! : sim[r]![c]!)));
  }
  return clusters[0]?.order ?? [];
}

/** Each line's k most similar other lines, best first. */
export function nearestNeighbours(matrix: Float32Array, n: number, k: number): number[][] {
  return Array.from({ length: n }, (_r, i) =>
    Array.from({ length: n }, (_c, j) => j)
      .filter((j) => j !== i)
      .toSorted((x, y) => matrix[i * n + y]! - matrix[i * n + x]! || x - y)
      .slice(0, k),
  );
}

/** Lines ranked by cosine with a query vector, best first. */
export function rankByQuery(
  query: Float32Array,
  vectors: Float32Array[],
): { index: number; cosine: number }[] {
  return vectors
    .map((v, index) => ({ index, cosine: cosine(query, v) }))
    .toSorted((a, b) => b.cosine - a.cosine || a.index - b.index);
}

export interface Classified {
  /** Cosine with each label's centroid (mean of its examples' vectors), by label. */
  centroid: Record<string, number>;
  centroidLabel: string;
  /** The k nearest examples: index into the examples, label, cosine. */
  neighbours: { example: number; label: string; cosine: number }[];
  /** Per label, the sum of the cosines of its examples among the k nearest. */
  votes: Record<string, number>;
  knnLabel: string;
}

const best = (scores: Record<string, number>) =>
  Object.entries(scores).reduce((m, e) => (e[1] > m[1] ? e : m), ['', -Infinity] as [string, number])[0];

/** Few-shot classification of `items` from labelled examples, by nearest centroid and by k-NN (cosine-weighted). */
export function classify(
  examples: { label: string; vector: Float32Array }[],
  items: Float32Array[],
  k: number,
): Classified[] {
  const labels = [...new Set(examples.map((e) => e.label))];
  const centroids = labels.map((label) => {
    const members = examples.filter((e) => e.label === label);
    const c = new Float32Array(members[0]!.vector.length);
    for (const m of members) for (let d = 0; d < c.length; d++) c[d]! += m.vector[d]! / members.length;
    return c;
  });
  return items.map((v) => {
    const centroid = Object.fromEntries(labels.map((l, i) => [l, cosine(v, centroids[i]!)]));
    const neighbours = examples
      .map((e, example) => ({ example, label: e.label, cosine: cosine(v, e.vector) }))
      .toSorted((a, b) => b.cosine - a.cosine || a.example - b.example)
      .slice(0, k);
    const votes = Object.fromEntries(labels.map((l) => [l, 0]));
    for (const nb of neighbours) votes[nb.label]! += nb.cosine;
    return { centroid, centroidLabel: best(centroid), neighbours, votes, knnLabel: best(votes) };
  });
}
