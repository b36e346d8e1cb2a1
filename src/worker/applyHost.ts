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
  type Classified,
} from '../engine/sentences.ts';
import { umapLayout, type UmapOptions, type UmapProgress, type UmapResult } from '../engine/umap.ts';
import { crossSegmentAttention, perLayerSimilarity, tokenAlignment } from '../engine/similarity.ts';
import type { FloatTensor } from '../engine/types.ts';
import {
  MAX_LINES,
  type CompareView,
  type LinesProgress,
  type LinesView,
  type PointVectors,
  type Truncation,
} from './protocol.ts';

const NEIGHBOURS = 5;
/** How often a running job sends a partial view of the lines so far, and up to how many lines it does. */
const PARTIAL_EVERY_MS = 1000;
const PARTIAL_MAX_LINES = 512;

/** Lines embedded and kept: every layer's sentence vectors, for each pooling asked for. */
interface LineSet {
  id: number;
  /** Lines cut to `maxLength` tokens. */
  truncated: number;
  maxLength: number;
  /** Per pooling request: how it resolved, and per layer one sentence vector per line. */
  pooled: Map<PoolingRequest, { pooling: SentencePooling; layers: Float32Array[][] }>;
  count: number;
}

/** Classification keeps every pooling, so that changing it needs no new run (hence fewer lines than a set). */
const CLASSIFY_POOLINGS: PoolingRequest[] = ['auto', 'mean', 'cls', 'max'];
export const MAX_CLASSIFY_LINES = 500;

/** A run's tokens other than [CLS]/[SEP] and the like. */
const words = (run: AlbertRun) => run.special.flatMap((s, i) => (s ? [] : [i]));

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

