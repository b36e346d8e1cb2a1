/**
 * The page's side of the engine worker: a promise per request, progress callbacks, errors as `EngineFailure`
 * (code + readable message). View runs replace each other: an older one resolves to null once a newer one is
 * asked for. A worker that dies is replaced, its model reloaded, and each request it was working on retried
 * once. Takes a port factory, so tests can inject fakes.
 */
import type { ExportFile } from '../engine/export/runFiles.ts';
import type { OnnxFileInfo } from '../engine/modelFiles.ts';
import type { PoolingRequest } from '../engine/sentenceModel.ts';
import type { Classified } from '../engine/sentences.ts';
import type { Alignment } from '../engine/similarity.ts';
import type { BackendRequest, DtypeRequest, FloatTensor } from '../engine/types.ts';
import type { CacheUsage } from './cachedSource.ts';
import type {
  Hidden,
  ModelInfo,
  ModelLocation,
  CompareView,
  LinesProgress,
  LinesView,
  ProjectionRequest,
  ProjectionView,
  RunView,
  RunWant,
  Truncation,
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
  resolve(value: unknown): void;
  reject(error: Error): void;
  retried: boolean;
  onProgress?: LoadRequest['onProgress'];
  onWarming?: () => void;
  onLines?: (progress: LinesProgress, partial?: LinesView) => void;
}

/** A request without its id (the client assigns it), one variant at a time. */
type Body<T extends WorkerRequest['type'] = WorkerRequest['type']> =
  Extract<WorkerRequest, { type: T }> extends infer R
    ? R extends WorkerRequest
      ? Omit<R, 'id'>
      : never
    : never;

