import { describe, expect, it } from 'vitest';
import { classify, clusterOrder, nearestNeighbours, rankByQuery, similarityMatrix } from './sentences.ts';

const v = (...x: number[]) => Float32Array.from(x);

const group = (i: number) => (i === 1 || i === 3 ? 'b' : 'a');

describe('many sentences', () => {
  // Two groups: near (1,0) and near (0,1), interleaved in the input.
  const vectors = [v(1, 0), v(0, 1), v(1, 0.1), v(0.1, 1), v(1, 0.2)];
  const matrix = similarityMatrix(vectors);

  it('cosine matrix, symmetric with ones on the diagonal', () => {
    expect(matrix[0]).toBeCloseTo(1, 6);
    expect(matrix[1]).toBeCloseTo(0, 6);
    expect(matrix[2]).toBeCloseTo(1 / Math.hypot(1, 0.1), 6);
    expect(matrix[5 * 2 + 0]).toBe(matrix[2]);
  });

  it('cluster order puts each group together', () => {
    const order = clusterOrder(matrix, 5);
    expect(order.toSorted()).toEqual([0, 1, 2, 3, 4]);
    const runs = order.map(group).join('');
    expect(['aaabb', 'bbaaa']).toContain(runs);
  });

  it('clusters 2,000 lines in well under a few seconds, three planted groups in three runs', () => {
    const n = 2000;
    const lines = Array.from({ length: n }, (_, i) => {
      const vector = new Float32Array(8);
      vector[i % 3] = 1;
      vector[3 + (i % 5)] = (0.05 * ((i * 7919) % 13)) / 13; // a little noise off the group's axis
      return vector;
    });
    const started = performance.now();
    const order = clusterOrder(similarityMatrix(lines), n);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(order.toSorted((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    const changes = order.filter((line, r) => r > 0 && line % 3 !== order[r - 1]! % 3).length;
    expect(changes).toBe(2);
  });

  it('nearest neighbours and ranking by a query', () => {
    expect(nearestNeighbours(matrix, 5, 2)[0]).toEqual([2, 4]);
    expect(nearestNeighbours(matrix, 5, 1)[1]).toEqual([3]);
    const ranked = rankByQuery(v(0, 1), vectors);
    expect(ranked.map((r) => r.index)).toEqual([1, 3, 4, 2, 0]);
    expect(ranked[0]!.cosine).toBeCloseTo(1, 6);
  });

  it('classifies by nearest centroid and by cosine-weighted k-NN', () => {
    const examples = [
      { label: 'pos', vector: v(1, 0) },
      { label: 'pos', vector: v(1, 0.2) },
      { label: 'neg', vector: v(0, 1) },
    ];
    const [a, b] = classify(examples, [v(1, 0.1), v(0.2, 1)], 2);
    expect(a!.centroidLabel).toBe('pos');
    // (1, 0.1) is a hair closer to (1, 0.2) than to (1, 0).
    expect(a!.neighbours.map((n) => n.example)).toEqual([1, 0]);
    expect(a!.knnLabel).toBe('pos');
    expect(b!.centroidLabel).toBe('neg');
    // Its nearest two: the neg example, then the closer pos one.
    expect(b!.neighbours.map((n) => n.label)).toEqual(['neg', 'pos']);
    expect(b!.votes.neg).toBeCloseTo(1 / Math.hypot(0.2, 1), 6);
    expect(b!.knnLabel).toBe('neg');
  });
});
