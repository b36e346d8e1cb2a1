/**
 * The worker's side of "compare and apply": two texts compared (each on its own and as a pair), many lines
 * embedded in batches and kept as pooled vectors for every layer (so the layer control needs no new run),
 * and few-shot classification. Long jobs run batch by batch, yield between batches so a cancel can land,
 * and report progress. Knows nothing about messages.
 */
import type { AlbertEngine, AlbertRun } from '../engine/albert.ts';
import { EngineError } from '../engine/errors.ts';
import {
  resolvePooling,
  sentenceVector,
  sentenceVectors,
  type PoolingRequest,
  type SentencePooling,
} from '../engine/sentenceModel.ts';
import { projectTogether } from '../engine/projection.ts';
import {
  classify,
  clusterOrder,
  nearestNeighbours,
  rankByQuery,
  similarityMatrix,
} from '../engine/sentences.ts';
import { crossSegmentAttention, perLayerSimilarity, tokenAlignment } from '../engine/similarity.ts';
import type { FloatTensor } from '../engine/types.ts';
import {
  MAX_LINES,
  type CompareView,
  type LinesProgress,
  type LinesView,
  type Truncation,
} from './protocol.ts';

const NEIGHBOURS = 5;
/** How often a running job sends a partial view of the lines so far, and up to how many lines it does. */
const PARTIAL_EVERY_MS = 1000;
const PARTIAL_MAX_LINES = 512;

interface LineSet {
  id: number;
  pooling: SentencePooling;
  /** Lines cut to `maxLength` tokens. */
  truncated: number;
  maxLength: number;
  /** Per layer, one pooled vector per line. */
  layers: Float32Array[][];
  count: number;
}

/** A run's tokens other than [CLS]/[SEP] and the like. */
const words = (run: AlbertRun) => run.special.flatMap((s, i) => (s ? [] : [i]));

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

export class ApplyHost {
  private comparison: { id: number; a: AlbertRun; b: AlbertRun } | undefined;
  private lineSet: LineSet | undefined;
  private readonly cancelled = new Set<number>();
  private engineSeen: AlbertEngine | undefined;

  constructor(private readonly engine: () => AlbertEngine) {}

  /** The engine, forgetting what was kept for a previous model. */
  private current(): AlbertEngine {
    const engine = this.engine();
    if (engine !== this.engineSeen) {
      this.engineSeen = engine;
      this.comparison = undefined;
      this.lineSet = undefined;
    }
    return engine;
  }

  cancel(target: number): void {
    this.cancelled.add(target);
  }

  /** A request's pooling, resolved against the model's own (its sentence-transformers files or card). */
  private pooling(request: PoolingRequest): SentencePooling {
    return resolvePooling(request, this.current().loaded.sentence);
  }

  async compare(id: number, a: string, b: string): Promise<CompareView> {
    const engine = this.current();
    // Each text as the model makes sentence vectors: at most its trained length (max_seq_length) when it says.
    const maxLength = engine.sentenceMaxLength;
    const runA = await engine.run(a, undefined, { attentions: false, maxLength });
    const runB = await engine.run(b, undefined, { attentions: false, maxLength });
    const pair = engine.loaded.attentionUnavailable
      ? undefined
      : await engine.run(a, b, { hiddenStates: false });
    this.comparison = { id, a: runA, b: runB };
    return {
      compareId: id,
      ...(runA.truncated || runB.truncated ? { truncatedTo: maxLength } : {}),
      a: { tokens: runA.tokens, special: runA.special },
      b: { tokens: runB.tokens, special: runB.special },
      perLayer: perLayerSimilarity(runA.hiddenStates, runB.hiddenStates),
      pair: pair && {
        tokens: pair.tokens,
        truncated: pair.truncated,
        ...crossSegmentAttention(pair.attentions, pair.tokenTypeIds),
      },
    };
  }

  /** BERTScore-style alignment of the latest comparison's tokens at one layer, [CLS]/[SEP] left out. */
  alignment(compareId: number, layer: number) {
    this.current();
    const c = this.comparison;
    if (c?.id !== compareId) throw new EngineError('input', 'that comparison is gone; compare again');
    const a = c.a.hiddenStates[layer];
    const b = c.b.hiddenStates[layer];
    if (!a || !b) throw new EngineError('input', `no layer ${layer} in this model`);
    return tokenAlignment(a, b, words(c.a), words(c.b));
  }

  /**
   * Embeds lines in batches, keeping every layer's pooled vector. Resolves with how many were done (fewer when
   * cancelled; those are kept and can be viewed).
   */
  async embedLines(
    id: number,
    lines: string[],
    pooling: PoolingRequest,
    batchSize: number,
    layer: number,
    onProgress: (progress: LinesProgress, partial?: LinesView) => void,
  ): Promise<{ count: number; cancelled: boolean } & Truncation> {
    if (lines.length > MAX_LINES)
      throw new EngineError('input', `at most ${MAX_LINES} lines at once (got ${lines.length})`);
    const set = await this.embedAll(
      id,
      lines,
      this.pooling(pooling),
      batchSize,
      (done, started, partialDue) =>
        onProgress(
          {
            done,
            total: lines.length,
            linesPerSecond: done / Math.max((performance.now() - started) / 1000, 1e-3),
          },
          // Partial views stop at PARTIAL_MAX_LINES: past that each costs seconds and megabytes; the bar goes on.
          partialDue && done > 1 && done <= PARTIAL_MAX_LINES
            ? this.view(this.lineSet!, layer, undefined, false)
            : undefined,
        ),
    );
    return {
      count: set.count,
      cancelled: set.count < lines.length,
      truncated: set.truncated,
      maxLength: set.maxLength,
    };
  }

