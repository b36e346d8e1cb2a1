/**
 * The app's one zustand store, built from slices; actions sit beside their state. The engine controller
 * writes into it from outside React; components read narrow selectors.
 */
import { DEFAULT_OVERLAP } from '../engine/windows.ts';
import { UMAP_DEFAULTS, type UmapSettings } from '../engine/umapDefaults.ts';
import { useMemo } from 'react';
import { create } from 'zustand';
import {
  EXAMPLE_ENTITIES,
  EXAMPLE_REVIEWS,
  EXAMPLE_TO_CLASSIFY,
  EXAMPLE_TO_TAG,
} from '../shared/examples.ts';
import type { ManifestEntry, ModelChoice } from '../shared/models.ts';
import type { OnnxFileInfo } from '../engine/modelFiles.ts';
import type { PoolingRequest } from '../engine/sentenceModel.ts';
import type { BackendInfo, BackendRequest, DtypeRequest, FloatTensor } from '../engine/types.ts';
import type { Isolation } from '../offline/register.ts';
import type { CacheUsage } from '../worker/cachedSource.ts';
import type { Hidden, ModelInfo, RunView, WireError } from '../worker/protocol.ts';

/** idle → loading (progress per file) → warming → ready → running → ready | error */
export type Lifecycle = 'idle' | 'loading' | 'warming' | 'ready' | 'running' | 'error';

export interface ModelSlice {
  /** Model folders served with the site. */
  manifest: ManifestEntry[];
  choice?: ModelChoice;
  dtype: DtypeRequest;
  /** An ONNX file of the folder chosen by path (overrides dtype), e.g. `onnx/model_O2.onnx`. */
  modelFile?: string;
  backendRequest: BackendRequest;
  lifecycle: Lifecycle;
  progress: Record<string, { loaded: number; total?: number }>;
  info?: ModelInfo;
  /** The ONNX files of a folder loaded before (kept through a failed load of one of its files). */
  folderFiles?: { model: string; files: OnnxFileInfo[] };
  /** Which model is in use when nobody chose one, and why. */
  banner?: string;
  /** Something that happened to the backend (a lost GPU). */
  notice?: string;
  error?: WireError;
  cache?: CacheUsage;
}

export interface InputSlice {
  text: string;
  pair: string;
  pairEnabled: boolean;
  /** What a text longer than the model's maximum does: cut to it (the default), or run as overlapping windows. */
  longTexts: LongTexts;
  /** Pieces consecutive windows share. */
  overlap: number;
  setText(text: string): void;
  setPair(pair: string): void;
  setPairEnabled(on: boolean): void;
  setLongTexts(mode: LongTexts): void;
  setOverlap(overlap: number): void;
}

export type LongTexts = 'truncate' | 'windows';

export interface RunSlice {
  run?: Omit<RunView, 'hiddenStates' | 'attentions'>;
  /** Hidden states fetched for the current run, by layer. */
  hiddenStates: Record<number, FloatTensor>;
  /** The current run's factorized embeddings, fetched when asked to be shown. */
  factorized?: FloatTensor;
  runError?: WireError;
  backend?: BackendInfo;
}

/** The views below the token vector, one shown at a time (each draws only while it is shown). */
export type ViewName = 'embeddings' | 'attention' | 'projection';
export const VIEW_NAMES: ViewName[] = ['embeddings', 'attention', 'projection'];
export type Head = number | 'mean';
export type PcaMode = '2d' | '3d' | 'paths';
export const PCA_MODES: PcaMode[] = ['2d', '3d', 'paths'];
/** How vectors are laid out in the plane: PCA (exact, linear) or UMAP (neighbourhoods). */
export type ProjectionMethod = 'pca' | 'umap';
export const PROJECTION_METHODS: ProjectionMethod[] = ['pca', 'umap'];

export interface ViewSlice {
  layer: number;
  selectedToken: number;
  hoveredToken: number | null;
  view: ViewName;
  /** The attention head shown (or the mean over heads). */
  head: Head;
  /** Attention and projection without [CLS]/[SEP]. */
  hideSpecials: boolean;
  /** Pad the text to this many tokens as a batch would (0: no padding), to see what the attention mask does. */
  padTo: number;
  /** Leave the pads of a padded run out of the attention and projection views. */
  hidePadding: boolean;
  pcaMode: PcaMode;
  /** Texts projected with the main one, one per line. */
  compareTexts: string;
  /** The projection view's and the many-sentences panel's layout method, and UMAP's settings (one for both). */
  projectionMethod: ProjectionMethod;
  umap: UmapSettings;
  /** Layer 0 shows the 128-d factorized embedding instead of its 768-d projection. */
  showFactorized: boolean;
  /** The attention cell whose arithmetic is open (of run `runId`). */
  attentionCell?: { runId: number; query: number; key: number };
  setLayer(layer: number): void;
  selectToken(index: number): void;
  hoverToken(index: number | null): void;
  setView(view: ViewName): void;
  setHead(head: Head): void;
  setHideSpecials(on: boolean): void;
  setPadTo(length: number): void;
  setHidePadding(on: boolean): void;
  setPcaMode(mode: PcaMode): void;
  setCompareTexts(texts: string): void;
  setProjectionMethod(method: ProjectionMethod): void;
  setUmap(settings: UmapSettings): void;
  setShowFactorized(on: boolean): void;
  setAttentionCell(cell: { runId: number; query: number; key: number } | undefined): void;
}

/** What the page is for at the moment: looking inside one text, or one of the applications. */
export type Mode = 'inspect' | 'compare' | 'lines' | 'classify' | 'tag' | 'probe';
export const MODES: Mode[] = ['inspect', 'compare', 'lines', 'classify', 'tag', 'probe'];

