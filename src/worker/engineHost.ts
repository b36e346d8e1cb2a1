/**
 * The engine as the worker holds it: loads a model (with one warm-up run before it calls itself ready), keeps
 * the latest run so views can fetch more layers without recomputing, and moves to WASM when the WebGPU
 * device is lost or fails, telling the page why. Knows nothing about messages.
 */
import { AlbertEngine, type AlbertRun, type RunOutputs } from '../engine/albert.ts';
import { layerCosines, tokenNorms } from '../engine/analysis.ts';
import { attentionArithmetic } from '../engine/arithmetic.ts';
import { precisionReport } from '../engine/fidelity.ts';
import { nested } from '../engine/nested.ts';
import { parameterCounts } from '../engine/parameters.ts';
import {
  attentionsNpy,
  hiddenStatesNpy,
  projectorFiles,
  type ExportFile,
} from '../engine/export/runFiles.ts';
import { planBackend, type HostEnvironment } from '../engine/backend.ts';
import { blobSource } from '../engine/blobSource.ts';
import { EngineError, messageOf } from '../engine/errors.ts';
import { maskPositions, maskPredictions } from '../engine/fillMask.ts';
import { onnxFilesOf, type OnnxFileInfo } from '../engine/modelFiles.ts';
import type { FileProgress, ListedFile, ModelSource } from '../engine/modelSource.ts';
import { hubSource, loadCancelled, unlessAborted, urlSource } from '../engine/modelSource.ts';
import { startRuntime, type OrtModule } from '../engine/session.ts';
import type { FloatTensor } from '../engine/types.ts';
import { runWindows, type WindowedRun } from '../engine/windows.ts';
import { cachedSource, type CachedSource } from './cachedSource.ts';
import { graphStore } from './graphStore.ts';
import type {
  Hidden,
  ModelInfo,
  ModelLocation,
  PointVectors,
  ProjectionRequest,
  ProjectionView,
  RunView,
  RunWant,
  ExportKind,
  ShownRequest,
  UmapSource,
  WorkerRequest,
} from './protocol.ts';
import { attentionMap, attentionRow, attentionThumbnails, projection, tokenVectors } from './runViews.ts';

/** Which onnxruntime-web build a load needs. */
export type RuntimeKind = 'wasm' | 'webgpu';

export interface HostOptions {
  /**
   * onnxruntime for a kind of run: the plain WASM build (half the download and compile of the WebGPU one) when
   * WebGPU is not going to be used, the WebGPU build (which runs WASM too) when it is.
   */
  ort: (kind: RuntimeKind) => Promise<OrtModule>;
  host: () => HostEnvironment;
  /** Resolves site paths such as `/models/x/` against the page. */
  baseUrl: string;
  /** The browser's Cache API, for hub downloads and prepared graphs. */
  caches?: CacheStorage;
  /** Overrides where files come from (tests read folders from disk). */
  source?: (location: ModelLocation) => ModelSource;
  /** Called when the backend changed under a loaded model. */
  onBackendChanged?: (info: ModelInfo, notice: string) => void;
}

type LoadRequest = Extract<WorkerRequest, { type: 'load' }>;

const WARM_UP_TEXT = 'Hello world.';
/** Compared texts kept for the projection view (each holds every layer's vectors). */
const MAX_COMPARED = 64;
/** Pieces shown at each [MASK] of a fill-mask export. */
const FILL_MASK_TOP = 10;

/** How a hub refusal for want of a token ends in the browser, which has no way to send one. */
const NO_TOKEN_IN_BROWSER =
  'this site cannot send a Hugging Face token: download the model with your token and open its folder from this computer';

/**
 * A source whose reads and listing end as cancelled when `signal` aborts: network reads abort their fetches, and
 * any other wait (a listing under way, a source that cannot stop) is left behind.
 */
function abortable(source: ModelSource, signal: AbortSignal): ModelSource {
  const list = source.list?.bind(source);
  return {
    ...source,
    read: (path, onProgress) => unlessAborted(source.read(path, onProgress, signal), signal),
    ...(list && { list: () => unlessAborted(list(), signal) }),
  };
}

interface KeptRun {
  id: number;
  run: AlbertRun;
  text: string;
  pair?: string;
  /** Attention scores, fetched (by running again) only while the arithmetic table is open. */
  scores?: FloatTensor[];
  /** Windows it ran as: it then has no attention maps (each window has its own). */
  windows?: number;
}

