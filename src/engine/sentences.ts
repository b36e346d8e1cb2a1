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
 * Leaf order of average-linkage agglomerative clustering on cosine distance (1 − cosine): similar lines end up
 * next to each other, so the reordered matrix shows blocks. The nearest-neighbour-chain algorithm with the
 * Lance–Williams update: O(n²) time and one n × n table, so 2,000 lines take a moment, not minutes.
 */
export function clusterOrder(matrix: Float32Array, n: number): number[] {
  const distance = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) distance[i] = 1 - matrix[i]!;
  const size = new Array<number>(n).fill(1);
  const active = new Array<boolean>(n).fill(true);
  const order: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const chain: number[] = [];
  let remaining = n;
  while (remaining > 1) {
    if (chain.length === 0) chain.push(active.indexOf(true));
    const a = chain[chain.length - 1]!;
    const previous = chain.length > 1 ? chain[chain.length - 2]! : -1;
    // The nearest active cluster to a; on a tie the previous link wins, which guarantees progress.
    let b = previous;
    let best = previous >= 0 ? distance[a * n + previous]! : Infinity;
    for (let c = 0; c < n; c++)
      if (active[c] && c !== a && distance[a * n + c]! < best) [b, best] = [c, distance[a * n + c]!];
    if (b !== previous) {
      chain.push(b);
      continue;
    }
    // a and b are each other's nearest: merge b into a.
    chain.length -= 2;
    const total = size[a]! + size[b]!;
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === a || k === b) continue;
      const d = (size[a]! * distance[a * n + k]! + size[b]! * distance[b * n + k]!) / total;
      distance[a * n + k] = distance[k * n + a] = d;
    }
    size[a] = total;
    active[b] = false;
    order[a] = order[a]!.concat(order[b]!);
    remaining--;
  }
  return n ? order[active.indexOf(true)]! : [];
}

/** Each line's k most similar other lines, best first (ties: the earlier line). */
export function nearestNeighbours(matrix: Float32Array, n: number, k: number): number[][] {
  return Array.from({ length: n }, (_r, i) => {
    const top: number[] = [];
    const better = (x: number, y: number) =>
      matrix[i * n + x]! > matrix[i * n + y]! || (matrix[i * n + x] === matrix[i * n + y] && x < y);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      if (top.length === k && !better(j, top[k - 1]!)) continue;
      let at = top.length === k ? k - 1 : top.length;
      while (at > 0 && better(j, top[at - 1]!)) {
        top[at] = top[at - 1]!;
        at--;
      }
      top[at] = j;
    }
    return top.slice(0, k);
  });
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