export class ApplyHost {
  private comparison: { id: number; a: AlbertRun; b: AlbertRun } | undefined;
  private lineSet: LineSet | undefined;
  /** The latest classification: its examples' and texts' vectors (examples first). */
  private classified: { set: LineSet; examples: { label: string; text: string }[] } | undefined;
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
      this.classified = undefined;
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
    const set = await this.embedAll(id, lines, [pooling], batchSize, (partial, started, partialDue) => {
      this.lineSet = partial;
      onProgress(
        progressOf(partial.count, lines.length, started),
        // Partial views stop at PARTIAL_MAX_LINES: past that each costs seconds and megabytes; the bar goes on.
        partialDue && partial.count > 1 && partial.count <= PARTIAL_MAX_LINES
          ? this.view(partial, layer, undefined, false)
          : undefined,
      );
    });
    this.lineSet = set;
    return {
      count: set.count,
      cancelled: set.count < lines.length,
      truncated: set.truncated,
      maxLength: set.maxLength,
    };
  }

  /** Embeds lines batch by batch into a new set, keeping every layer's vectors for each of `poolings`. */
  private async embedAll(
    id: number,
    lines: string[],
    poolings: PoolingRequest[],
    batchSize: number,
    onBatch: (set: LineSet, started: number, partialDue: boolean) => void,
  ): Promise<LineSet> {
    const engine = this.current();
    const layerCount = engine.config.num_hidden_layers + 1;
    const all = Array.from({ length: layerCount }, (_, l) => l);
    const maxLength = engine.sentenceMaxLength;
    const pooled = new Map(
      poolings.map((p) => [p, { pooling: this.pooling(p), layers: all.map((): Float32Array[] => []) }]),
    );
    const set: LineSet = { id, pooled, count: 0, truncated: 0, maxLength };
    const started = performance.now();
    let lastPartial = started;
    const size = Math.max(1, Math.min(64, Math.floor(batchSize)));
    try {
      for (let i = 0; i < lines.length; i += size) {
        if (this.cancelled.has(id)) break;
        const batch = await engine.runBatch(lines.slice(i, i + size), all, maxLength);
        const lengths = batch.encodings.map((e) => e.ids.length);
        set.truncated += batch.encodings.filter((e) => e.truncated).length;
        for (const { pooling, layers } of pooled.values())
          batch.hiddenStates.forEach((h, l) => layers[l]!.push(...sentenceVectors(h, lengths, pooling)));
        set.count += lengths.length;
        const now = performance.now();
        const partialDue = now - lastPartial > PARTIAL_EVERY_MS && set.count < lines.length;
        if (partialDue) lastPartial = now;
        onBatch(set, started, partialDue);
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
      queryVector = sentenceVector(run.hiddenStates[layer]!, onlyPooling(set).pooling);
    }
    return this.view(set, layer, queryVector, true);
  }

  linesVectors(setId: number, layer: number): FloatTensor {
    const vectors = onlyPooling(this.requireSet(setId, layer)).layers[layer]!;
    const width = vectors[0]?.length ?? 0;
    const data = new Float32Array(vectors.length * width);
    vectors.forEach((v, i) => data.set(v, i * width));
    return { data, dims: [vectors.length, width] };
  }

  /** The kept lines' vectors at one layer as UMAP points, labelled by line index. */
  linePoints(setId: number, layer: number): PointVectors {
    const vectors = this.linesVectors(setId, layer);
    const labels = Array.from({ length: vectors.dims[0]! }, (_, i) => String(i));
    return { vectors, labels, groups: labels.map(() => 0), groupNames: ['lines'] };
  }

  /**
   * A UMAP layout of [points, width] vectors, epochs reported as they run; a cancel of `id` stops it at the
   * next pause, with the layout so far.
   */
  async umap(
    id: number,
    vectors: FloatTensor,
    options: UmapOptions,
    onProgress: (progress: UmapProgress) => void,
  ): Promise<UmapResult> {
    const [n, d] = vectors.dims as [number, number];
    try {
      return await umapLayout(vectors.data, n, d, options, {
        onProgress,
        shouldStop: () => this.cancelled.has(id),
      });
    } finally {
      this.cancelled.delete(id);
    }
  }

  private requireSet(setId: number, layer: number): LineSet {
    this.current();
    const set = this.lineSet;
    if (set?.id !== setId) throw new EngineError('input', 'those lines are gone; run them again');
    if (!onlyPooling(set).layers[layer]) throw new EngineError('input', `no layer ${layer} in this model`);
    return set;
  }

  private view(set: LineSet, layer: number, query: Float32Array | undefined, ordered: boolean): LinesView {
    const vectors = onlyPooling(set).layers[layer]!.slice(0, set.count);
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

  /**
   * Few-shot classification: examples and texts embedded in batches (every layer, every pooling, kept), then
   * centroid and k-NN scores at `layer` with `pooling` and `k`; `classifyView` rescores without a new run.
   */
  async classify(
    id: number,
    examples: { label: string; text: string }[],
    texts: string[],
    pooling: PoolingRequest,
    layer: number,
    k: number,
    onProgress: (progress: LinesProgress) => void,
  ): Promise<{ results: Classified[]; cancelled: boolean } & Truncation> {
    if (new Set(examples.map((e) => e.label)).size < 2)
      throw new EngineError('input', 'give examples of at least two labels (one "label: text" per line)');
    if (texts.length === 0) throw new EngineError('input', 'give at least one text to classify');
    const lines = [...examples.map((e) => e.text), ...texts];
    if (lines.length > MAX_CLASSIFY_LINES)
      throw new EngineError(
        'input',
        `classify at most ${MAX_CLASSIFY_LINES} examples and texts together (got ${lines.length})`,
      );
    this.classified = undefined;
    const set = await this.embedAll(id, lines, CLASSIFY_POOLINGS, 16, (partial, started) =>
      onProgress(progressOf(partial.count, lines.length, started)),
    );
    const truncation = { truncated: set.truncated, maxLength: set.maxLength };
    if (set.count < lines.length) return { results: [], cancelled: true, ...truncation };
    this.classified = { set, examples };
    return { results: this.classifyView(id, layer, k, pooling), cancelled: false, ...truncation };
  }

  /** The latest classification scored again at another layer, pooling or k, from its kept vectors. */
  classifyView(setId: number, layer: number, k: number, pooling: PoolingRequest): Classified[] {
    this.current();
    const kept = this.classified;
    if (kept?.set.id !== setId) throw new EngineError('input', 'that classification is gone; classify again');
    const vectors = kept.set.pooled.get(pooling)?.layers[layer];
    if (!vectors) throw new EngineError('input', `no layer ${layer} in this model`);
    const { examples } = kept;
    return classify(
      examples.map((e, i) => ({ label: e.label, vector: vectors[i]! })),
      vectors.slice(examples.length),
      Math.max(1, Math.min(k, examples.length)),
    );
  }
}

/** A line set's one pooling (many-sentences sets are embedded with the pooling asked for). */
function onlyPooling(set: LineSet) {
  return set.pooled.values().next().value!;
}

function progressOf(done: number, total: number, started: number): LinesProgress {
  return { done, total, linesPerSecond: done / Math.max((performance.now() - started) / 1000, 1e-3) };
}