export class EngineHost {
  private engine: AlbertEngine | undefined;
  private loadRequest: LoadRequest | undefined;
  private lastRun: KeptRun | undefined;
  /** Runs of compared texts by text, for the projection view; emptied when the model changes. */
  private compared = new Map<string, AlbertRun>();
  /** The runtime the current engine runs on. */
  private ort: OrtModule | undefined;
  /** The runtimes loaded so far (a worker keeps what it compiled). */
  private readonly runtimes: Partial<Record<RuntimeKind, Promise<OrtModule>>> = {};
  /** The latest folder's source and listing, shared by the weights menu and the load. */
  private folder: { source: ModelSource; files: Promise<ListedFile[]> } | undefined;
  /** The load in progress, which a cancel aborts (its downloads with it). */
  private loading: { id: number; abort: AbortController } | undefined;
  /**
   * Cancels that came for no load in progress: a load still waiting behind other work ends as soon as it starts.
   * Ids only grow, so those up to a starting load's are done with.
   */
  private readonly cancelledEarly = new Set<number>();
  /** Why the latest load's hub files were not kept for offline use, when they were not. */
  private notKept: string | undefined;

  /** Prepared graphs kept between visits, by the file's hash. */
  private readonly graphCache;

  constructor(private readonly options: HostOptions) {
    this.graphCache = options.caches && graphStore(options.caches);
  }

  /**
   * The folder's source, its listing asked for once: the weights menu lists a folder before it loads, and the
   * load would otherwise list it again (for a plain host, a HEAD request per file name).
   */
  private sourceFor(location: ModelLocation): ModelSource {
    const fresh = this.plainSourceFor(location);
    // Picked files list themselves at no cost; two picked folders may share a name.
    if (!fresh.list || location.kind === 'files') return fresh;
    if (this.folder?.source.id !== fresh.id) {
      const files = fresh.list();
      const folder = { source: fresh, files };
      this.folder = folder;
      // A failed listing is not kept: the next load asks again.
      files.catch(() => this.folder === folder && (this.folder = undefined));
    }
    const { source, files } = this.folder;
    return { ...source, read: source.read.bind(source), list: () => files };
  }

  /** Forgets the folder's listing: the cache that held it was cleared, so the next load lists and keeps it anew. */
  forgetListing(): void {
    this.folder = undefined;
  }

  /** Stops the load `id` if it is still downloading (or not yet started): it fails as cancelled. */
  cancelLoad(id: number): void {
    if (this.loading?.id === id) this.loading.abort.abort();
    else this.cancelledEarly.add(id);
  }

  /** The ONNX files of a folder (for the weights menu before it loads), or undefined when it cannot be listed. */
  async list(location: ModelLocation): Promise<OnnxFileInfo[] | undefined> {
    const listing = await this.sourceFor(location)
      .list?.()
      .catch(() => undefined);
    return listing && onnxFilesOf(listing);
  }

  /** The first refusal of a load is what the page says (storage full refuses every file alike). */
  private readonly notKeptHandler = (reason: string) => {
    this.notKept ??= reason;
  };

  private plainSourceFor(location: ModelLocation): ModelSource {
    const override = this.options.source?.(location);
    if (override) return override;
    if (location.kind === 'files') return blobSource(location.name, location.files);
    if (location.kind === 'hub') {
      const source = hubSource(location.repo, location.endpoint, undefined, undefined, NO_TOKEN_IN_BROWSER);
      return this.options.caches ? cachedSource(source, this.options.caches, this.notKeptHandler) : source;
    }
    const source = urlSource(new URL(location.url, this.options.baseUrl).href, undefined, location.listing);
    // Kept like the hub's, for offline visits; the site's manifest lists the folder afresh on each visit.
    return this.options.caches
      ? cachedSource(source, this.options.caches, this.notKeptHandler, 'fresh')
      : source;
  }

