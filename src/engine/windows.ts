/**
 * Long texts as overlapping windows. ALBERT sees at most its maximum length (512 tokens, specials included); a
 * longer text is otherwise truncated. Here the text's pieces are cut into windows of at most that length
 * ([CLS] + a slice of pieces + [SEP]), consecutive slices sharing `overlap` pieces; each window runs through
 * the engine exactly as a text of those pieces would; and one run over every token is stitched back: each
 * piece's vectors (every layer) come from the window where it is most central, i.e. farthest from that
 * window's nearest edge, so every token keeps as much context on both sides as any window gave it.
 */
import type { AlbertEngine, AlbertRun, RunOutputs } from './albert.ts';
import { EngineError } from './errors.ts';
import { pool, type Pooling } from './pooling.ts';
import { normalizeInPlace } from './sentenceModel.ts';
import type { Encoding } from './tokenizer.ts';
import type { FloatTensor } from './types.ts';

/** Pieces shared by consecutive windows unless the user says otherwise (a quarter of a 512-token window). */
export const DEFAULT_OVERLAP = 128;

/** A window's slice of the text's pieces, [start, end) (piece indices, specials not counted). */
export interface WindowSlice {
  start: number;
  end: number;
}

/** What a windowed run did, for the page, the JSON and the automation API. */
export interface WindowSummary {
  /** How many windows ran (1 when the text fits). */
  count: number;
  overlap: number;
  /** Tokens per window at most, specials included. */
  maxLength: number;
  /** Each window's pieces as token indices of the stitched run, [start, end). */
  spans: [number, number][];
  /** Which window each token of the stitched run came from. */
  owners: number[];
}

export interface WindowedRun {
  /**
   * Every token of the text (none dropped): tokens, ids and offsets as `encode` would give them with no limit,
   * every hidden state (and embeddings or logits, when asked for) stitched per token. [CLS] is the first
   * window's and [SEP] the last window's: each special exists once per window, and those are the windows whose
   * edge they sit at. With several windows `attentions` is empty: each window has its own maps, and no map
   * spans two windows. One window is the plain run, maps included.
   */
  run: AlbertRun;
  windows: WindowSummary;
  /** [L+1, hidden]: per hidden state, the mean over windows of each window's pooled vector (the document vector). */
  documentVectors: FloatTensor;
}

export interface WindowOptions {
  overlap: number;
  /** Tokens per window at most (a sentence model's max_seq_length); the model's maximum by default. */
  maxLength?: number;
  /** What to copy out of each window's run; with several windows, attention maps and padding are left out. */
  outputs?: RunOutputs;
  /** How each window is pooled for the document vector (mean by default); `normalize` scales the result to 1. */
  pooling?: { mode: Pooling; normalize: boolean };
}

/** Why an overlap cannot be used with windows of `capacity` pieces, or undefined when it can. */
export function overlapProblem(overlap: number, capacity: number): string | undefined {
  if (!Number.isInteger(overlap) || overlap < 0)
    return `the overlap must be a whole number of tokens, 0 or more (got ${overlap})`;
  if (overlap >= capacity)
    return `the overlap must be smaller than the ${capacity} text tokens a window holds (got ${overlap})`;
  return undefined;
}

/**
 * Slices of `pieces` pieces, each at most `capacity` long, the next starting `capacity - overlap` after the
 * previous one, until one reaches the end (the last may be shorter). One slice when the text fits.
 */
export function planWindows(pieces: number, capacity: number, overlap: number): WindowSlice[] {
  const problem = overlapProblem(overlap, capacity);
  if (problem) throw new EngineError('input', problem);
  const stride = capacity - overlap;
  const slices: WindowSlice[] = [];
  for (let start = 0; ; start += stride) {
    const end = Math.min(start + capacity, pieces);
    slices.push({ start, end });
    if (end >= pieces) return slices;
  }
}

/**
 * For each piece, the window it is most central in: the largest distance to the window's nearest edge
 * (ties to the earlier window). Consecutive windows thus hand over in the middle of their overlap.
 */
export function pieceOwners(slices: WindowSlice[], pieces: number): Int32Array {
  const owners = new Int32Array(pieces);
  let first = 0;
  for (let p = 0; p < pieces; p++) {
    while (slices[first]!.end <= p) first++;
    let best = -1;
    for (let w = first; w < slices.length && slices[w]!.start <= p; w++) {
      const { start, end } = slices[w]!;
      const centrality = Math.min(p - start, end - 1 - p);
      if (centrality > best) {
        best = centrality;
        owners[p] = w;
      }
    }
  }
  return owners;
}

/**
 * One [lead + pieces + trail, width] tensor from per-window [tokens, width] tensors: the lead specials from the
 * first window, each piece from its owner, the trailing specials from the last window.
 */
