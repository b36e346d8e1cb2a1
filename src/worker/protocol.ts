/**
 * Every message between the page and the engine worker, as discriminated unions. Each request carries an id;
 * each event names the request it answers (unsolicited events use id 0). Errors travel as values with a
 * message a person can read. Only what a view needs crosses: a run sends the hidden states it was asked for,
 * and the worker keeps the whole run so other layers can be fetched without running the model again.
 */
import type { PickedFile } from '../engine/blobSource.ts';
import type { ExportFile } from '../engine/export/runFiles.ts';
import type { EngineErrorCode } from '../engine/errors.ts';
import type { MaskPrediction } from '../engine/fillMask.ts';
import type { Encoding } from '../engine/tokenizer.ts';
import type { WindowSummary } from '../engine/windows.ts';
import type { Pooling } from '../engine/pooling.ts';
import type { PoolingRequest } from '../engine/sentenceModel.ts';
import type { Projection } from '../engine/projection.ts';
import type { Classified } from '../engine/sentences.ts';
import type { Alignment } from '../engine/similarity.ts';
import type { ProbeResult } from '../engine/probe.ts';
import type { TaggedExample, TokenTagging } from '../engine/tagging.ts';
import type { Span } from '../engine/offsets.ts';
import type { UmapProgress, UmapResult } from '../engine/umap.ts';
import type { LoadedModel } from '../engine/albert.ts';
import type { OnnxFileInfo } from '../engine/modelFiles.ts';
import type { Precision } from '../engine/onnx/precision.ts';
import type { ParameterCounts } from '../engine/parameters.ts';
import type { BackendInfo, BackendRequest, DtypeRequest, FloatTensor, Timings } from '../engine/types.ts';
import type { ListedFile } from '../engine/modelSource.ts';
import type { CacheUsage } from './cachedSource.ts';

export type { MaskPrediction } from '../engine/fillMask.ts';

/** Where the model folder is: a URL (site path or http(s)), a hub repo, or files picked from disk. */
export type ModelLocation =
  /** `listing`: the folder's files as the site's manifest states them (hashes included), so none is probed. */
  | { kind: 'url'; url: string; listing?: ListedFile[] }
  | { kind: 'hub'; repo: string; endpoint: string }
  | { kind: 'files'; name: string; files: PickedFile[] };

/** What an export writes: every hidden state or attention map (.npy), the Projector pair, or what is shown. */
export type ExportKind = 'hidden-npy' | 'attentions-npy' | 'projector' | 'shown-json';

/** What the page shows, for the "what is shown" export (the worker holds the numbers). */
export interface ShownRequest {
  view: 'embeddings' | 'attention' | 'projection';
  /** The page's layer, 0..L. */
  layer: number;
  selectedToken: number;
  /** Layer 0 shows the factorized embedding instead of the hidden state. */
  factorized: boolean;
  /** The attention view's map (layer ≥ 1), and the clicked cell when its arithmetic is open. */
  attention?: { head: number | 'mean'; hide: Hidden; cell?: { query: number; key: number } };
  /** The projection view's plot. */
  projection?: { mode: '2d' | '3d' | 'paths'; compare: string[]; hide: Hidden };
}

/** Tokens a view leaves out: [CLS]/[SEP] (rows renormalized), and pads of a padded run. */
export interface Hidden {
  specials: boolean;
  padding: boolean;
}

/** What a run should send back. `view` runs replace each other (the latest wins); `api` runs never do. */
export interface RunWant {
  /** Hidden-state indices (0..L) to send, or all. */
  layers: number[] | 'all';
  attentions: boolean;
  lane: 'view' | 'api';
  /** Pad the input to this many tokens, as a batch would (view runs: to see what the mask does). */
  padTo?: number;
  /**
   * Run a text longer than the model's maximum as overlapping windows sharing `overlap` pieces, stitched
   * (see engine/windows.ts), instead of truncating it. A pair is always truncated.
   */
  windows?: { overlap: number };
}

