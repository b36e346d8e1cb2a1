/**
 * The probe: a fit must end where the objective's slope (by finite differences of a loss written out here) is
 * flat; separable classes are read perfectly, shuffled labels about as well as chance; one accuracy in [0, 1]
 * per hidden state, with folds that keep a sentence together.
 */
import { describe, expect, it } from 'vitest';
import { crossValidatedAccuracy, designOf, fitSoftmax, predictClass, probeLayers } from './probe.ts';

/** A small deterministic generator (mulberry32), and standard normals from it. */
function random(seed: number) {
  let a = seed;
  const uniform = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/** n points in d dimensions around one centre per class (class i % classes), spread `noise`. */
function clusters(n: number, d: number, classes: number, noise: number, seed: number) {
  const r = random(seed);
  const centres = Array.from({ length: classes }, () => Array.from({ length: d }, () => 3 * r.normal()));
  const y = Array.from({ length: n }, (_, i) => i % classes);
  const rows = y.map((c) => Float32Array.from(centres[c]!, (m) => m + noise * r.normal()));
  return { rows, y };
}

/** Mean cross-entropy + λ/2·‖W‖² (biases free), written out independently of probe.ts. */
function loss(x: Float64Array, y: number[], w: Float64Array, classes: number, l2: number): number {
  const width = w.length / classes;
  let total = 0;
  y.forEach((label, i) => {
    const z = Array.from({ length: classes }, (_, k) => {
      let s = 0;
      for (let j = 0; j < width; j++) s += w[k * width + j]! * x[i * width + j]!;
      return s;
    });
    const max = Math.max(...z);
    total += Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0)) + max - z[label]!;
  });
  let penalty = 0;
  for (let k = 0; k < classes; k++) for (let j = 0; j < width - 1; j++) penalty += w[k * width + j]! ** 2;
  return total / y.length + (l2 / 2) * penalty;
}

describe('softmax probe', () => {
  it('ends at the minimum of the penalized objective (its finite-difference slope is flat)', () => {
    const { rows, y } = clusters(40, 12, 3, 2, 1);
    const l2 = 1 / rows.length;
    const model = fitSoftmax(rows, y, 3, { l2, iterations: 300 });
    const x = designOf(model, rows);
    const h = 1e-4;
    let largest = 0;
    for (let j = 0; j < model.weights.length; j++) {
      const up = Float64Array.from(model.weights);
      const down = Float64Array.from(model.weights);
      up[j]! += h;
      down[j]! -= h;
      largest = Math.max(largest, Math.abs(loss(x, y, up, 3, l2) - loss(x, y, down, 3, l2)) / (2 * h));
    }
    expect(largest).toBeLessThan(1e-4);
    // And it is better than a nearby point in every direction tried.
    expect(loss(x, y, model.weights, 3, l2)).toBeLessThan(
      loss(
        x,
        y,
        model.weights.map((v) => v * 0.9),
        3,
        l2,
      ),
    );
  });

  it('reads separable classes perfectly, also in 768 dimensions with fewer examples than dimensions', () => {
    const { rows, y } = clusters(60, 768, 4, 1, 2);
    expect(
      crossValidatedAccuracy(
        rows,
        y,
        4,
        y.map((_, i) => i % 5),
        5,
      ),
    ).toBe(1);
    const model = fitSoftmax(rows, y, 4, { l2: 1 / 60, iterations: 300 });
    expect(rows.map((r) => predictClass(model, r))).toEqual(y);
  });

  it('reads shuffled labels about as well as chance', () => {
    const r = random(3);
    const rows = Array.from({ length: 120 }, () => Float32Array.from({ length: 10 }, () => r.normal()));
    const y = rows.map(() => (r.uniform() < 0.5 ? 0 : 1));
    const accuracy = crossValidatedAccuracy(
      rows,
      y,
      2,
      y.map((_, i) => i % 5),
      5,
    );
    const chance = Math.max(...[0, 1].map((c) => y.filter((v) => v === c).length)) / y.length;
    expect(Math.abs(accuracy - chance)).toBeLessThan(0.15);
  });
});

describe('probe at every layer', () => {
  it('gives one accuracy in [0, 1] per hidden state, the majority share as chance, folds by group', async () => {
    const separable = clusters(30, 8, 3, 0.5, 4);
    const noise = random(5);
    const layers = [
      separable.rows.map((row) => Float32Array.from(row, () => noise.normal())), // nothing to read
      separable.rows,
      separable.rows.map((row) => row.map((v) => 2 * v + 1)),
    ];
    const labels = separable.y.map((c) => ['O', 'LOC', 'PER'][c]!);
    labels[0] = 'LOC'; // 11 LOC, 10 PER, 9 O
    const groups = labels.map((_, i) => Math.floor(i / 3)); // 10 "sentences" of 3 tokens
    const result = await probeLayers(layers, labels, groups);
    expect(result.accuracyPerLayer).toHaveLength(3);
    for (const a of result.accuracyPerLayer) {
      expect(a).toBeGreaterThanOrEqual(0);
      expect(a).toBeLessThanOrEqual(1);
    }
    expect(result.accuracyPerLayer[1]).toBeGreaterThan(0.95);
    // Standardization makes the probe blind to an affine rescaling of the features.
    expect(result.accuracyPerLayer[2]).toBe(result.accuracyPerLayer[1]);
    expect(result.accuracyPerLayer[0]).toBeLessThan(0.7);
    expect(result.chance).toBeCloseTo(11 / 30, 10);
    expect(result).toMatchObject({ classes: ['LOC', 'PER', 'O'], examples: 30, folds: 5 });
  });

  it('needs two labels and two groups', async () => {
    const rows = [Float32Array.of(1), Float32Array.of(2)];
    await expect(probeLayers([rows], ['a', 'a'], [0, 1])).rejects.toThrow('at least two labels');
    await expect(probeLayers([rows], ['a', 'b'], [0, 0])).rejects.toThrow('at least two example sentences');
  });
});
