/**
 * UMAP of a point cloud (n points × d dimensions, row-major float32) with umap-js, the same code in Node (the
 * CLI, tests) and in the worker, so a seed and the same vectors give the same coordinates in both. umap-js
 * draws every random number (random-projection trees, nearest-neighbour descent, the initial layout, negative
 * samples) from the generator it is given; a seeded one makes it deterministic. It runs with portable exp, log
 * and pow (portableMath.ts), since engines' own differ in the last bit and UMAP amplifies that.
 */
import { UMAP } from 'umap-js';
import { EngineError } from './errors.ts';
import { withPortableMath } from './portableMath.ts';
import type { Projection } from './projection.ts';
import { seeded } from './random.ts';

import { MIN_UMAP_POINTS } from './umapDefaults.ts';

export { MIN_UMAP_POINTS, UMAP_DEFAULTS } from './umapDefaults.ts';

export interface UmapOptions {
  /** Size of each point's neighbourhood (umap-learn's n_neighbors); clamped to 2 … points − 1. */
  neighbours: number;
  /** How tightly points may pack in the layout, 0 … 1 (umap-learn's min_dist, with spread 1). */
  minDist: number;
  /** Seed of every random number UMAP draws. */
  seed: number;
  /** Dimensions of the layout (default 2). */
  k?: 2 | 3;
  /** Optimization epochs (default: umap-js's choice by size, 500 up to 2,500 points). */
  epochs?: number;
}

export interface UmapProgress {
  epoch: number;
  epochs: number;
}

export interface UmapResult {
  /** points × k, row-major: the layout after the last epoch run. */
  coordinates: Float64Array;
  k: number;
  points: number;
  /** The neighbourhood size used (after clamping to the point count). */
  neighbours: number;
  minDist: number;
  seed: number;
  /** Epochs run, and how many a full run has. */
  epochs: number;
  totalEpochs: number;
  /** Set when `shouldStop` ended it before the last epoch. */
  cancelled: boolean;
}

export interface UmapHooks {
  /** Called every YIELD_EVERY_MS of work and at the end. */
  onProgress?: (progress: UmapProgress) => void;
  /** Asked after each pause: true stops the run, which resolves with the layout so far. */
  shouldStop?: () => boolean;
  /** Milliseconds of epochs between pauses (default YIELD_EVERY_MS; 0 pauses after every epoch). */
  sliceMs?: number;
}

/**
 * How long the epoch loop works before it pauses for a macrotask (so a cancel message can arrive and progress
 * can be sent). umap-js's fitAsync pauses after every epoch with setTimeout, which browsers clamp to 4 ms once
 * nested: 500 epochs would wait 2 s even for ten points.
 */
const YIELD_EVERY_MS = 50;

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The neighbourhood size UMAP can use with `points` points: 2 … points − 1. */
export function clampNeighbours(neighbours: number, points: number): number {
  return Math.max(2, Math.min(Math.floor(neighbours), points - 1));
}

function checkOptions(options: UmapOptions, n: number): void {
  if (n < MIN_UMAP_POINTS)
    throw new EngineError('input', `UMAP needs at least ${MIN_UMAP_POINTS} points (got ${n})`);
  if (!Number.isFinite(options.neighbours) || options.neighbours < 2)
    throw new EngineError('input', `UMAP's neighbours must be at least 2 (got ${options.neighbours})`);
  if (!(options.minDist >= 0 && options.minDist <= 1))
    throw new EngineError('input', `UMAP's min-dist must be between 0 and 1 (got ${options.minDist})`);
  if (!Number.isSafeInteger(options.seed))
    throw new EngineError('input', `UMAP's seed must be an integer (got ${options.seed})`);
}

/**
 * Euclidean distance with plain products (umap-js's own squares with Math.pow, which would go through the
 * portable pow: five times slower for 768-d vectors).
 */
function euclidean(a: number[], b: number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const diff = a[i]! - b[i]!;
    sum += diff * diff;
  }
  return Math.sqrt(sum);
}

/** The rows of a row-major matrix as the arrays umap-js takes. */
function rows(x: Float32Array, n: number, d: number): number[][] {
  return Array.from({ length: n }, (_, r) => Array.from(x.subarray(r * d, (r + 1) * d)));
}

/**
 * The UMAP layout of n points in d dimensions. The neighbour graph is built in one go (seconds for 2,000
 * sentence vectors); the epochs then run in slices with a pause between them, where `shouldStop` is asked.
 */
export async function umapLayout(
  x: Float32Array,
  n: number,
  d: number,
  options: UmapOptions,
  hooks: UmapHooks = {},
): Promise<UmapResult> {
  if (x.length !== n * d) throw new Error(`umap: ${n}×${d} does not match ${x.length} values`);
  checkOptions(options, n);
  const neighbours = clampNeighbours(options.neighbours, n);
  const k = options.k ?? 2;
  const model = new UMAP({
    nComponents: k,
    nNeighbors: neighbours,
    minDist: options.minDist,
    nEpochs: options.epochs,
    random: seeded(options.seed),
    distanceFn: euclidean,
  });
  // umap-js calls Math.exp/log/pow; the portable ones make Node and every browser compute the same layout.
  const data = rows(x, n, d);
  const totalEpochs = withPortableMath(() => model.initializeFit(data));
  let epoch = 0;
  let cancelled = false;
  const sliceMs = hooks.sliceMs ?? YIELD_EVERY_MS;
  while (epoch < totalEpochs) {
    const sliceStart = performance.now();
    epoch = withPortableMath(() => {
      let done = epoch;
      do done = model.step();
      while (done < totalEpochs && performance.now() - sliceStart < sliceMs);
      return done;
    });
    hooks.onProgress?.({ epoch, epochs: totalEpochs });
    if (epoch >= totalEpochs) break;
    await nextTask();
    if (hooks.shouldStop?.()) {
      cancelled = true;
      break;
    }
  }
  const coordinates = new Float64Array(n * k);
  model.getEmbedding().forEach((point, i) => coordinates.set(point, i * k));
  return {
    coordinates,
    k,
    points: n,
    neighbours,
    minDist: options.minDist,
    seed: options.seed,
    epochs: epoch,
    totalEpochs,
    cancelled,
  };
}

/** A layout as the projection charts take it (float32 scores; UMAP axes explain no variance). */
export function umapProjection(result: UmapResult): Projection {
  return {
    scores: Float32Array.from(result.coordinates),
    k: result.k,
    explainedRatio: [],
    points: result.points,
  };
}