  private async embedAll(
    id: number,
    lines: string[],
    pooling: SentencePooling,
    batchSize: number,
    onBatch: (done: number, started: number, partialDue: boolean) => void,
  ): Promise<LineSet> {
    const engine = this.current();
    const layerCount = engine.config.num_hidden_layers + 1;
    const all = Array.from({ length: layerCount }, (_, l) => l);
    const maxLength = engine.sentenceMaxLength;
    const set: LineSet = { id, pooling, layers: all.map(() => []), count: 0, truncated: 0, maxLength };
    this.lineSet = set;
    const started = performance.now();
    let lastPartial = started;
    const size = Math.max(1, Math.min(64, Math.floor(batchSize)));
    try {
      for (let i = 0; i < lines.length; i += size) {
        if (this.cancelled.has(id)) break;
        const batch = await engine.runBatch(lines.slice(i, i + size), all, maxLength);
        const lengths = batch.encodings.map((e) => e.ids.length);
        set.truncated += batch.encodings.filter((e) => e.truncated).length;
        batch.hiddenStates.forEach((h, l) => set.layers[l]!.push(...sentenceVectors(h, lengths, pooling)));
        set.count += lengths.length;
        const now = performance.now();
        const partialDue = now - lastPartial > PARTIAL_EVERY_MS && set.count < lines.length;
        if (partialDue) lastPartial = now;
        onBatch(set.count, started, partialDue);
        await nextTask(); // lets a cancel message in
      }
    } finally {
      this.cancelled.delete(id);
    }
    return set;
  }

  /** The kept lines at one layer, ranked by a query when one is given. */
  async linesView(setId: number, layer: number, query?: string): Promise<LinesView> {
    const set = this.requireSet(setId, layer);
    let queryVector: Float32Array | undefined;
    if (query?.trim()) {
      const engine = this.current();
      const run = await engine.run(query, undefined, {
        attentions: false,
        maxLength: engine.sentenceMaxLength,
      });
      queryVector = sentenceVector(run.hiddenStates[layer]!, set.pooling);
    }
    return this.view(set, layer, queryVector, true);
  }

  linesVectors(setId: number, layer: number): FloatTensor {
    const vectors = this.requireSet(setId, layer).layers[layer]!;
    const width = vectors[0]?.length ?? 0;
    const data = new Float32Array(vectors.length * width);
    vectors.forEach((v, i) => data.set(v, i * width));
    return { data, dims: [vectors.length, width] };
  }

  private requireSet(setId: number, layer: number): LineSet {
    this.current();
    const set = this.lineSet;
    if (set?.id !== setId) throw new EngineError('input', 'those lines are gone; run them again');
    if (!set.layers[layer]) throw new EngineError('input', `no layer ${layer} in this model`);
    return set;
  }

  private view(set: LineSet, layer: number, query: Float32Array | undefined, ordered: boolean): LinesView {
    const vectors = set.layers[layer]!.slice(0, set.count);
    const n = vectors.length;
    const matrix = similarityMatrix(vectors);
    const width = vectors[0]?.length ?? 0;
    const stacked = new Float32Array(n * width);
    vectors.forEach((v, i) => stacked.set(v, i * width));
    return {
      count: n,
      layer,
      matrix: { data: matrix, dims: [n, n] },
      order: ordered ? clusterOrder(matrix, n) : vectors.map((_, i) => i),
      neighbours: nearestNeighbours(matrix, n, NEIGHBOURS),
      projection: projectTogether([{ data: stacked, dims: [n, width] }], 2),
      ...(query ? { ranking: rankByQuery(query, vectors) } : {}),
    };
  }

  /** Few-shot classification: examples and texts embedded in batches, then centroid and k-NN scores. */
  async classify(
    id: number,
    examples: { label: string; text: string }[],
    texts: string[],
    pooling: PoolingRequest,
    layer: number,
    k: number,
    onProgress: (progress: LinesProgress) => void,
  ) {
    if (new Set(examples.map((e) => e.label)).size < 2)
      throw new EngineError('input', 'give examples of at least two labels (one "label: text" per line)');
    if (texts.length === 0) throw new EngineError('input', 'give at least one text to classify');
    const lines = [...examples.map((e) => e.text), ...texts];
    const total = lines.length;
    const set = await this.embedAll(id, lines, this.pooling(pooling), 16, (done, started) =>
      onProgress({
        done,
        total,
        linesPerSecond: done / Math.max((performance.now() - started) / 1000, 1e-3),
      }),
    );
    this.lineSet = undefined; // examples and texts are not a line set to browse
    const truncation = { truncated: set.truncated, maxLength: set.maxLength };
    if (set.count < total) return { results: [], cancelled: true, ...truncation };
    const vectors = set.layers[layer];
    if (!vectors) throw new EngineError('input', `no layer ${layer} in this model`);
    const results = classify(
      examples.map((e, i) => ({ label: e.label, vector: vectors[i]! })),
      vectors.slice(examples.length),
      Math.max(1, Math.min(k, examples.length)),
    );
    return { results, cancelled: false, ...truncation };
  }
}
