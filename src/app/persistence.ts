/**
 * What survives a reload and what a link carries: the text lives in local storage and in the URL
 * (`?model=…&file=…&backend=…&dtype=…&text=…&pair=…&layer=…&view=…&head=…&pca=…&method=…&umap=…&compare=…&pad=…`
 * `&windows=…`), so a copied link reopens the same picture.
 */
import { isDtypeRequest, type DtypeRequest } from '../engine/dtypes.ts';
import type { PoolingRequest } from '../engine/sentenceModel.ts';
import { BROWSER_BACKEND_REQUESTS, type BackendRequest } from '../engine/types.ts';
import { POOLINGS } from '../engine/similarity.ts';
import { UMAP_DEFAULTS, UMAP_VALID, type UmapSettings } from '../engine/umapDefaults.ts';
import {
  MODES,
  PCA_MODES,
  PROJECTION_METHODS,
  VIEW_NAMES,
  type Head,
  type Mode,
  type PcaMode,
  type ProjectionMethod,
  type ViewName,
} from '../state/store.ts';

export interface UrlState {
  model?: string;
  /** An ONNX file of the folder chosen by path (one that is not a dtype's file, e.g. `onnx/model_O2.onnx`). */
  file?: string;
  backend?: BackendRequest;
  dtype?: DtypeRequest;
  text?: string;
  pair?: string;
  layer?: number;
  view?: ViewName;
  head?: Head;
  pca?: PcaMode;
  method?: ProjectionMethod;
  /** UMAP's settings, as `umap=neighbours,minDist,seed`. */
  umap?: UmapSettings;
  /** Compared texts, one per line. */
  compare?: string;
  /** Pad the text to this many tokens. */
  pad?: number;
  /** Run long texts as windows sharing this many pieces (absent: truncate them). */
  windows?: number;
  mode?: Mode;
  /** The two texts of compare mode. */
  a?: string;
  b?: string;
  pooling?: PoolingRequest;
}

export function readUrlState(search: string): UrlState {
  const p = new URLSearchParams(search);
  const state: UrlState = {};
  const model = p.get('model');
  if (model) state.model = model;
  const backend = BROWSER_BACKEND_REQUESTS.find((b) => b === p.get('backend'));
  if (backend) state.backend = backend;
  const dtype = p.get('dtype');
  if (dtype && isDtypeRequest(dtype)) state.dtype = dtype;
  const file = p.get('file');
  if (file && /^[\w./-]+\.onnx$/.test(file) && !file.includes('..')) state.file = file;
  if (p.has('text')) state.text = p.get('text')!;
  if (p.has('pair')) state.pair = p.get('pair')!;
  const layer = Number(p.get('layer'));
  if (p.has('layer') && Number.isInteger(layer) && layer >= 0) state.layer = layer;
  const view = p.get('view') as ViewName | null;
  if (view && VIEW_NAMES.includes(view)) state.view = view;
  const head = p.get('head');
  if (head === 'mean') state.head = 'mean';
  else if (head !== null && /^\d+$/.test(head)) state.head = Number(head);
  const pcaMode = p.get('pca') as PcaMode | null;
  if (pcaMode && PCA_MODES.includes(pcaMode)) state.pca = pcaMode;
  const method = p.get('method') as ProjectionMethod | null;
  if (method && PROJECTION_METHODS.includes(method)) state.method = method;
  const umap = readUmap(p.get('umap'));
  if (umap) state.umap = umap;
  if (p.has('compare')) state.compare = p.get('compare')!;
  const pad = Number(p.get('pad'));
  if (Number.isInteger(pad) && pad > 0) state.pad = pad;
  const windows = p.get('windows');
  if (windows !== null && /^\d+$/.test(windows)) state.windows = Number(windows);
  const mode = p.get('mode') as Mode | null;
  if (mode && MODES.includes(mode)) state.mode = mode;
  if (p.has('a')) state.a = p.get('a')!;
  if (p.has('b')) state.b = p.get('b')!;
  const pooling = p.get('pooling') as PoolingRequest | null;
  if (pooling && (pooling === 'auto' || POOLINGS.includes(pooling))) state.pooling = pooling;
  return state;
}

/** The order of UMAP's settings in `umap=…`. */
const UMAP_KEYS = ['neighbours', 'minDist', 'seed'] as const;

