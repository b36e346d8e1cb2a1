/**
 * The page's side of the engine worker: a promise per request, progress callbacks, errors as `EngineFailure`
 * (code + readable message). View runs replace each other: an older one resolves to null once a newer one is
 * asked for. A worker that dies is replaced, its model reloaded, and each request it was working on retried
 * once. Takes a port factory, so tests can inject fakes.
 */
import type { PoolingRequest } from '../engine/sentenceModel.ts';
import type { UmapProgress } from '../engine/umap.ts';
import type { BackendRequest, DtypeRequest } from '../engine/types.ts';
import type {
  Hidden,
  LinesProgress,
  LinesView,
  ModelInfo,
  ModelLocation,
  ProjectionRequest,
  Replies,
  RequestOf,
  RequestType,
  RunWant,
  ExportKind,
  ShownRequest,
  WireError,
  WorkerEvent,
  WorkerPort,
  WorkerRequest,
} from './protocol.ts';

export class EngineFailure extends Error {
  override readonly name = 'EngineFailure';
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
}

export interface LoadRequest {
  model: ModelLocation;
  backend?: BackendRequest;
  dtype?: DtypeRequest;
  modelFile?: string;
  onProgress?: (file: string, loaded: number, total?: number) => void;
  onWarming?: () => void;
}

export interface ClientListener {
  /** The worker moved the model to another backend (the GPU was lost). */
  onBackendChanged?(info: ModelInfo, notice: string): void;
  /** The worker died and was restarted. */
  onRestart?(): void;
}

interface Pending {
  request: WorkerRequest;
  /** A method, so that a promise's resolver for one request type's reply can stand here. */
  resolve(value: Replies[RequestType]): void;
  reject(error: Error): void;
  retried: boolean;
  onProgress?: LoadRequest['onProgress'];
  onWarming?: () => void;
  onLines?: (progress: LinesProgress, partial?: LinesView) => void;
  onUmap?: (progress: UmapProgress) => void;
}

/** A request without its id (the client assigns it), one variant at a time. */
type Body<T extends RequestType = RequestType> =
  RequestOf<T> extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/** What a method resolves to: its request type's reply. */
type Reply<T extends RequestType> = Promise<Replies[T]>;