  async load(
    request: LoadRequest,
    onProgress: (p: FileProgress) => void,
    onWarming: () => void,
  ): Promise<ModelInfo> {
    const previous = this.engine;
    this.engine = undefined;
    this.keep(undefined);
    this.compared.clear();
    await previous?.dispose();
    const host = this.options.host();
    const abort = new AbortController();
    if (this.cancelledEarly.has(request.id)) abort.abort();
    for (const id of this.cancelledEarly) if (id <= request.id) this.cancelledEarly.delete(id);
    this.loading = { id: request.id, abort };
    this.notKept = undefined;
    // Where it will run decides which runtime to fetch and compile.
    const source = abortable(this.sourceFor(request.model), abort.signal);
    const plan = await planBackend(request.backend, host);
    // The runtime loads and compiles while the files download and the graph is prepared.
    const ort = this.runtime(plan.name === 'webgpu' ? 'webgpu' : 'wasm', host.threads);
    const engine = await AlbertEngine.load(
      {
        source,
        ort,
        host,
        backend: request.backend,
        dtype: request.dtype,
        modelFile: request.modelFile,
        onProgress,
        ...(this.graphCache && { graphCache: this.graphCache }),
      },
      plan,
    )
      // Whatever a cancelled load's last step failed with, it failed because it was cancelled.
      .catch((error: unknown) => Promise.reject(abort.signal.aborted ? loadCancelled() : error))
      .finally(() => {
        if (this.loading?.abort === abort) this.loading = undefined;
      });
    if (abort.signal.aborted) {
      await engine.dispose();
      throw loadCancelled();
    }
    this.ort = await ort;
    onWarming();
    // The first run compiles kernels (WebGPU shaders, WASM code paths): pay for it before "ready". A WebGPU
    // kernel can refuse a graph only then; the model then runs on WASM, saying why.
    try {
      await engine.run(WARM_UP_TEXT, undefined, { attentions: false });
    } catch (error) {
      await engine.dispose();
      if (engine.backend.name !== 'webgpu') throw error;
      // "running <file> on webgpu failed: <onnxruntime's words>"
      return this.loadOnWasm(request, messageOf(error), onProgress, onWarming);
    }
    // Whether every file was kept (the page says when one was not) is known once the cache has written them.
    await (this.folder?.source as Partial<CachedSource> | undefined)?.settled?.();
    this.engine = engine;
    this.loadRequest = request;
    if (engine.backend.name === 'webgpu') void this.watchDevice(engine);
    return this.info(engine);
  }

  async run(id: number, text: string, pair: string | undefined, want: RunWant): Promise<RunView> {
    const engine = this.requireEngine();
    let run: AlbertRun;
    let windowed: WindowedRun | undefined;
    try {
      // View runs keep their attention maps and factorized embeddings in the worker; views fetch pieces.
      const view = want.lane === 'view';
      const outputs: RunOutputs = {
        // A view run keeps its maps where they are (on WebGPU, the GPU) until the attention view reads them.
        attentions: want.attentions || (view && 'device'),
        embeddings: view,
        padTo: want.padTo,
        // Logits are [tokens, vocab] floats to copy out: only when a view run has a [MASK] to fill.
        logits: view && engine.hasLogits && maskPositions(engine.tokenizer.encode(text, pair)).length > 0,
      };
      // Windows take one text: a pair is truncated as always.
      if (want.windows && pair === undefined)
        windowed = await runWindows(engine, text, { overlap: want.windows.overlap, outputs });
      run = windowed?.run ?? (await engine.run(text, pair, outputs));
    } catch (error) {
      // A refused overlap is the user's to fix, on any backend.
      if (error instanceof EngineError && error.code === 'input') throw error;
      if (engine.backend.name !== 'webgpu') throw error;
      await this.fallBackToWasm(`WebGPU failed while running (${messageOf(error)})`);
      return this.run(id, text, pair, want);
    }
    if (want.lane === 'view') this.keep({ id, run, text, pair, windows: windowed?.windows.count });
    const layers = want.layers === 'all' ? run.hiddenStates.map((_, i) => i) : want.layers;
    // Everything but the tensors crosses as is; of those, only what was asked for.
    const {
      hiddenStates,
      attentions,
      attentionScores: _scores,
      logits: _logits,
      embeddings: _embeddings,
      attentionsOnDevice,
      ...encoding
    } = run;
    const view: RunView = {
      ...encoding,
      runId: id,
      text,
      pair,
      // The worker keeps view runs for later layer requests, so it sends copies (which then move, not clone).
      hiddenStates: pick(hiddenStates, layers, want.lane === 'view'),
      ...(attentionsOnDevice && { mapsOnDevice: true }),
      ...(windowed && { windows: windowed.windows, documentVectors: windowed.documentVectors }),
    };
    // A reply moves what it holds: the maps of a kept (view) run go as copies.
    if (want.attentions)
      view.attentions =
        want.lane === 'view' ? attentions.map((t) => ({ data: t.data.slice(), dims: t.dims })) : attentions;
    if (want.lane === 'view') view.layerCosines = layerCosines(run.hiddenStates);
    if (run.logits) {
      const idToToken = (i: number) => engine.tokenizer.idToToken(i);
      view.predictions = maskPredictions(run.logits, maskPositions(run), FILL_MASK_TOP, idToToken);
      run.logits = undefined; // the predictions are all the page gets; the kept run need not hold the logits
    }
    return view;
  }