/** `umap=15,0.1,42` as settings; undefined unless all three are there and valid. */
function readUmap(value: string | null): UmapSettings | undefined {
  const parts = value?.split(',') ?? [];
  if (parts.length !== UMAP_KEYS.length || parts.some((v) => v.trim() === '')) return undefined;
  const [neighbours, minDist, seed] = parts.map(Number) as [number, number, number];
  const settings = { neighbours, minDist, seed };
  return UMAP_KEYS.every((k) => UMAP_VALID[k](settings[k])) ? settings : undefined;
}

/**
 * The longest query a link carries. Servers refuse longer request lines (nginx's default buffer is 8 KB, Node's
 * whole header limit 16 KB): a page reloaded with a pasted megabyte in its URL would be an error page.
 */
export const MAX_QUERY = 8000;
/** The free texts a link may leave out when it would be too long: the text and pair survive in local storage. */
const LONG_TEXTS = ['text', 'pair', 'compare', 'a', 'b'] as const;

/** The query string for a state; defaults are left out to keep links short, the longest texts when too long. */
export function writeUrlState(state: UrlState): string {
  const p = new URLSearchParams();
  if (state.model) p.set('model', state.model);
  if (state.backend && state.backend !== 'auto') p.set('backend', state.backend);
  if (state.file) p.set('file', state.file);
  else if (state.dtype && state.dtype !== 'auto') p.set('dtype', state.dtype);
  if (state.text) p.set('text', state.text);
  if (state.pair) p.set('pair', state.pair);
  if (state.layer !== undefined) p.set('layer', String(state.layer));
  if (state.view && state.view !== 'embeddings') p.set('view', state.view);
  if (state.head !== undefined && state.head !== 'mean') p.set('head', String(state.head));
  if (state.pca && state.pca !== '2d') p.set('pca', state.pca);
  if (state.method && state.method !== 'pca') p.set('method', state.method);
  if (state.umap && UMAP_KEYS.some((k) => state.umap![k] !== UMAP_DEFAULTS[k]))
    p.set('umap', UMAP_KEYS.map((k) => state.umap![k]).join(','));
  if (state.compare) p.set('compare', state.compare);
  if (state.pad) p.set('pad', String(state.pad));
  if (state.windows !== undefined) p.set('windows', String(state.windows));
  if (state.mode && state.mode !== 'inspect') p.set('mode', state.mode);
  if (state.a !== undefined) p.set('a', state.a);
  if (state.b !== undefined) p.set('b', state.b);
  if (state.pooling && state.pooling !== 'auto') p.set('pooling', state.pooling);
  while (p.toString().length > MAX_QUERY) {
    const longest = LONG_TEXTS.filter((k) => p.has(k)).toSorted(
      (x, y) => p.get(y)!.length - p.get(x)!.length,
    )[0];
    if (!longest) break;
    p.delete(longest);
  }
  const query = p.toString();
  return query ? `?${query}` : '';
}

export interface SavedInput {
  text: string;
  pair: string;
  pairEnabled: boolean;
}

export const STORAGE_KEY = 'albert-playground:input:v1';
export const APPLY_STORAGE_KEY = 'albert-playground:apply:v1';

/** The applications' longer texts, kept across reloads (too long for a URL): the store's fields of those names. */
export const APPLY_TEXTS = [
  'linesText',
  'examplesText',
  'classifyText',
  'tagExamplesText',
  'tagText',
] as const;

export type SavedApplyInput = Record<(typeof APPLY_TEXTS)[number], string>;

export function loadSavedApplyInput(storage: Storage | undefined): Partial<SavedApplyInput> {
  try {
    const value = JSON.parse(storage?.getItem(APPLY_STORAGE_KEY) ?? '{}') as Record<string, unknown>;
    return Object.fromEntries(
      APPLY_TEXTS.flatMap((k) => (typeof value[k] === 'string' ? [[k, value[k]]] : [])),
    );
  } catch {
    return {};
  }
}

export function saveApplyInput(storage: Storage | undefined, input: SavedApplyInput): void {
  try {
    storage?.setItem(APPLY_STORAGE_KEY, JSON.stringify(input));
  } catch {
    // Storage full or disabled: the inputs stay on screen.
  }
}

export function loadSavedInput(storage: Storage | undefined): SavedInput | undefined {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const value = JSON.parse(raw) as Partial<SavedInput>;
    if (typeof value.text !== 'string') return undefined;
    return {
      text: value.text,
      pair: typeof value.pair === 'string' ? value.pair : '',
      pairEnabled: value.pairEnabled === true,
    };
  } catch {
    return undefined;
  }
}

export function saveInput(storage: Storage | undefined, input: SavedInput): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(input));
  } catch {
    // Storage full or disabled: the URL still carries the text.
  }
}
