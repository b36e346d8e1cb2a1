/**
 * The ALBERT engine: a model folder in, tokens and every layer's hidden states, attention probabilities and
 * pre-softmax scores out — one session.run over a graph whose internals were exposed by surgery. Used by the
 * worker in browsers and by the CLI, tests and benchmarks in Node.
 */
import { placeFile, planBackend, type BackendPlan, type HostEnvironment } from './backend.ts';
import type { AlbertConfig } from './config.ts';
import type { Dtype } from './dtypes.ts';
import { EngineError, messageOf } from './errors.ts';
import { graphKey, type GraphCache } from './graphCache.ts';
import { loadModelFiles, type LoadFilesOptions, type ModelFiles, type OnnxFileInfo } from './modelFiles.ts';
import type { ModelSource } from './modelSource.ts';
import { prepareAlbertGraph, type PreparedModel } from './onnx/surgery.ts';
import type { SentencePooling } from './sentenceModel.ts';
import { openSession, type OrtModule, type Session } from './session.ts';
import { AlbertTokenizer, type Encoding } from './tokenizer.ts';
import type { BackendInfo, BackendRequest, FloatTensor, Timings } from './types.ts';

export interface EngineOptions extends LoadFilesOptions {
  source: ModelSource;
  /** The runtime, or its promise: the files download and the graph is prepared while it loads and compiles. */
  ort: OrtModule | Promise<OrtModule>;
  host: HostEnvironment;
  backend?: BackendRequest;
  /** Where prepared graphs are kept between loads, by the file's hash (see graphCache.ts). */
  graphCache?: GraphCache;
}

/** What was loaded: which file and why, what the folder offers, and what the file can show. */
export interface LoadedModel {
  /** Path of the ONNX file inside the folder. */
  file: string;
  /** Its dtype, when it is one of the eight conventional files. */
  dtype?: Dtype;
  /** Why this file (the request, or what `auto` weighed). */
  fileReason: string;
  /** The folder's ONNX files with sizes, when the source could list them. */
  files?: OnnxFileInfo[];
  /** The model's own sentence pooling (its sentence-transformers files, or a known model's card). */
  sentence?: SentencePooling;
  /** Why there are no attention maps, when the file fuses attention. */
  attentionUnavailable?: string;
  /** The folder's file that has them then (its plain export). */
  attentionFile?: string;
  /** The prepared graph came from the graph cache: the file was neither read nor operated on. */
  graphCached?: boolean;
}

/**
 * Which outputs to copy out of the runtime. Each costs memory and a copy (at 512 tokens on albert-base, the
 * attention maps are 151 MB and the scores as much again), so by default: hidden states and attention maps.
 */
export interface RunOutputs {
  /** The factorized embeddings before the projection (embedding_size wide). */
  embeddings?: boolean;
  hiddenStates?: boolean;
  /**
   * 'device': on WebGPU, leave the maps in GPU buffers (`attentionsOnDevice`) until they are read, so a run
   * whose maps no view shows copies none of them out; elsewhere, the same as true.
   */
  attentions?: boolean | 'device';
  attentionScores?: boolean;
  logits?: boolean;
  /** Pad the input to this many tokens (as a batch would), with attention mask 0 on the pads. */
  padTo?: number;
  /** Truncate to this many tokens (specials included) instead of the model's maximum. */
  maxLength?: number;
}

/** Tensors left in GPU buffers by a WebGPU run: read them once, or release them. */
export interface OnDevice {
  /** Copies them to the CPU and frees their GPU buffers (rejects if the device was lost meanwhile). */
  read(): Promise<FloatTensor[]>;
  /** Frees their GPU buffers unread. */
  release(): void;
}

type OutputTensor = InstanceType<OrtModule['Tensor']>;

/** A run's output as the CPU holds it, batch dimension dropped (no copy when it is on the CPU already). */
async function onCpu(t: OutputTensor): Promise<FloatTensor> {
  const data = t.location === 'gpu-buffer' ? await t.getData(true) : t.data;
  return { data: data as Float32Array, dims: t.dims.slice(1) };
}

