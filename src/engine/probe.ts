/**
 * Linear probes: which hidden state makes a label linearly readable. A probe is a multinomial logistic
 * regression with an L2 penalty on standardized features, trained by accelerated full-batch gradient descent
 * (deterministic: no random start, no shuffling), and scored by grouped k-fold cross-validation, where a group
 * (a sentence) is never split between training and test, so a token is never judged by its own neighbours.
 *
 * Written here rather than taken from a library: nothing maintained does this in the browser without a
 * dependency, and the project installs none; it is small and checked against its own optimality conditions.
 */
import { EngineError } from './errors.ts';

export interface ProbeOptions {
  /** Folds of cross-validation (fewer when there are fewer groups; one group per fold is leave-one-out). */
  folds?: number;
  /** L2 strength λ in mean cross-entropy + λ/2·‖W‖²; default 1/n, the same objective as sklearn's C = 1. */
  l2?: number;
  /** Gradient steps per fit. */
  iterations?: number;
}

/** A trained probe: standardization, then W·x + b per class. */
export interface SoftmaxModel {
  mean: Float64Array;
  scale: Float64Array;
  /** [classes × (d + 1)]: each class's weights, its bias last. */
  weights: Float64Array;
  classes: number;
}

export interface ProbeResult {
  /** Cross-validated accuracy of a probe at each hidden state 0..L. */
  accuracyPerLayer: number[];
  /** The majority class's share of the examples: the accuracy of always guessing it. */
  chance: number;
  classes: string[];
  examples: number;
  folds: number;
}

const DEFAULT_FOLDS = 5;
const DEFAULT_ITERATIONS = 300;

/** Per-feature mean and 1/std of the rows (1 where a feature is constant). */
function standardization(rows: Float32Array[]): { mean: Float64Array; scale: Float64Array } {
  const d = rows[0]!.length;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]! / rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) scale[j]! += (r[j]! - mean[j]!) ** 2 / rows.length;
  for (let j = 0; j < d; j++) scale[j] = scale[j]! > 1e-12 ? 1 / Math.sqrt(scale[j]!) : 1;
  return { mean, scale };
}

/** Rows standardized, with a 1 appended for the bias: [n × (d + 1)]. */
function design(rows: Float32Array[], mean: Float64Array, scale: Float64Array): Float64Array {
  const d = mean.length;
  const x = new Float64Array(rows.length * (d + 1));
  rows.forEach((r, i) => {
    for (let j = 0; j < d; j++) x[i * (d + 1) + j] = (r[j]! - mean[j]!) * scale[j]!;
    x[i * (d + 1) + d] = 1;
  });
  return x;
}

/** Largest eigenvalue of XᵀX/n by power iteration: sets the gradient step. */
function largestEigenvalue(x: Float64Array, n: number, width: number): number {
  let v = new Float64Array(width).fill(1 / Math.sqrt(width));
  let lambda = 0;
  for (let it = 0; it < 50; it++) {
    const next = new Float64Array(width);
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let j = 0; j < width; j++) dot += x[i * width + j]! * v[j]!;
      for (let j = 0; j < width; j++) next[j]! += (dot * x[i * width + j]!) / n;
    }
    lambda = Math.hypot(...next);
    if (lambda === 0) return 0;
    v = next.map((e) => e / lambda);
  }
  return lambda;
}

/** Class probabilities of each row, [n × classes], written into `out`. */
function softmaxRows(
  x: Float64Array,
  w: Float64Array,
  n: number,
  width: number,
  c: number,
  out: Float64Array,
) {
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < c; k++) {
      let z = 0;
      for (let j = 0; j < width; j++) z += w[k * width + j]! * x[i * width + j]!;
      out[i * c + k] = z;
      max = Math.max(max, z);
    }
    let sum = 0;
    for (let k = 0; k < c; k++) sum += out[i * c + k] = Math.exp(out[i * c + k]! - max);
    for (let k = 0; k < c; k++) out[i * c + k]! /= sum;
  }
}

/**
 * The gradient of mean cross-entropy + λ/2·‖W‖² (biases not penalized) at `w`, for design rows `x` and labels
 * `y` (class indices). Exported for the tests, which check that a fit ends where it is near zero.
 */
export function objectiveGradient(
  x: Float64Array,
  y: number[],
  w: Float64Array,
  classes: number,
  l2: number,
): Float64Array {
  const n = y.length;
  const width = w.length / classes;
  const p = new Float64Array(n * classes);
  softmaxRows(x, w, n, width, classes, p);
  const g = new Float64Array(w.length);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < classes; k++) {
      const r = (p[i * classes + k]! - (y[i] === k ? 1 : 0)) / n;
      if (r === 0) continue;
      for (let j = 0; j < width; j++) g[k * width + j]! += r * x[i * width + j]!;
    }
  for (let k = 0; k < classes; k++)
    for (let j = 0; j < width - 1; j++) g[k * width + j]! += l2 * w[k * width + j]!;
  return g;
}