  /** More hidden states of the latest view run, or undefined when that run is gone. */
  layers(runId: number, layers: number[]): Record<number, FloatTensor> | undefined {
    if (this.lastRun?.id !== runId) return undefined;
    return pick(this.lastRun.run.hiddenStates, layers, true);
  }

  private kept(runId: number): KeptRun {
    const last = this.lastRun;
    if (last?.id !== runId) throw new EngineError('input', 'that run is gone; run the text again');
    return last;
  }

  /** The latest view run from now on; the one before frees what it left on the GPU. */
  private keep(run: KeptRun | undefined): void {
    this.lastRun?.run.attentionsOnDevice?.release();
    this.lastRun = run;
  }

  /**
   * The latest view run with its attention maps on the CPU (read from the GPU the first time a view asks), or
   * an error that says why the file has none.
   */
  private async keptWithAttention(runId: number): Promise<KeptRun> {
    const unavailable = this.requireEngine().loaded.attentionUnavailable;
    if (unavailable) throw new EngineError('unsupported-graph', unavailable);
    const kept = this.kept(runId);
    if (kept.windows && kept.windows > 1)
      throw new EngineError(
        'input',
        `attention is per window: this text ran as ${kept.windows} windows, and no map spans them`,
      );
    const { run } = kept;
    const onDevice = run.attentionsOnDevice;
    if (onDevice) {
      run.attentionsOnDevice = undefined;
      const t0 = performance.now();
      run.attentions = await onDevice.read().catch(async () => {
        // The device went away since the run: the maps are computed again (on WASM by then).
        const again = await this.requireEngine().run(kept.text, kept.pair, { hiddenStates: false });
        return again.attentions;
      });
      run.timings.attentionReadMs = performance.now() - t0;
    }
    return kept;
  }

  /** One [n, n] map of the latest view run, with the token indices its rows and columns stand for. */
  async attention(runId: number, layer: number, head: number | 'mean', hide: Hidden) {
    return attentionMap((await this.keptWithAttention(runId)).run, layer, head, hide);
  }

  /** Every head of some layers of the latest view run, downsampled: the small multiples and the overview. */
  async attentionThumbnails(runId: number, layers: number[], size: number, hide: Hidden) {
    return attentionThumbnails((await this.keptWithAttention(runId)).run, layers, size, hide);
  }

  /**
   * One query's scores and probabilities. The scores double what a run holds (at 512 tokens, 150 MB for
   * albert-base), so view runs do not keep them: the first row asked for runs the text again for them, and
   * they stay until released or until the next view run.
   */
  async attentionRow(runId: number, layer: number, head: number, query: number) {
    const kept = await this.keptWithAttention(runId);
    kept.scores ??= (
      await this.requireEngine().run(kept.text, kept.pair, { hiddenStates: false, attentionScores: true })
    ).attentionScores;
    return attentionRow(kept.run, kept.scores, layer, head, query);
  }

  /** The arithmetic table closed: drop the scores, and the full graph's session that computed them. */
  async releaseScores(): Promise<void> {
    if (this.lastRun) this.lastRun.scores = undefined;
    await this.engine?.releaseFull();
  }

  /** A copy of the latest view run's factorized embeddings. */
  factorized(runId: number): FloatTensor {
    const embeddings = this.kept(runId).run.embeddings;
    if (!embeddings)
      throw new EngineError('input', 'this model file does not expose its factorized embeddings');
    return { data: embeddings.data.slice(), dims: embeddings.dims };
  }

  /** PCA of the latest view run's tokens, with compared texts run (once each) and projected on the same axes. */
  async projection(request: Omit<ProjectionRequest, 'type' | 'id'>): Promise<ProjectionView> {
    const kept = this.kept(request.runId);
    return projection(kept, await this.comparedRuns(request.compare), request);
  }

  /** The token vectors a UMAP of the projection view lays out (the PCA's points, at one layer). */
  async tokenVectors(source: Extract<UmapSource, { kind: 'tokens' }>): Promise<PointVectors> {
    const kept = this.kept(source.runId);
    return tokenVectors(kept, await this.comparedRuns(source.compare), source.layer, source.hide);
  }