export class EngineClient {
  private port: WorkerPort;
  private nextId = 1;
  private latestViewRun = 0;
  private lastLoad: Body<'load'> | undefined;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly connect: () => WorkerPort,
    private readonly listener: ClientListener = {},
  ) {
    this.port = this.attach(connect());
  }

  load(request: LoadRequest): Promise<ModelInfo> {
    const { onProgress, onWarming, ...rest } = request;
    const body: Body<'load'> = { type: 'load', backend: 'auto', dtype: 'auto', ...rest };
    this.lastLoad = body;
    return this.send(body, { onProgress, onWarming }) as Promise<ModelInfo>;
  }

  /** Runs text (and pair); resolves null when a newer view run superseded it. */
  run(text: string, pair: string | undefined, want: RunWant): Promise<RunView | null> {
    return this.send({ type: 'run', text, pair, want }) as Promise<RunView | null>;
  }

  /** More hidden states of a view run; null when the worker no longer holds that run. */
  layers(runId: number, layers: number[]): Promise<Record<number, FloatTensor> | null> {
    return this.send({ type: 'layers', runId, layers }) as Promise<Record<number, FloatTensor> | null>;
  }

  /** One attention map of a view run (layer 0..L-1), with the token indices it covers. */
  attention(
    runId: number,
    layer: number,
    head: number | 'mean',
    hide: Hidden,
  ): Promise<{ map: FloatTensor; tokens: number[] }> {
    return this.send({ type: 'attention', runId, layer, head, hide }) as Promise<{
      map: FloatTensor;
      tokens: number[];
    }>;
  }

  /** Every head of the given layers (0..L-1), shrunk to at most size × size: [layers, heads, s, s]. */
  attentionThumbnails(
    runId: number,
    layers: number[],
    size: number,
    hide: Hidden,
  ): Promise<{ maps: FloatTensor; tokens: number[] }> {
    return this.send({ type: 'attention-thumbnails', runId, layers, size, hide }) as Promise<{
      maps: FloatTensor;
      tokens: number[];
    }>;
  }

  /** One query's pre-softmax scores and probabilities at one head (the worker keeps the scores until released). */
  attentionRow(
    runId: number,
    layer: number,
    head: number,
    query: number,
  ): Promise<{ scores: Float32Array; probabilities: Float32Array }> {
    return this.send({ type: 'attention-row', runId, layer, head, query }) as Promise<{
      scores: Float32Array;
      probabilities: Float32Array;
    }>;
  }

  /** Lets the worker drop the attention scores it keeps for the arithmetic table. */
  releaseScores(): Promise<void> {
    return this.send({ type: 'release-scores' }) as Promise<void>;
  }

  /** The factorized embeddings ([tokens, embedding_size]) of a view run. */
  factorized(runId: number): Promise<FloatTensor> {
    return this.send({ type: 'factorized', runId }) as Promise<FloatTensor>;
  }

  /** PCA coordinates of a view run's tokens, with other texts projected on the same axes. */
  projection(request: Omit<ProjectionRequest, 'type' | 'id'>): Promise<ProjectionView> {
    return this.send({ type: 'projection', ...request }) as Promise<ProjectionView>;
  }

  /** Compares two texts (each on its own, and as a pair). */
  compare(a: string, b: string): Promise<CompareView> {
    return this.send({ type: 'compare', a, b }) as Promise<CompareView>;
  }

  alignment(compareId: number, layer: number): Promise<Alignment> {
    return this.send({ type: 'alignment', compareId, layer }) as Promise<Alignment>;
  }

  /**
   * Embeds lines in the worker in batches; `onProgress` sees each batch (with a partial view now and then).
   * The returned id names the kept set for `linesView`; `cancel(id)` stops it early.
   */
  embedLines(
    request: { lines: string[]; pooling: PoolingRequest; batchSize: number; layer: number },
    onProgress: (progress: LinesProgress, partial?: LinesView) => void,
  ): { id: number; done: Promise<{ count: number; cancelled: boolean } & Truncation> } {
    const id = this.nextId;
    const done = this.send({ type: 'embed-lines', ...request }, { onLines: onProgress }) as Promise<
      { count: number; cancelled: boolean } & Truncation
    >;
    return { id, done };
  }

  cancel(target: number): Promise<void> {
    return this.send({ type: 'cancel', target }) as Promise<void>;
  }

  linesView(setId: number, layer: number, query?: string): Promise<LinesView> {
    return this.send({ type: 'lines-view', setId, layer, query }) as Promise<LinesView>;
  }

  linesVectors(setId: number, layer: number): Promise<FloatTensor> {
    return this.send({ type: 'lines-vectors', setId, layer }) as Promise<FloatTensor>;
  }

  classify(
    request: Omit<Extract<WorkerRequest, { type: 'classify' }>, 'type' | 'id'>,
    onProgress: (progress: LinesProgress) => void,
  ): { id: number; done: Promise<{ results: Classified[]; cancelled: boolean } & Truncation> } {
    const id = this.nextId;
    const done = this.send({ type: 'classify', ...request }, { onLines: onProgress }) as Promise<
      { results: Classified[]; cancelled: boolean } & Truncation
    >;
    return { id, done };
  }

  /** Files exported from a view run (moved out of the worker, not copied). */
  export(
    runId: number,
    what: 'hidden-npy' | 'attentions-npy' | 'projector',
    layer: number,
  ): Promise<ExportFile[]> {
    return this.send({ type: 'export', runId, what, layer }) as Promise<ExportFile[]>;
  }

  /** A folder's ONNX files with sizes, or undefined when it cannot be listed. */
  list(model: ModelLocation): Promise<OnnxFileInfo[] | undefined> {
    return this.send({ type: 'list', model }) as Promise<OnnxFileInfo[] | undefined>;
  }

  cacheUsage(): Promise<CacheUsage> {
    return this.send({ type: 'cache-usage' }) as Promise<CacheUsage>;
  }

  clearCache(): Promise<void> {
    return this.send({ type: 'cache-clear' }) as Promise<void>;
  }

  debug(action: 'lose-device' | 'crash'): Promise<void> {
    return this.send({ type: 'debug', action }) as Promise<void>;
  }

  private attach(port: WorkerPort): WorkerPort {
    port.onmessage = ({ data }) => this.receive(data);
    port.onerror = (event) => {
      event.preventDefault?.();
      this.restart();
    };
    return port;
  }

  private send(body: Body, hooks: Partial<Pending> = {}): Promise<unknown> {
    const id = this.nextId++;
    const request = { ...body, id } as WorkerRequest;
    if (request.type === 'run' && request.want.lane === 'view') this.latestViewRun = id;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { request, resolve, reject, retried: false, ...hooks });
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
    this.pending.delete(event.id);
    const superseded =
      pending.request.type === 'run' &&
      pending.request.want.lane === 'view' &&
      event.id !== this.latestViewRun;
    switch (event.type) {
      case 'error':
        return pending.reject(new EngineFailure(event.error));
      case 'ready':
        return pending.resolve(event.info);
      case 'result':
        return pending.resolve(superseded ? null : event.run);
      case 'layers':
        return pending.resolve(event.hiddenStates);
      case 'cache-usage':
        return pending.resolve(event.usage);
      case 'listing':
        return pending.resolve(event.files);
      case 'files':
        return pending.resolve(event.files);
      case 'attention':
        return pending.resolve({ map: event.map, tokens: event.tokens });
      case 'thumbnails':
        return pending.resolve({ maps: event.maps, tokens: event.tokens });
      case 'attention-row':
        return pending.resolve({ scores: event.scores, probabilities: event.probabilities });
      case 'tensor':
        return pending.resolve(event.tensor);
      case 'projection':
      case 'compare':
      case 'lines-view':
        return pending.resolve(event.view);
      case 'alignment':
        return pending.resolve(event.alignment);
      case 'lines-done':
      case 'classified': {
        const { type: _type, id: _id, ...result } = event;
        return pending.resolve(result);
      }
      case 'cancelled':
      case 'done':
        return pending.resolve(event.type === 'done' ? undefined : null);
    }
  }
}