function onDevice(tensors: OutputTensor[]): OnDevice {
  let pending = true;
  return {
    read() {
      pending = false;
      return Promise.all(tensors.map(onCpu));
    },
    release() {
      if (pending)
        for (const t of tensors) {
          try {
            t.dispose();
          } catch {
            // a lost device took its buffers with it
          }
        }
      pending = false;
    },
  };
}

/** A batch of texts run together: each text's encoding, and the asked-for hidden states [batch, n, hidden]. */
export interface BatchRun {
  encodings: Encoding[];
  /** One per asked-for layer; rows past a text's own length are padding. */
  hiddenStates: FloatTensor[];
  backend: BackendInfo;
  timings: Timings;
}

export interface AlbertRun extends Encoding {
  /** L+1 tensors [tokens, hidden]: 0 is the embedding projection's output, i the output of layer i. */
  hiddenStates: FloatTensor[];
  /** L tensors [heads, tokens, tokens] of softmax probabilities (rows: queries, columns: keys). */
  attentions: FloatTensor[];
  /** The maps still on the GPU, when asked for with `attentions: 'device'` on WebGPU (`attentions` is empty). */
  attentionsOnDevice?: OnDevice;
  /** L tensors [heads, tokens, tokens]: QKᵀ/√d plus the mask term, the softmax's input. */
  attentionScores: FloatTensor[];
  /** [tokens, embedding_size]: the factorized embeddings before embedding_hidden_mapping_in, when asked for. */
  embeddings?: FloatTensor;
  /** [tokens, vocab] masked-LM logits, when the file is a fill-mask export and they were asked for. */
  logits?: FloatTensor;
  backend: BackendInfo;
  timings: Timings;
}

/** The folder's plain export, to name in messages about files that hide what the views need. */
function plainFile(files: OnnxFileInfo[] | undefined): string {
  const plain = files?.find((f) => f.dtype === 'fp32') ?? files?.find((f) => f.dtype === 'fp16');
  return plain?.path ?? 'onnx/model.onnx';
}

/** Graph surgery, with a message that names the folder's plain export when the layers cannot be found. */
function prepare(
  bytes: Uint8Array,
  layers: number,
  file: string,
  files: OnnxFileInfo[] | undefined,
  lean: boolean,
): PreparedModel {
  try {
    return prepareAlbertGraph(bytes, layers, file, { lean });
  } catch (error) {
    // A graph whose layers cannot be found: say which file of the folder can be read.
    if (error instanceof EngineError && error.code === 'unsupported-graph' && file !== plainFile(files))
      throw new EngineError(
        'unsupported-graph',
        `${error.message}; load \`${plainFile(files)}\` (the plain export) instead`,
        file,
      );
    throw error;
  }
}

/**
 * Opens a session on a prepared graph: the one kept under the file's hash when the source states one (the file
 * is then not even read), else one prepared from the file and kept once its session opened. A kept graph that
 * no longer opens (storage damaged it) is dropped and the file prepared again.
 */
async function openPrepared<T>(
  files: ModelFiles,
  lean: boolean,
  cache: GraphCache | undefined,
  open: (graph: PreparedModel) => Promise<T>,
  useKept = true,
): Promise<{ prepared: Omit<PreparedModel, 'bytes'>; opened: T; cached: boolean }> {
  const key = cache && files.onnxHash && graphKey(files.onnxHash, files.config.num_hidden_layers, lean);
  // A cache that fails to answer (storage blocked) is a cache that does not have it.
  const kept = key && useKept ? await cache.get(key).catch(() => undefined) : undefined;
  if (kept && key) {
    const { bytes: _bytes, ...prepared } = kept;
    try {
      return { prepared, opened: await open(kept), cached: true };
    } catch {
      await cache!.delete(key).catch(() => undefined);
      return openPrepared(files, lean, cache, open, false);
    }
  }
  const graph = prepare(
    await files.readOnnx(),
    files.config.num_hidden_layers,
    files.onnxFile,
    files.files,
    lean,
  );
  const opened = await open(graph);
  // Kept after the fact: the load does not wait for storage, and a failed put only means no cache.
  if (key) void cache!.put(key, graph).catch(() => undefined);
  const { bytes: _bytes, ...prepared } = graph;
  return { prepared, opened, cached: false };
}