export type WorkerRequest =
  | {
      type: 'load';
      id: number;
      model: ModelLocation;
      backend: BackendRequest;
      dtype: DtypeRequest;
      modelFile?: string;
    }
  | { type: 'run'; id: number; text: string; pair?: string; want: RunWant }
  | { type: 'layers'; id: number; runId: number; layers: number[] }
  /** The ONNX files a model folder holds (before loading it, for the weights menu). */
  | { type: 'list'; id: number; model: ModelLocation }
  | { type: 'cache-usage'; id: number }
  | { type: 'cache-clear'; id: number }
  /** One attention map of the latest view run: a head or the mean over heads, optionally without specials. */
  | {
      type: 'attention';
      id: number;
      runId: number;
      layer: number;
      head: number | 'mean';
      hide: Hidden;
    }
  /** Every head of some layers, each shrunk to at most size × size: the small multiples and the overview. */
  | {
      type: 'attention-thumbnails';
      id: number;
      runId: number;
      layers: number[];
      size: number;
      hide: Hidden;
    }
  /** One query's row at one head, pre-softmax scores and probabilities (the worker keeps scores until released). */
  | { type: 'attention-row'; id: number; runId: number; layer: number; head: number; query: number }
  | { type: 'release-scores'; id: number }
  /** The 128-d factorized embeddings (before embedding_hidden_mapping_in) of the latest view run. */
  | { type: 'factorized'; id: number; runId: number }
  | ProjectionRequest
  /** Two texts, each run on its own and as a pair: similarity per layer and pooling, cross-segment attention. */
  | { type: 'compare'; id: number; a: string; b: string }
  /** Token alignment of the latest comparison at one layer. */
  | { type: 'alignment'; id: number; compareId: number; layer: number }
  /** Pooled vectors of many lines, in batches, kept in the worker; progress (and partial views) as they come. */
  | {
      type: 'embed-lines';
      id: number;
      lines: string[];
      pooling: PoolingRequest;
      batchSize: number;
      /** The layer partial views are drawn at while the lines run. */
      layer: number;
    }
  /** Stops a running embed-lines, classify, tag or umap request, or a load's downloads (handled at once, not queued). */
  | { type: 'cancel'; id: number; target: number }
  /** The kept lines at one layer: similarity matrix and its cluster order, neighbours, PCA, and a query's ranking. */
  | { type: 'lines-view'; id: number; setId: number; layer: number; query?: string }
  /** The kept lines' pooled vectors at one layer, [lines, hidden]. */
  | { type: 'lines-vectors'; id: number; setId: number; layer: number }
  /** Few-shot classification of texts from labelled examples, on pooled vectors at one layer. */
  | {
      type: 'classify';
      id: number;
      examples: { label: string; text: string }[];
      texts: string[];
      pooling: PoolingRequest;
      layer: number;
      k: number;
    }
  /** The latest classification scored again from its kept vectors (no new run). */
  | { type: 'classify-view'; id: number; setId: number; layer: number; k: number; pooling: PoolingRequest }
  /** Few-shot token tagging: the examples and the text run once (every layer kept), tagged at one layer. */
  | { type: 'tag'; id: number; examples: TaggedExample[]; text: string; layer: number; k: number }
  /** The latest tagging again at another layer or k, from its kept vectors (no new run). */
  | { type: 'tag-view'; id: number; setId: number; layer: number; k: number }
  /** A probe at every hidden state: how well a linear classifier reads the examples' labels there. */
  | { type: 'probe'; id: number; probe: ProbeTask }
  /** A UMAP layout of token vectors, kept sentence vectors or vectors sent along; progress as epochs run. */
  | UmapRequest
  /** Files of the latest view run: all hidden states or all attention maps as .npy, or the Projector pair. */
  | {
      type: 'export';
      id: number;
      runId: number;
      what: ExportKind;
      layer: number;
      /** For 'shown-json': what the page shows, which the worker writes with its own numbers. */
      shown?: ShownRequest;
    }
  /** Test hooks: destroy the WebGPU device; crash the worker. */
  | { type: 'debug'; id: number; action: 'lose-device' | 'crash' };

/** PCA of the latest view run's token vectors, with other texts (run and kept in the worker) on the same axes. */
export interface ProjectionRequest {
  type: 'projection';
  id: number;
  runId: number;
  /** `layer`: the vectors at one layer; `paths`: one basis over all layers, every token's trajectory. */
  mode: 'layer' | 'paths';
  layer: number;
  k: 2 | 3;
  /** Texts to project with the main one, one group each. */
  compare: string[];
  hide: Hidden;
}

/** The points of a projection: coordinates, a label and a group per point (repeated per layer for paths). */
export interface ProjectionView {
  projection: Projection;
  labels: string[];
  groups: number[];
  groupNames: string[];
  /** How many layers the scores cover (1, or L+1 for paths). */
  layers: number;
}