  /** Runs of the compared texts, each run once and kept while it stays in the compare box. */
  private async comparedRuns(compare: string[]): Promise<{ run: AlbertRun; text: string }[]> {
    const texts = [...new Set(compare.map((t) => t.trim()).filter(Boolean))];
    if (texts.length > MAX_COMPARED)
      throw new EngineError('input', `compare at most ${MAX_COMPARED} texts at once (got ${texts.length})`);
    const compared: { run: AlbertRun; text: string }[] = [];
    for (const text of texts) {
      let run = this.compared.get(text);
      if (!run) {
        run = await this.requireEngine().run(text, undefined, { attentions: false });
        this.compared.set(text, run);
      }
      compared.push({ run, text });
    }
    // Forget texts no longer compared, so memory follows the box's contents.
    for (const text of this.compared.keys()) if (!texts.includes(text)) this.compared.delete(text);
    return compared;
  }

  /** Export files of the latest view run, from the numbers the worker holds. */
  async export(runId: number, what: ExportKind, layer: number, shown?: ShownRequest): Promise<ExportFile[]> {
    const last = this.lastRun;
    if (last?.id !== runId)
      throw new EngineError('input', 'that run is gone; run the text again to export it');
    const run = last.run;
    if (what === 'shown-json') {
      if (!shown) throw new EngineError('input', 'say what is shown to export it');
      return [await this.shownJson(last, shown)];
    }
    if (what === 'hidden-npy') return [hiddenStatesNpy(run.hiddenStates)];
    if (what === 'attentions-npy') await this.keptWithAttention(runId);
    if (what === 'projector') {
      const hidden = run.hiddenStates[layer];
      if (!hidden) throw new EngineError('input', `no layer ${layer} in this model`);
      return projectorFiles(hidden, run.tokens, run.tokenTypeIds, [last.text, last.pair ?? ''], layer);
    }
    return [attentionsNpy(run.attentions)];
  }

  /** "JSON of what is shown": the run, the shown layer's vectors, and the open view's own numbers. */
  private async shownJson(last: KeptRun, shown: ShownRequest): Promise<ExportFile> {
    const engine = this.requireEngine();
    const { run, id: runId } = last;
    const { layer, attention, projection: plot } = shown;
    const vectors = shown.factorized && layer === 0 ? run.embeddings : run.hiddenStates[layer];
    if (!vectors) throw new EngineError('input', `no layer ${layer} in this model`);
    const view: Record<string, unknown> = {};
    if (shown.view === 'attention' && attention && layer > 0 && !engine.loaded.attentionUnavailable) {
      const { map, tokens } = await this.attention(runId, layer - 1, attention.head, attention.hide);
      view.attention = { layer, head: attention.head, hidden: attention.hide, tokens, weights: nested(map) };
      const { cell } = attention;
      if (cell && typeof attention.head === 'number') {
        const row = await this.attentionRow(runId, layer - 1, attention.head, cell.query);
        view.arithmetic = {
          layer: layer - 1,
          head: attention.head,
          query: cell.query,
          key: cell.key,
          scores: Array.from(row.scores),
          probabilities: Array.from(row.probabilities),
          share: attentionArithmetic(row.scores, row.probabilities, run.tokens, cell.key).share,
        };
      }
    }
    if (shown.view === 'projection' && plot) {
      const paths = plot.mode === 'paths';
      const k = plot.mode === '3d' ? 3 : 2;
      const p = await this.projection({
        runId,
        mode: paths ? 'paths' : 'layer',
        layer,
        k,
        compare: plot.compare,
        hide: plot.hide,
      });
      const { scores, points } = p.projection;
      view.projection = {
        mode: plot.mode,
        layer: paths ? 'all' : layer,
        compare: plot.compare,
        explainedRatio: p.projection.explainedRatio,
        groupNames: p.groupNames,
        points: p.labels.map((label, i) => ({
          label,
          group: p.groups[i],
          // One coordinate row per layer for paths.
          coordinates: Array.from({ length: p.layers }, (_, l) =>
            Array.from(
              scores.subarray((l * points + i) * p.projection.k, (l * points + i + 1) * p.projection.k),
            ),
          ),
        })),
      };
    }
    const { file: modelFile, dtype } = engine.loaded;
    const json = {
      model: this.modelName(engine),
      modelFile,
      dtype: dtype ?? null,
      // Where the numbers come from: float32, or a quantized/fp16 file with its typical distance from fp32.
      precision: precisionReport(engine.prepared.precision),
      backend: run.backend,
      text: last.text,
      pair: last.pair,
      tokens: run.tokens,
      ids: run.ids,
      tokenTypeIds: run.tokenTypeIds,
      offsets: run.offsets,
      special: run.special,
      truncated: run.truncated,
      droppedTokens: run.droppedTokens,
      padding: run.padding,
      layer,
      selectedToken: shown.selectedToken,
      view: shown.view,
      ...view,
      vectors: shown.factorized && layer === 0 ? 'factorized embedding' : `hidden state of layer ${layer}`,
      hiddenStates: nested(vectors),
      norms: Array.from(tokenNorms(vectors)),
      layerCosines: nested(layerCosines(run.hiddenStates)),
    };
    return {
      name: `albert-layer${layer}.json`,
      mime: 'application/json',
      bytes: new TextEncoder().encode(JSON.stringify(json, null, 1)),
    };
  }