/** What is needed to open a second session on the same file: the full graph, with scores and logits. */
interface FullGraph {
  files: ModelFiles;
  cache?: GraphCache;
  plan: BackendPlan;
  request: BackendRequest;
  host: HostEnvironment;
}

/** A failed run as the user should read it; running out of memory gets advice. */
function runFailure(error: unknown, file: string, backend: string, tokens: number): EngineError {
  const detail = messageOf(error);
  if (error instanceof RangeError || /out of memory|memory allocation|bad_alloc|OOM/i.test(detail))
    return new EngineError(
      'backend',
      `ran out of memory running ${tokens} tokens through ${file} on ${backend}: try a shorter text or q8 weights (${detail})`,
    );
  return new EngineError('backend', `running ${file} on ${backend} failed: ${detail}`);
}

export class AlbertEngine {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    /** Where the model came from (a URL or a path). */
    readonly sourceId: string,
    readonly config: AlbertConfig,
    readonly tokenizer: AlbertTokenizer,
    /** The lean graph every run uses unless it asks for scores or logits (its bytes dropped once opened). */
    readonly prepared: Omit<PreparedModel, 'bytes'>,
    readonly backend: BackendInfo,
    readonly loaded: LoadedModel,
    readonly loadTimings: Timings,
    private readonly session: Session,
    private readonly ort: OrtModule,
    private readonly hasTokenTypes: boolean,
    private readonly fullGraph: FullGraph,
  ) {}

  /** The full graph's session (pre-softmax scores, the masked-LM head), opened on the first run that needs it. */
  private full: Promise<{ session: Session; outputs: PreparedModel['outputs'] }> | undefined;

  /** Whether the file is a fill-mask export (its full graph gives logits). */
  get hasLogits(): boolean {
    return this.prepared.originalOutputs.includes('logits');
  }

  private openFull(): Promise<{ session: Session; outputs: PreparedModel['outputs'] }> {
    this.full ??= (async () => {
      const { files, cache, plan, request, host } = this.fullGraph;
      const { prepared, opened } = await openPrepared(files, false, cache, (graph) =>
        openSession(this.ort, graph.bytes, plan, request, host, this.modelFile),
      );
      return { session: opened.session, outputs: prepared.outputs };
    })();
    // A failed open is not kept: the next run that needs it tries again.
    this.full.catch(() => (this.full = undefined));
    return this.full;
  }

  /** Closes the full graph's session (its memory returns when the scores are no longer shown). */
  releaseFull(): Promise<void> {
    const full = this.full;
    this.full = undefined;
    const next = this.queue.then(async () => (await full?.catch(() => undefined))?.session.release());
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** @param planned where to run, when already known (a WebGPU start that failed: see below) */
  static async load(options: EngineOptions, planned?: BackendPlan): Promise<AlbertEngine> {
    const t0 = performance.now();
    const request = options.backend ?? 'auto';
    // Where it can run decides what `auto` picks (fp16 only on an adapter with shader-f16).
    const plan = planned ?? (await planBackend(request, options.host));
    const files = await loadModelFiles(options.source, options, plan);
    const t1 = performance.now();
    const tokenizer = new AlbertTokenizer(
      files.tokenizerJson,
      files.tokenizerConfig,
      files.config.max_position_embeddings,
    );
    let t2 = t1;
    const {
      prepared,
      cached,
      opened: { ort, placed, session, backend },
    } = await openPrepared(files, true, options.graphCache, async (graph) => {
      t2 = performance.now();
      // The runtime compiled while the files downloaded and the graph was prepared.
      const runtime = await options.ort;
      const where = placeFile(plan, graph.precision.kind, graph.webgpuCaveat);
      // The maps stay on a GPU until a view reads them.
      const opened = await openSession(
        runtime,
        graph.bytes,
        where,
        request,
        options.host,
        files.onnxFile,
        graph.outputs.attentions,
      );
      return { ort: runtime, placed: where, ...opened };
    });
    const t3 = performance.now();
    // `auto` chose fp16 for a WebGPU that then failed to start: on WASM, fp32 is both faster and exact.
    const auto = !options.modelFile && (options.dtype ?? 'auto') === 'auto';
    if (auto && files.dtype === 'fp16' && plan.name === 'webgpu' && backend.name !== 'webgpu') {
      await session.release();
      return AlbertEngine.load(options, { name: 'wasm', reason: backend.fallbackReason });
    }
    // graphMs: reading the file and surgery, or taking the kept graph.
    const timings = { filesMs: t1 - t0, graphMs: t2 - t1, sessionMs: t3 - t2 };
    const fused = prepared.outputs.fusedAttention;
    const plain = plainFile(files.files);
    const loaded: LoadedModel = {
      file: files.onnxFile,
      ...(files.dtype && { dtype: files.dtype }),
      fileReason: files.fileReason,
      ...(files.files && { files: files.files }),
      ...(files.sentence && { sentence: files.sentence }),
      ...(cached && { graphCached: true }),
      ...(fused && {
        attentionUnavailable: `this file fuses attention (onnxruntime's ${fused} op), so its attention maps never exist as numbers; load \`${plain}\` to see the maps`,
        attentionFile: plain,
      }),
    };
    return new AlbertEngine(
      options.source.id,
      files.config,
      tokenizer,
      prepared,
      backend,
      loaded,
      timings,
      session,
      ort,
      session.inputNames.includes('token_type_ids'),
      {
        files,
        ...(options.graphCache && { cache: options.graphCache }),
        // The full graph runs where the lean one does (a WebGPU that failed once is not tried again).
        plan: backend.name === placed.name ? placed : { name: backend.name },
        request,
        host: options.host,
      },
    );
  }

  /** Path of the ONNX file inside the folder. */
  get modelFile(): string {
    return this.loaded.file;
  }

  /** The longest input a sentence vector sees: the model's trained maximum when it states one. */
  get sentenceMaxLength(): number {
    return Math.min(this.loaded.sentence?.maxLength ?? Infinity, this.tokenizer.maxLength);
  }

  /** Tokenizes `text` (and `pair` as segment B) and runs the model. Calls are serialized. */
  run(text: string, pair?: string, outputs: RunOutputs = {}): Promise<AlbertRun> {
    const next = this.queue.then(() => this.runNow(text, pair, outputs));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Runs an encoding made elsewhere (a window of a long text: see windows.ts) exactly as `run` runs the
   * encoding of a text. `maxLength` does not apply (the encoding is already cut); `padTo` does.
   */
  runEncoding(encoding: Encoding, outputs: RunOutputs = {}): Promise<AlbertRun> {
    const next = this.queue.then(() => this.runEncodedNow(encoding, outputs, performance.now()));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Runs several texts as one batch, each padded to the longest with attention mask 0 (each text's numbers
   * equal its own run's to float32 rounding). Returns only the hidden states asked for, as [batch, n, hidden],
   * with each text's encoding (unpadded). Calls are serialized with `run`.
   */
  runBatch(texts: string[], layers: number[], maxLength?: number): Promise<BatchRun> {
    const next = this.queue.then(() => this.runBatchNow(texts, layers, maxLength));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async dispose(): Promise<void> {
    await this.releaseFull();
    await this.session.release();
  }

  private async runBatchNow(texts: string[], layers: number[], maxLength?: number): Promise<BatchRun> {
    const t0 = performance.now();
    const encodings = texts.map((t) => this.tokenizer.encode(t, undefined, maxLength));
    const n = Math.max(1, ...encodings.map((e) => e.ids.length));
    const b = texts.length;
    const matrix = (value: (e: Encoding, i: number) => number) => {
      const out = new BigInt64Array(b * n);
      encodings.forEach((e, row) => e.ids.forEach((_, i) => (out[row * n + i] = BigInt(value(e, i)))));
      return new this.ort.Tensor('int64', out, [b, n]);
    };
    const feeds: Record<string, InstanceType<OrtModule['Tensor']>> = {
      input_ids: matrix((e, i) => e.ids[i]!),
      attention_mask: matrix(() => 1),
    };
    if (this.hasTokenTypes) feeds.token_type_ids = matrix((e, i) => e.tokenTypeIds[i]!);
    const names = layers.map((l) => {
      const name = this.prepared.outputs.hiddenStates[l];
      if (!name) throw new EngineError('input', `no layer ${l} in this model`);
      return name;
    });
    const t1 = performance.now();
    let results: Record<string, { data: unknown; dims: readonly number[] }>;
    try {
      results = await this.session.run(feeds, names);
    } catch (error) {
      throw runFailure(error, this.modelFile, this.backend.name, n);
    }
    const t2 = performance.now();
    return {
      encodings,
      hiddenStates: names.map((name) => ({
        data: results[name]!.data as Float32Array,
        dims: [...results[name]!.dims],
      })),
      backend: this.backend,
      timings: { tokenizeMs: t1 - t0, inferenceMs: t2 - t1, totalMs: performance.now() - t0 },
    };
  }

  private runNow(text: string, pair: string | undefined, outputs: RunOutputs): Promise<AlbertRun> {
    const t0 = performance.now();
    return this.runEncodedNow(this.tokenizer.encode(text, pair, outputs.maxLength), outputs, t0);
  }

  /** @param t0 when the run started (tokenizing, if any, counts in its timings) */
  private async runEncodedNow(unpadded: Encoding, outputs: RunOutputs, t0: number): Promise<AlbertRun> {
    const encoding = outputs.padTo ? this.tokenizer.pad(unpadded, outputs.padTo) : unpadded;
    const t1 = performance.now();
    const n = encoding.ids.length;
    const int64 = (values: number[]) =>
      new this.ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, n]);
    const feeds: Record<string, InstanceType<OrtModule['Tensor']>> = {
      input_ids: int64(encoding.ids),
      attention_mask: int64(encoding.ids.map((_, i) => (i < n - encoding.padding ? 1 : 0))),
    };
    if (this.hasTokenTypes) feeds.token_type_ids = int64(encoding.tokenTypeIds);
    const want = {
      embeddings: false,
      hiddenStates: true,
      attentions: true,
      attentionScores: false,
      logits: false,
      ...outputs,
    };
    // A file that fuses attention has no maps to give; the views say so (loaded.attentionUnavailable).
    if (this.prepared.outputs.fusedAttention) want.attentions = want.attentionScores = false;
    if (!this.hasLogits) want.logits = false;
    // Scores and logits live in the full graph; everything else in the lean one.
    const { session, outputs: names } =
      want.attentionScores || want.logits
        ? await this.openFull()
        : { session: this.session, outputs: this.prepared.outputs };
    const fetches = [
      ...(want.embeddings ? [names.embeddings] : []),
      ...(want.hiddenStates ? names.hiddenStates : []),
      ...(want.attentions ? names.attentions : []),
      ...(want.attentionScores ? names.attentionScores : []),
      ...(want.logits && names.logits ? [names.logits] : []),
    ];
    if (fetches.length === 0) fetches.push(names.hiddenStates[names.hiddenStates.length - 1]!);
    let results: Record<string, OutputTensor>;
    try {
      results = await session.run(feeds, fetches);
    } catch (error) {
      throw runFailure(error, this.modelFile, this.backend.name, n);
    }
    const t2 = performance.now();
    // Maps asked to stay where they are, and left on the GPU by the session (see openSession's onDevice).
    const mapsOnDevice =
      want.attentions === 'device' && names.attentions.some((a) => results[a]?.location === 'gpu-buffer');
    const cpu = async (on: boolean, list: string[]) =>
      on ? Promise.all(list.map((t) => onCpu(results[t]!))) : [];
    let run: AlbertRun;
    try {
      run = {
        ...encoding,
        hiddenStates: await cpu(want.hiddenStates, names.hiddenStates),
        attentions: await cpu(want.attentions !== false && !mapsOnDevice, names.attentions),
        attentionScores: await cpu(want.attentionScores, names.attentionScores),
        backend: this.backend,
        timings: { tokenizeMs: t1 - t0, inferenceMs: t2 - t1, totalMs: performance.now() - t0 },
      };
      if (mapsOnDevice) run.attentionsOnDevice = onDevice(names.attentions.map((a) => results[a]!));
      if (want.logits && names.logits) run.logits = await onCpu(results[names.logits]!);
      if (want.embeddings) run.embeddings = await onCpu(results[names.embeddings]!);
    } catch (error) {
      // A GPU buffer that could not be read (the device went away after the run).
      if (mapsOnDevice) names.attentions.forEach((a) => results[a]!.dispose());
      throw runFailure(error, this.modelFile, this.backend.name, n);
    }
    return run;
  }
}