/** Inputs of the applications; the texts survive a reload (local storage), the pair also lives in the URL. */
export interface ApplySlice {
  mode: Mode;
  compareA: string;
  compareB: string;
  /** `auto`: the model's own pooling when it has one (sentence-transformers files or its card), else mean. */
  pooling: PoolingRequest;
  /** Many sentences, one per line. */
  linesText: string;
  /** Few-shot examples as `label: text` lines, and the texts to classify, one per line. */
  examplesText: string;
  classifyText: string;
  neighboursK: number;
  setMode(mode: Mode): void;
  setCompareA(text: string): void;
  setCompareB(text: string): void;
  setPooling(pooling: PoolingRequest): void;
  setLinesText(text: string): void;
  setExamplesText(text: string): void;
  setClassifyText(text: string): void;
  setNeighboursK(k: number): void;
  /** Token tagging: example sentences with spans marked as `[Paris](LOC)`, and the text to tag. */
  tagExamplesText: string;
  tagText: string;
  setTagExamplesText(text: string): void;
  setTagText(text: string): void;
}

/** The site around the model: the page's isolation (WASM threads) and a new version waiting to be loaded. */
export interface SiteSlice {
  isolation?: Isolation;
  /** Set while a new version waits behind this one: switches to it and reloads the page. */
  applyUpdate?: () => void;
}

export type AppState = ModelSlice & InputSlice & RunSlice & ViewSlice & ApplySlice & SiteSlice;

export const initialState = {
  dtype: 'auto' as DtypeRequest,
  backendRequest: 'auto' as BackendRequest,
  lifecycle: 'idle' as Lifecycle,
  progress: {},
  manifest: [] as ManifestEntry[],
  text: '',
  pair: '',
  pairEnabled: false,
  longTexts: 'truncate' as LongTexts,
  overlap: DEFAULT_OVERLAP,
  hiddenStates: {},
  layer: 0,
  selectedToken: 0,
  hoveredToken: null,
  view: 'embeddings' as ViewName,
  head: 'mean' as Head,
  hideSpecials: false,
  padTo: 0,
  hidePadding: true,
  pcaMode: '2d' as PcaMode,
  compareTexts: '',
  projectionMethod: 'pca' as ProjectionMethod,
  umap: { ...UMAP_DEFAULTS } as UmapSettings,
  showFactorized: false,
  mode: 'inspect' as Mode,
  compareA: 'A man is playing a guitar.',
  compareB: 'Someone is playing an instrument.',
  pooling: 'auto' as PoolingRequest,
  linesText: '',
  examplesText: EXAMPLE_REVIEWS,
  classifyText: EXAMPLE_TO_CLASSIFY,
  neighboursK: 3,
  tagExamplesText: EXAMPLE_ENTITIES,
  tagText: EXAMPLE_TO_TAG,
};

export const useStore = create<AppState>()((set) => ({
  ...initialState,
  setText: (text) => set({ text }),
  setPair: (pair) => set({ pair }),
  setPairEnabled: (pairEnabled) => set({ pairEnabled }),
  setLongTexts: (longTexts) => set({ longTexts }),
  setOverlap: (overlap) => set({ overlap }),
  setLayer: (layer) => set({ layer }),
  selectToken: (selectedToken) => set({ selectedToken }),
  hoverToken: (hoveredToken) => set({ hoveredToken }),
  setView: (view) => set({ view }),
  setHead: (head) => set({ head }),
  setHideSpecials: (hideSpecials) => set({ hideSpecials }),
  setPadTo: (padTo) => set({ padTo }),
  setHidePadding: (hidePadding) => set({ hidePadding }),
  setPcaMode: (pcaMode) => set({ pcaMode }),
  setCompareTexts: (compareTexts) => set({ compareTexts }),
  setProjectionMethod: (projectionMethod) => set({ projectionMethod }),
  setUmap: (umap) => set({ umap }),
  setShowFactorized: (showFactorized) => set({ showFactorized }),
  setAttentionCell: (attentionCell) => set({ attentionCell }),
  setMode: (mode) => set({ mode }),
  setCompareA: (compareA) => set({ compareA }),
  setCompareB: (compareB) => set({ compareB }),
  setPooling: (pooling) => set({ pooling }),
  setLinesText: (linesText) => set({ linesText }),
  setExamplesText: (examplesText) => set({ examplesText }),
  setClassifyText: (classifyText) => set({ classifyText }),
  setNeighboursK: (neighboursK) => set({ neighboursK }),
  setTagExamplesText: (tagExamplesText) => set({ tagExamplesText }),
  setTagText: (tagText) => set({ tagText }),
}));

/**
 * The token vectors the selected layer shows: its hidden states, or at layer 0 the factorized embeddings when
 * asked for (undefined while they are being fetched).
 */
export const shownVectors = (s: AppState): FloatTensor | undefined =>
  s.layer === 0 && s.showFactorized ? s.factorized : s.hiddenStates[s.layer];

/** The tokens the attention and projection views leave out, as one stable object. */
export function useHidden(): Hidden {
  const specials = useStore((s) => s.hideSpecials);
  const padding = useStore((s) => s.hidePadding);
  return useMemo(() => ({ specials, padding }), [specials, padding]);
}

/** Back to a fresh store (tests). */
export function resetStore(): void {
  useStore.setState({
    ...initialState,
    choice: undefined,
    modelFile: undefined,
    folderFiles: undefined,
    info: undefined,
    run: undefined,
    factorized: undefined,
    error: undefined,
    banner: undefined,
    notice: undefined,
    runError: undefined,
    cache: undefined,
    backend: undefined,
    isolation: undefined,
    applyUpdate: undefined,
  });
}