/** Where a UMAP's points come from. */
export type UmapSource =
  /** The latest view run's tokens at one layer, with compared texts (as the PCA view has them). */
  | { kind: 'tokens'; runId: number; layer: number; compare: string[]; hide: Hidden }
  /** A kept many-sentences set's vectors at one layer (setId: its embed-lines request). */
  | { kind: 'lines'; setId: number; layer: number }
  /** Vectors the page already has, [points, width]. */
  | { kind: 'vectors'; vectors: FloatTensor };

export interface UmapRequest {
  type: 'umap';
  id: number;
  source: UmapSource;
  /** Neighbourhood size (clamped to points − 1), min-dist (0..1) and seed, as umap-learn names them. */
  neighbours: number;
  minDist: number;
  seed: number;
  k: 2 | 3;
}

/** Points with their vectors, labels and groups, before a layout. */
export interface PointVectors {
  vectors: FloatTensor;
  labels: string[];
  groups: number[];
  groupNames: string[];
}

/**
 * A UMAP layout as the projection charts take it (`projection.scores`: float32 coordinates, no explained
 * variance), with the exact float64 layout and what it ran with in `umap`. A cancelled one holds the layout
 * after the epochs that ran.
 */
export interface UmapView extends ProjectionView {
  umap: UmapResult;
  cancelled: boolean;
}

/** Two texts compared: their tokens, the cosine of their pooled vectors at every layer for every pooling. */
export interface CompareView {
  compareId: number;
  a: { tokens: string[]; special: boolean[] };
  b: { tokens: string[]; special: boolean[] };
  /** cos(pool(A), pool(B)) per pooling, layers 0..L. */
  perLayer: Record<Pooling, number[]>;
  /** Set when A or B was cut to this many tokens (the model's trained maximum, for sentence models). */
  truncatedTo?: number;
  /**
   * The pair run ([CLS] A [SEP] B [SEP]): per layer and head, the attention A's queries give B and back.
   * Absent when the file fuses attention (ModelInfo.attentionUnavailable says why).
   */
  pair?: { tokens: string[]; aToB: FloatTensor; bToA: FloatTensor; truncated: boolean };
}

/** Many lines at one layer. Indices refer to the lines as sent (empty lines excluded by the page). */
export interface LinesView {
  count: number;
  layer: number;
  /** [count × count] cosines, in the lines' own order. */
  matrix: FloatTensor;
  /** Lines in cluster order (identity while lines are still running). */
  order: number[];
  neighbours: number[][];
  projection: Projection;
  /** The lines ranked by a query, best first, when one was given. */
  ranking?: { index: number; cosine: number }[];
}

/** What a probe learns: sentence labels from pooled vectors, or token tags from token vectors. */
export type ProbeTask =
  | { task: 'sentence'; examples: { label: string; text: string }[]; pooling: PoolingRequest }
  | { task: 'token'; examples: TaggedExample[] };

/** A text's tokens tagged from the examples at one layer, with what each tag came from. */
export interface TagView extends TokenTagging {
  /** The tagging's id (its `tag` request's), for `tag-view`. */
  setId: number;
  layer: number;
  k: number;
  tokens: string[];
  special: boolean[];
  /** Each token's span in the text (null for specials). */
  offsets: Span[];
  truncated: boolean;
  /** The examples' tagged tokens, which `scores[i].neighbours[j].reference` indexes. */
  references: { sentence: number; token: number; piece: string; label: string }[];
}

/** Lines one embed-lines request may hold (each keeps L+1 pooled vectors: 2,000 × 13 × 768 floats is 80 MB). */
export const MAX_LINES = 2000;

/** How many texts of a job were cut to `maxLength` tokens (the model's trained maximum for sentence models). */
export interface Truncation {
  truncated: number;
  maxLength: number;
}

export interface LinesProgress {
  done: number;
  total: number;
  linesPerSecond: number;
}

/** The loaded model as the page sees it: what was loaded (LoadedModel, its `file` as `modelFile`) and its shape. */
export interface ModelInfo extends Omit<LoadedModel, 'file'> {
  model: string;
  modelFile: string;
  layers: number;
  heads: number;
  hiddenSize: number;
  embeddingSize: number;
  vocabSize: number;
  maxLength: number;
  hasLogits: boolean;
  randomWeights: boolean;
  /** Its parameters part by part, from its config, beside an unshared BERT of its shape. */
  parameters: ParameterCounts;
  /** Why the hub's files were not kept for offline use (the browser's storage is full), when they were not. */
  notCached?: string;
  /** What the file's weights and activations are, read from its graph. */
  precision: Precision;
  backend: BackendInfo;
  timings: Timings;
}