export class EngineClient {
  private port: WorkerPort;
  private nextId = 1;
  private latestViewRun = 0;
  private lastLoad: Body<'load'> | undefined;
  /** The id of the latest load, which cancelLoad stops. */
  private loadId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly connect: () => WorkerPort,
    private readonly listener: ClientListener = {},
  ) {
    this.port = this.attach(connect());
  }

  load(request: LoadRequest): Reply<'load'> {
    const { onProgress, onWarming, ...rest } = request;
    const body: Body<'load'> = { type: 'load', backend: 'auto', dtype: 'auto', ...rest };
    this.lastLoad = body;
    this.loadId = this.nextId;
    return this.send(body, { onProgress, onWarming });
  }

  /** Stops the latest load's downloads: it then rejects with code `cancelled` (unless it was past them). */
  cancelLoad(): Reply<'cancel'> {
    return this.cancel(this.loadId);
  }

  /** Runs text (and pair); resolves null when a newer view run superseded it. */
  run(text: string, pair: string | undefined, want: RunWant): Reply<'run'> {
    return this.send({ type: 'run', text, pair, want });
  }

  /** More hidden states of a view run; null when the worker no longer holds that run. */
  layers(runId: number, layers: number[]): Reply<'layers'> {
    return this.send({ type: 'layers', runId, layers });
  }

  /** One attention map of a view run (layer 0..L-1), with the token indices it covers. */
  attention(runId: number, layer: number, head: number | 'mean', hide: Hidden): Reply<'attention'> {
    return this.send({ type: 'attention', runId, layer, head, hide });
  }

  /** Every head of the given layers (0..L-1), shrunk to at most size × size: [layers, heads, s, s]. */
  attentionThumbnails(
    runId: number,
    layers: number[],
    size: number,
    hide: Hidden,
  ): Reply<'attention-thumbnails'> {
    return this.send({ type: 'attention-thumbnails', runId, layers, size, hide });
  }

  /** One query's pre-softmax scores and probabilities at one head (the worker keeps the scores until released). */
  attentionRow(runId: number, layer: number, head: number, query: number): Reply<'attention-row'> {
    return this.send({ type: 'attention-row', runId, layer, head, query });
  }

  /** Lets the worker drop the attention scores it keeps for the arithmetic table. */
  releaseScores(): Reply<'release-scores'> {
    return this.send({ type: 'release-scores' });
  }

  /** The factorized embeddings ([tokens, embedding_size]) of a view run. */
  factorized(runId: number): Reply<'factorized'> {
    return this.send({ type: 'factorized', runId });
  }

  /** PCA coordinates of a view run's tokens, with other texts projected on the same axes. */
  projection(request: Omit<ProjectionRequest, 'type' | 'id'>): Reply<'projection'> {
    return this.send({ type: 'projection', ...request });
  }

  /** Compares two texts (each on its own, and as a pair). */
  compare(a: string, b: string): Reply<'compare'> {
    return this.send({ type: 'compare', a, b });
  }

  alignment(compareId: number, layer: number): Reply<'alignment'> {
    return this.send({ type: 'alignment', compareId, layer });
  }

  /**
   * Embeds lines in the worker in batches; `onProgress` sees each batch (with a partial view now and then).
   * The returned id names the kept set for `linesView`; `cancel(id)` stops it early.
   */
  embedLines(
    request: { lines: string[]; pooling: PoolingRequest; batchSize: number; layer: number },
    onProgress: (progress: LinesProgress, partial?: LinesView) => void,
  ): { id: number; done: Reply<'embed-lines'> } {
    return this.job({ type: 'embed-lines', ...request }, { onLines: onProgress });
  }

  /**
   * A UMAP layout in the worker; `onProgress` sees the epochs as they run. `cancel(id)` stops it, and it
   * resolves with the layout so far.
   */
  umap(
    request: Omit<RequestOf<'umap'>, 'type' | 'id'>,
    onProgress: (progress: UmapProgress) => void,
  ): { id: number; done: Reply<'umap'> } {
    return this.job({ type: 'umap', ...request }, { onUmap: onProgress });
  }

  cancel(target: number): Reply<'cancel'> {
    return this.send({ type: 'cancel', target });
  }

  linesView(setId: number, layer: number, query?: string): Reply<'lines-view'> {
    return this.send({ type: 'lines-view', setId, layer, query });
  }

  linesVectors(setId: number, layer: number): Reply<'lines-vectors'> {
    return this.send({ type: 'lines-vectors', setId, layer });
  }

  classify(
    request: Omit<RequestOf<'classify'>, 'type' | 'id'>,
    onProgress: (progress: LinesProgress) => void,
  ): { id: number; done: Reply<'classify'> } {
    return this.job({ type: 'classify', ...request }, { onLines: onProgress });
  }

  /** The classification `setId` (a `classify` id) scored again at another layer, k or pooling: no new run. */
  classifyView(setId: number, layer: number, k: number, pooling: PoolingRequest): Reply<'classify-view'> {
    return this.send({ type: 'classify-view', setId, layer, k, pooling });
  }

  /**
   * Tags a text's tokens from example sentences (each run once, every layer kept); `onProgress` sees each
   * sentence. The returned id names the kept tagging for `tagView`; `cancel(id)` stops it early.
   */
  tag(
    request: Omit<RequestOf<'tag'>, 'type' | 'id'>,
    onProgress: (progress: LinesProgress) => void,
  ): { id: number; done: Reply<'tag'> } {
    return this.job({ type: 'tag', ...request }, { onLines: onProgress });
  }

  /** The tagging `setId` (a `tag` id) again at another layer or k: no new run. */
  tagView(setId: number, layer: number, k: number): Reply<'tag-view'> {
    return this.send({ type: 'tag-view', setId, layer, k });
  }

  /**
   * Cross-validated accuracy of a linear probe at every hidden state; `onProgress` sees each example sentence
   * run and each layer probed. `cancel(id)` stops it early.
   */
  probe(
    probe: RequestOf<'probe'>['probe'],
    onProgress: (progress: LinesProgress) => void,
  ): { id: number; done: Reply<'probe'> } {
    return this.job({ type: 'probe', probe }, { onLines: onProgress });
  }

  /** Files exported from a view run (moved out of the worker, not copied). */
  export(runId: number, what: ExportKind, layer: number, shown?: ShownRequest): Reply<'export'> {
    return this.send({ type: 'export', runId, what, layer, ...(shown && { shown }) });
  }

  /** A folder's ONNX files with sizes, or undefined when it cannot be listed. */
  list(model: ModelLocation): Reply<'list'> {
    return this.send({ type: 'list', model });
  }

  cacheUsage(): Reply<'cache-usage'> {
    return this.send({ type: 'cache-usage' });
  }

  clearCache(): Reply<'cache-clear'> {
    return this.send({ type: 'cache-clear' });
  }

  debug(action: RequestOf<'debug'>['action']): Reply<'debug'> {
    return this.send({ type: 'debug', action });
  }

  private attach(port: WorkerPort): WorkerPort {
    port.onmessage = ({ data }) => this.receive(data);
    port.onerror = (event) => {
      event.preventDefault?.();
      this.restart();
    };
    return port;
  }

  /** A long job: its id (for `cancel` and the views of what it keeps) and its reply. */
  private job<T extends RequestType>(
    body: Body<T>,
    hooks: Pick<Pending, 'onLines' | 'onUmap'>,
  ): { id: number; done: Reply<T> } {
    const id = this.nextId;
    return { id, done: this.send(body, hooks) };
  }

  private send<T extends RequestType>(
    body: Body<T>,
    hooks: Pick<Pending, 'onProgress' | 'onWarming' | 'onLines' | 'onUmap'> = {},
  ): Reply<T> {
    const id = this.nextId++;
    const request = Object.assign({ id }, body) as WorkerRequest;
    if (request.type === 'run' && request.want.lane === 'view') this.latestViewRun = id;
    return new Promise<Replies[T]>((resolve, reject) => {
      const settle = (value: Replies[T]) => resolve(value);
      this.pending.set(id, { request, resolve: settle, reject, retried: false, ...hooks });
      this.port.postMessage(request);
    });
  }

  /** Replaces a dead worker: reload the model, then retry each unfinished request once. */
  private restart(): void {
    this.port.terminate();
    this.port = this.attach(this.connect());
    this.listener.onRestart?.();
    const unfinished = [...this.pending.values()].toSorted((a, b) => a.request.id - b.request.id);
    if (this.lastLoad && !unfinished.some((p) => p.request.type === 'load'))
      this.port.postMessage({ ...this.lastLoad, id: this.nextId++ } as WorkerRequest);
    for (const p of unfinished) {
      if (p.retried) {
        this.pending.delete(p.request.id);
        p.reject(
          new EngineFailure({ code: 'crashed', message: 'the engine worker crashed twice on this request' }),
        );
      } else {
        p.retried = true;
        this.port.postMessage(p.request);
      }
    }
  }

  private receive(event: WorkerEvent): void {
    if (event.type === 'backend-changed') {
      this.listener.onBackendChanged?.(event.info, event.notice);
      return;
    }
    const pending = this.pending.get(event.id);
    if (!pending) return;
    if (event.type === 'progress') return pending.onProgress?.(event.file, event.loaded, event.total);
    if (event.type === 'warming') return pending.onWarming?.();
    if (event.type === 'lines-progress') return pending.onLines?.(event.progress, event.partial);
    if (event.type === 'umap-progress') return pending.onUmap?.(event.progress);
    this.pending.delete(event.id);
    if (event.type === 'error') return pending.reject(new EngineFailure(event.error));
    const superseded =
      pending.request.type === 'run' &&
      pending.request.want.lane === 'view' &&
      event.id !== this.latestViewRun;
    pending.resolve(superseded ? null : event.value);
  }
}