/** Design matrix of rows as a trained model sees them (exported for the tests' optimality check). */
export function designOf(model: Pick<SoftmaxModel, 'mean' | 'scale'>, rows: Float32Array[]): Float64Array {
  return design(rows, model.mean, model.scale);
}

/**
 * Fits a probe: Nesterov-accelerated gradient descent with step 1/L, L = λmax(XᵀX/n)/2 + λ (a bound on the
 * objective's curvature) and the momentum of a λ-strongly convex objective, from W = 0.
 */
export function fitSoftmax(
  rows: Float32Array[],
  y: number[],
  classes: number,
  options: { l2: number; iterations: number },
): SoftmaxModel {
  const { mean, scale } = standardization(rows);
  const n = rows.length;
  const width = mean.length + 1;
  const x = design(rows, mean, scale);
  const smooth = largestEigenvalue(x, n, width) / 2 + options.l2;
  const step = 1 / smooth;
  const ratio = Math.sqrt(options.l2 / smooth);
  const momentum = (1 - ratio) / (1 + ratio);
  let w = new Float64Array(classes * width);
  let look = w;
  for (let it = 0; it < options.iterations; it++) {
    const g = objectiveGradient(x, y, look, classes, options.l2);
    const next = look.map((v, j) => v - step * g[j]!);
    look = next.map((v, j) => v + momentum * (v - w[j]!));
    w = next;
  }
  return { mean, scale, weights: w, classes };
}

/** The probe's class for one vector. */
export function predictClass(model: SoftmaxModel, vector: Float32Array): number {
  const d = model.mean.length;
  let best = 0;
  let bestScore = -Infinity;
  for (let k = 0; k < model.classes; k++) {
    let z = model.weights[k * (d + 1) + d]!;
    for (let j = 0; j < d; j++)
      z += model.weights[k * (d + 1) + j]! * (vector[j]! - model.mean[j]!) * model.scale[j]!;
    if (z > bestScore) [best, bestScore] = [k, z];
  }
  return best;
}

/** Each row's fold: its group's rank (in order of first appearance) modulo the number of folds. */
function foldsOf(groups: number[], folds: number): number[] {
  const rank = new Map<number, number>();
  for (const g of groups) if (!rank.has(g)) rank.set(g, rank.size);
  return groups.map((g) => rank.get(g)! % folds);
}

/** Accuracy of probes trained on all folds but one and tested on it, over every fold. */
export function crossValidatedAccuracy(
  rows: Float32Array[],
  y: number[],
  classes: number,
  fold: number[],
  folds: number,
  options: ProbeOptions = {},
): number {
  let correct = 0;
  for (let f = 0; f < folds; f++) {
    const train = rows.flatMap((_, i) => (fold[i] === f ? [] : [i]));
    const test = rows.flatMap((_, i) => (fold[i] === f ? [i] : []));
    if (test.length === 0) continue;
    const model = fitSoftmax(
      train.map((i) => rows[i]!),
      train.map((i) => y[i]!),
      classes,
      { l2: options.l2 ?? 1 / train.length, iterations: options.iterations ?? DEFAULT_ITERATIONS },
    );
    for (const i of test) if (predictClass(model, rows[i]!) === y[i]) correct++;
  }
  return correct / rows.length;
}

/**
 * A probe at every hidden state: `layers[l][i]` is example i's vector at hidden state l, `labels[i]` its
 * label and `groups[i]` the group it must stay with (its sentence). `onEach` is called with the layers done
 * after each (and may throw to stop), so a page can show progress and let a cancel in.
 */
export async function probeLayers(
  layers: Float32Array[][],
  labels: string[],
  groups: number[],
  options: ProbeOptions = {},
  onEach: (done: number) => void | Promise<void> = () => undefined,
): Promise<ProbeResult> {
  const classes = [...new Set(labels)];
  if (classes.length < 2) throw new EngineError('input', 'a probe needs examples of at least two labels');
  const groupCount = new Set(groups).size;
  const folds = Math.min(options.folds ?? DEFAULT_FOLDS, groupCount);
  if (folds < 2)
    throw new EngineError('input', 'a probe needs at least two example sentences to cross-validate');
  const y = labels.map((l) => classes.indexOf(l));
  const fold = foldsOf(groups, folds);
  const counts = classes.map((_, k) => y.filter((c) => c === k).length);
  const accuracyPerLayer: number[] = [];
  for (const rows of layers) {
    accuracyPerLayer.push(crossValidatedAccuracy(rows, y, classes.length, fold, folds, options));
    await onEach(accuracyPerLayer.length);
  }
  return {
    accuracyPerLayer,
    chance: Math.max(...counts) / labels.length,
    classes,
    examples: labels.length,
    folds,
  };
}