/** A run as the page sees it: the tokenization plus the tensors asked for. */
export interface RunView extends Encoding {
  runId: number;
  text: string;
  pair?: string;
  /** Hidden states by index (0..L), only those asked for. */
  hiddenStates: Record<number, FloatTensor>;
  /** Attention maps by layer (0..L-1), only when asked for. */
  attentions?: FloatTensor[];
  /** [tokens, L] cosine of each token's vector between consecutive layers (view runs). */
  layerCosines?: FloatTensor;
  /** Top pieces at each [MASK] (view runs of a fill-mask export); the logits stay in the worker. */
  predictions?: MaskPrediction[];
  /** The attention maps stayed in the GPU's memory, to be copied out only when a view shows them (WebGPU). */
  mapsOnDevice?: true;
  /** How the text ran as windows, when asked to; the run then has every token and no attention maps. */
  windows?: WindowSummary;
  /** [L+1, hidden]: per hidden state, the mean over windows of each window's mean-pooled vector. */
  documentVectors?: FloatTensor;
  backend: BackendInfo;
  timings: Timings;
}

export interface WireError {
  code: EngineErrorCode | 'internal' | 'crashed';
  message: string;
  file?: string;
}

/**
 * What each request resolves to on the page: the one map that ties a request to its reply (the client's methods
 * and the worker's answers are both checked against it). Every typed array in a reply moves to the page (see
 * serve.ts), so the worker answers with memory it does not keep.
 */
export interface Replies {
  load: ModelInfo;
  /** null: a newer view run superseded it. */
  run: RunView | null;
  /** null: the worker no longer holds that run. */
  layers: Record<number, FloatTensor> | null;
  /** Absent when the folder cannot be listed. */
  list: OnnxFileInfo[] | undefined;
  'cache-usage': CacheUsage;
  'cache-clear': void;
  attention: { map: FloatTensor; tokens: number[] };
  'attention-thumbnails': { maps: FloatTensor; tokens: number[] };
  'attention-row': { scores: Float32Array; probabilities: Float32Array };
  'release-scores': void;
  factorized: FloatTensor;
  projection: ProjectionView;
  compare: CompareView;
  alignment: Alignment;
  'embed-lines': { count: number; cancelled: boolean } & Truncation;
  'lines-view': LinesView;
  'lines-vectors': FloatTensor;
  classify: { results: Classified[]; cancelled: boolean } & Truncation;
  'classify-view': Classified[];
  /** `view` is absent when the tagging was cancelled. */
  tag: { view?: TagView; cancelled: boolean };
  'tag-view': TagView;
  /** `result` is absent when the probe was cancelled. */
  probe: { result?: ProbeResult; cancelled: boolean };
  umap: UmapView;
  cancel: void;
  export: ExportFile[];
  debug: void;
}

export type RequestType = WorkerRequest['type'];

/** A request of one type. */
export type RequestOf<T extends RequestType> = Extract<WorkerRequest, { type: T }>;

export type WorkerEvent =
  | { type: 'progress'; id: number; file: string; loaded: number; total?: number }
  | { type: 'warming'; id: number }
  /** Progress of embed-lines, classify, tag or probe, with a partial view of the lines so far now and then. */
  | { type: 'lines-progress'; id: number; progress: LinesProgress; partial?: LinesView }
  /** Epochs of a umap request so far. */
  | { type: 'umap-progress'; id: number; progress: UmapProgress }
  /** The answer to request `id` (its type's entry in Replies). */
  | { type: 'reply'; id: number; value: Replies[RequestType] }
  /** Unsolicited: the backend changed under a loaded model (the GPU was lost); `info` is the new state. */
  | { type: 'backend-changed'; id: 0; info: ModelInfo; notice: string }
  | { type: 'error'; id: number; error: WireError };

/** The part of a Worker (or a fake) the two sides use. */
export interface Port<Out, In> {
  postMessage(message: Out, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<In>) => void) | null;
}

/** The page's handle on a worker: a port that can also crash and be terminated. */
export interface WorkerPort extends Port<WorkerRequest, WorkerEvent> {
  onerror: ((event: ErrorEvent | Event) => void) | null;
  terminate(): void;
}