export function stitch(
  tensors: FloatTensor[],
  slices: WindowSlice[],
  owners: Int32Array,
  lead: number,
  trail: number,
): FloatTensor {
  const width = tensors[0]!.dims[1]!;
  const n = lead + owners.length + trail;
  const out = new Float32Array(n * width);
  const row = (w: number, r: number) => tensors[w]!.data.subarray(r * width, (r + 1) * width);
  for (let r = 0; r < lead; r++) out.set(row(0, r), r * width);
  owners.forEach((w, p) => out.set(row(w, lead + p - slices[w]!.start), (lead + p) * width));
  const last = slices.length - 1;
  const lastRows = tensors[last]!.dims[0]!;
  for (let r = 0; r < trail; r++)
    out.set(row(last, lastRows - trail + r), (lead + owners.length + r) * width);
  return { data: out, dims: [n, width] };
}

/** The mean of equal-length vectors (float64 sums), scaled to unit length when asked. */
export function meanVector(vectors: Float32Array[], normalize = false): Float32Array {
  const width = vectors[0]!.length;
  const acc = new Float64Array(width);
  for (const v of vectors) for (let d = 0; d < width; d++) acc[d]! += v[d]!;
  const out = Float32Array.from(acc, (x) => x / vectors.length);
  return normalize ? normalizeInPlace(out) : out;
}

/** Where the template puts its specials around one text's pieces: [CLS] before, [SEP] after, for ALBERT. */
function templateEdges(engine: AlbertEngine): { lead: number; trail: number } {
  const size = engine.tokenizer.singleTemplateSize;
  const lead = Math.min(size, 1);
  return { lead, trail: size - lead };
}

/**
 * Runs `text` as overlapping windows (one window, the plain run, when it fits) and stitches the result.
 * Windows run one after another, so memory holds one window's outputs beside the stitched run.
 */
export async function runWindows(
  engine: AlbertEngine,
  text: string,
  options: WindowOptions,
): Promise<WindowedRun> {
  const t0 = performance.now();
  const maxLength = Math.min(options.maxLength ?? Infinity, engine.tokenizer.maxLength);
  const { lead, trail } = templateEdges(engine);
  const capacity = maxLength - lead - trail;
  const pieces = engine.tokenizer.pieces(text);
  const slices = planWindows(pieces.ids.length, capacity, options.overlap);
  const owners = pieceOwners(slices, pieces.ids.length);
  // A single window is the text itself: it runs as a plain run does (its maps, and padding when asked for).
  // Several windows are stitched: no attention map or padding spans them.
  const { padTo: _padTo, ...unpadded } = options.outputs ?? {};
  const outputs: RunOutputs =
    slices.length === 1
      ? (options.outputs ?? {})
      : { ...unpadded, attentions: false, attentionScores: false };
  const runs: AlbertRun[] = [];
  const pooled: Float32Array[][] = [];
  const mode = options.pooling?.mode ?? 'mean';
  for (const { start, end } of slices) {
    const run = await engine.runEncoding(engine.tokenizer.window(pieces, start, end), outputs);
    const real = run.ids.length - run.padding;
    pooled.push(
      run.hiddenStates.map((h) =>
        pool({ data: h.data.subarray(0, real * h.dims[1]!), dims: [real, h.dims[1]!] }, mode),
      ),
    );
    runs.push(run);
  }
  const windows: WindowSummary = {
    count: slices.length,
    overlap: options.overlap,
    maxLength,
    spans: slices.map(({ start, end }) => [lead + start, lead + end]),
    owners: [
      ...new Array<number>(lead).fill(0),
      ...owners,
      ...new Array<number>(trail).fill(slices.length - 1),
    ],
  };
  const documentVectors = stackVectors(
    pooled[0]!.map((_, layer) =>
      meanVector(
        pooled.map((p) => p[layer]!),
        options.pooling?.normalize,
      ),
    ),
  );
  const run =
    slices.length === 1
      ? runs[0]!
      : stitchRuns(engine.tokenizer.window(pieces, 0, pieces.ids.length), runs, slices, owners, lead, trail);
  run.timings = { ...run.timings, totalMs: performance.now() - t0 };
  return { run, windows, documentVectors };
}

/** The stitched run over `encoding` (the whole text's tokens) from the windows' runs. */
function stitchRuns(
  encoding: Encoding,
  runs: AlbertRun[],
  slices: WindowSlice[],
  owners: Int32Array,
  lead: number,
  trail: number,
): AlbertRun {
  const each = (pick: (run: AlbertRun) => FloatTensor) => stitch(runs.map(pick), slices, owners, lead, trail);
  const sum = (key: string) => runs.reduce((s, r) => s + (r.timings[key] ?? 0), 0);
  const first = runs[0]!;
  return {
    ...encoding,
    hiddenStates: first.hiddenStates.map((_, l) => each((r) => r.hiddenStates[l]!)),
    attentions: [],
    attentionScores: [],
    ...(first.embeddings && { embeddings: each((r) => r.embeddings!) }),
    ...(first.logits && { logits: each((r) => r.logits!) }),
    backend: first.backend,
    timings: { tokenizeMs: sum('tokenizeMs'), inferenceMs: sum('inferenceMs') },
  };
}

/** Equal-length vectors as one [count, width] tensor. */
function stackVectors(vectors: Float32Array[]): FloatTensor {
  const width = vectors[0]!.length;
  const data = new Float32Array(vectors.length * width);
  vectors.forEach((v, i) => data.set(v, i * width));
  return { data, dims: [vectors.length, width] };
}