  /** A runtime of `kind`, loaded once; for WASM, the WebGPU build when it is already here (it runs WASM too). */
  private runtime(kind: RuntimeKind, threads: number): Promise<OrtModule> {
    if (kind === 'wasm' && !this.runtimes.wasm && this.runtimes.webgpu) return this.runtimes.webgpu;
    const started = this.options.ort(kind).then(async (ort) => {
      await startRuntime(ort, threads);
      return ort;
    });
    // A runtime that failed to load is not kept: the next load tries again.
    started.catch(() => delete this.runtimes[kind]);
    return (this.runtimes[kind] ??= started);
  }

  /** Test hook: destroys the WebGPU device as a driver reset would. */
  async loseDevice(): Promise<void> {
    if (this.engine?.backend.name !== 'webgpu' || !this.ort)
      throw new EngineError('input', 'not running on WebGPU');
    (await this.ort.env.webgpu.device).destroy();
  }

  /** The loaded engine, or a readable error when none is. */
  requireEngine(): AlbertEngine {
    if (!this.engine) throw new EngineError('input', 'no model is loaded yet');
    return this.engine;
  }

  private async watchDevice(engine: AlbertEngine): Promise<void> {
    const device = await this.ort!.env.webgpu.device;
    const info = await device.lost;
    if (this.engine !== engine) return;
    await this.fallBackToWasm(`the GPU device was lost (${info.message || info.reason})`);
  }

  private async fallBackToWasm(reason: string): Promise<void> {
    const engine = this.engine;
    this.engine = undefined;
    await engine?.dispose().catch(() => undefined);
    const info = await this.loadOnWasm(
      this.loadRequest!,
      reason,
      () => undefined,
      () => undefined,
    );
    this.options.onBackendChanged?.(info, `${reason}: now running on WASM`);
  }

  /** The model of `request` loaded again on WASM, its badge saying what was asked for and why it is not that. */
  private async loadOnWasm(
    request: LoadRequest,
    reason: string,
    onProgress: (p: FileProgress) => void,
    onWarming: () => void,
  ): Promise<ModelInfo> {
    await this.load({ ...request, backend: 'wasm' }, onProgress, onWarming);
    const engine = this.requireEngine();
    engine.backend.requested = request.backend;
    engine.backend.fallbackReason = reason;
    return this.info(engine);
  }

  /** The loaded model as messages and exports name it: its URL or path, or the picked folder's name. */
  private modelName(engine: AlbertEngine): string {
    return this.loadRequest?.model.kind === 'files'
      ? `local folder "${this.loadRequest.model.name}"`
      : engine.sourceId;
  }

  private info(engine: AlbertEngine): ModelInfo {
    const c = engine.config;
    const { file: modelFile, ...loaded } = engine.loaded;
    return {
      model: this.modelName(engine),
      layers: c.num_hidden_layers,
      heads: c.num_attention_heads,
      hiddenSize: c.hidden_size,
      embeddingSize: c.embedding_size,
      vocabSize: c.vocab_size,
      maxLength: engine.tokenizer.maxLength,
      hasLogits: engine.hasLogits,
      randomWeights: c.albert_playground_random_weights,
      parameters: parameterCounts(c),
      ...(this.notKept && { notCached: this.notKept }),
      ...loaded,
      modelFile,
      precision: engine.prepared.precision,
      backend: engine.backend,
      timings: engine.loadTimings,
    };
  }
}

function pick(tensors: FloatTensor[], layers: number[], copy: boolean): Record<number, FloatTensor> {
  const out: Record<number, FloatTensor> = {};
  for (const i of layers) {
    const t = tensors[i];
    if (t) out[i] = copy ? { data: t.data.slice(), dims: t.dims } : t;
  }
  return out;
}
