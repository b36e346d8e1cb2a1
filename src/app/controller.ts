/**
 * Wires the engine worker to the store, from outside React: loads models (following the default plan when
 * nobody chose one), runs the text as it changes (debounced; the latest run wins), fetches the hidden states
 * the selected layer needs, and keeps the URL and local storage in step with what is on screen.
 */
import type { BackendRequest, DtypeRequest } from '../engine/types.ts';
import {
  choiceFromParam,
  choiceIdentity,
  withListing,
  type ManifestEntry,
  type ModelChoice,
} from '../shared/models.ts';
import { useStore, type AppState } from '../state/store.ts';
import type { EngineClient } from '../worker/client.ts';
import { EngineFailure } from '../worker/client.ts';
import type { ModelInfo, WireError } from '../worker/protocol.ts';
import { defaultModelPlan, type DefaultPlan } from './models.ts';
import {
  APPLY_TEXTS,
  loadSavedApplyInput,
  loadSavedInput,
  readUrlState,
  saveApplyInput,
  saveInput,
  writeUrlState,
  type SavedApplyInput,
} from './persistence.ts';

export const SAMPLE_TEXT = 'The quick brown fox jumps over the lazy dog.';
/** The performance mark set when the first run's result is in the store (read by the benchmarks). */
export const FIRST_RESULT = 'albert:first-result';
const RUN_DELAY_MS = 250;
/** What the page says after the user stopped a load (the worker dropped the previous model when it began). */
export const LOAD_CANCELLED = 'Loading cancelled: no model is loaded. Choose one above to load it.';

export interface ControllerEnv {
  location: Pick<Location, 'search' | 'pathname'>;
  history?: Pick<History, 'replaceState'>;
  storage?: Storage;
  online: boolean;
  manifest: () => Promise<ManifestEntry[]>;
}

/** The applications' texts of a state, as local storage keeps them. */
const applyTexts = (state: AppState): SavedApplyInput =>
  Object.fromEntries(APPLY_TEXTS.map((k) => [k, state[k]])) as SavedApplyInput;

const wire = (error: unknown): WireError =>
  error instanceof EngineFailure ? error.wire : { code: 'internal', message: (error as Error).message };

export class Controller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loadGeneration = 0;
  private readyWaiters: { resolve(): void; reject(e: Error): void }[] = [];

  constructor(
    readonly client: EngineClient,
    private readonly env: ControllerEnv,
  ) {}

  /** Reads the URL and saved input, loads the model, and starts following the store. */
  async start(): Promise<void> {
    const url = readUrlState(this.env.location.search);
    const saved = loadSavedInput(this.env.storage);
    const savedApply = loadSavedApplyInput(this.env.storage);
    useStore.setState({
      text: url.text ?? saved?.text ?? SAMPLE_TEXT,
      pair: url.pair ?? saved?.pair ?? '',
      pairEnabled: url.pair !== undefined ? url.pair.length > 0 : (saved?.pairEnabled ?? false),
      backendRequest: url.backend ?? 'auto',
      dtype: url.dtype ?? 'auto',
      ...(url.file ? { modelFile: url.file } : {}),
      ...(url.layer !== undefined ? { layer: url.layer } : {}),
      ...(url.view ? { view: url.view } : {}),
      ...(url.head !== undefined ? { head: url.head } : {}),
      ...(url.pca ? { pcaMode: url.pca } : {}),
      ...(url.method ? { projectionMethod: url.method } : {}),
      ...(url.umap ? { umap: url.umap } : {}),
      ...(url.compare !== undefined ? { compareTexts: url.compare } : {}),
      ...(url.pad ? { padTo: url.pad } : {}),
      ...(url.windows !== undefined ? { longTexts: 'windows' as const, overlap: url.windows } : {}),
      ...(url.mode ? { mode: url.mode } : {}),
      ...(url.a !== undefined ? { compareA: url.a } : {}),
      ...(url.b !== undefined ? { compareB: url.b } : {}),
      ...(url.pooling ? { pooling: url.pooling } : {}),
      ...savedApply,
    });
    useStore.subscribe((state, prev) => {
      if (state.text !== prev.text || state.pair !== prev.pair || state.pairEnabled !== prev.pairEnabled) {
        saveInput(this.env.storage, { text: state.text, pair: state.pair, pairEnabled: state.pairEnabled });
        this.scheduleRun();
      }
      if (state.padTo !== prev.padTo) void this.runNow();
      if (state.longTexts !== prev.longTexts || state.overlap !== prev.overlap) this.scheduleRun();
      if (APPLY_TEXTS.some((k) => state[k] !== prev[k])) saveApplyInput(this.env.storage, applyTexts(state));
      if (state.layer !== prev.layer) void this.ensureLayer(state.layer);
      if (state.showFactorized !== prev.showFactorized || state.layer !== prev.layer)
        void this.ensureFactorized();
      this.syncUrl();
    });
    useStore.setState({ manifest: await this.env.manifest().catch(() => []) });
    void this.refreshCache();
    if (url.model) await this.load(choiceFromParam(url.model));
    else await this.loadDefault();
  }

  /** Resolves when the current model is ready (at once if it is); rejects at once if it failed to load. */
  ready(): Promise<void> {
    const { lifecycle, error, info } = useStore.getState();
    if (info && lifecycle !== 'loading' && lifecycle !== 'warming') return Promise.resolve();
    if (lifecycle === 'error' && error) return Promise.reject(new EngineFailure(error));
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  async loadDefault(): Promise<void> {
    const manifest = useStore.getState().manifest;
    const plan: DefaultPlan = defaultModelPlan(manifest, this.env.online);
    useStore.setState({ banner: plan.banner });
    const ok = await this.load(plan.choice, { keepBanner: true });
    // A load the user cancelled is not a failure to recover from.
    if (!ok && plan.fallback && useStore.getState().lifecycle === 'error') {
      const reason = useStore.getState().error?.message ?? 'unknown error';
      useStore.setState({ banner: plan.fallback.banner(reason) });
      await this.load(plan.fallback.choice, { keepBanner: true });
    }
  }

  /**
   * Loads a model; resolves false (with the error in the store) when it fails. A new dtype drops a file chosen
   * by path; another folder starts from `auto` with no file (it has other files), unless a dtype is given.
   */
  async load(
    choice: ModelChoice,
    options: {
      dtype?: DtypeRequest;
      modelFile?: string;
      backend?: BackendRequest;
      keepBanner?: boolean;
    } = {},
  ): Promise<boolean> {
    const generation = ++this.loadGeneration;
    const state = useStore.getState();
    // A load still downloading would hold the worker until it ends: the new one stops it.
    if (state.lifecycle === 'loading') this.cancelLoad();
    // The first load keeps the URL's dtype and file.
    const otherModel = state.choice !== undefined && choiceIdentity(state.choice) !== choiceIdentity(choice);
    const dtype = options.dtype ?? (otherModel ? 'auto' : state.dtype);
    const modelFile = options.modelFile ?? (options.dtype || otherModel ? undefined : state.modelFile);
    const backendRequest = options.backend ?? state.backendRequest;
    useStore.setState({
      choice,
      dtype,
      modelFile,
      backendRequest,
      lifecycle: 'loading',
      progress: {},
      error: undefined,
      notice: undefined,
      run: undefined,
      hiddenStates: {},
      factorized: undefined,
      runError: undefined,
      ...(options.keepBanner ? {} : { banner: undefined }),
    });
    this.syncUrl();
    const location = withListing(choice.location, state.manifest);
    // What the folder holds, for the weights menu while it loads (and if it fails to).
    void this.client
      .list(location)
      .then((files) => {
        if (files && generation === this.loadGeneration)
          useStore.setState({ folderFiles: { model: choiceIdentity(choice), files } });
      })
      .catch(() => undefined);
    try {
      const info = await this.client.load({
        model: location,
        backend: backendRequest,
        dtype,
        modelFile,
        onProgress: (file, loaded, total) => {
          if (generation === this.loadGeneration)
            useStore.setState((s) => ({ progress: { ...s.progress, [file]: { loaded, total } } }));
        },
        onWarming: () => generation === this.loadGeneration && useStore.setState({ lifecycle: 'warming' }),
      });
      if (generation !== this.loadGeneration) return false;
      const { layer, head } = useStore.getState();
      useStore.setState({
        info,
        ...(info.files && { folderFiles: { model: choiceIdentity(choice), files: info.files } }),
        backend: info.backend,
        lifecycle: 'ready',
        layer: Math.min(layer, info.layers) || info.layers,
        head: head !== 'mean' && head >= info.heads ? 'mean' : head,
      });
      if (choice.location.kind === 'hub') void this.refreshCache();
      this.readyWaiters.splice(0).forEach((w) => w.resolve());
      await this.runNow();
      return true;
    } catch (error) {
      if (generation !== this.loadGeneration) return false;
      const failure = wire(error);
      if (failure.code === 'cancelled')
        useStore.setState({ lifecycle: 'idle', info: undefined, notice: LOAD_CANCELLED });
      else useStore.setState({ lifecycle: 'error', error: failure, info: undefined });
      return false;
    }
  }

  /** Stops the model's downloads; the load then ends as cancelled (or as loaded, when it was past them). */
  cancelLoad(): void {
    void this.client.cancelLoad();
  }

  scheduleRun(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runNow(), RUN_DELAY_MS);
  }

  /** Runs the current text now (the latest call wins). */
  async runNow(): Promise<void> {
    clearTimeout(this.timer);
    const s = useStore.getState();
    if (!s.info || s.lifecycle === 'loading' || s.lifecycle === 'warming') return;
    useStore.setState({ lifecycle: 'running' });
    try {
      const run = await this.client.run(s.text, s.pairEnabled ? s.pair : undefined, {
        layers: [useStore.getState().layer],
        attentions: false,
        lane: 'view',
        ...(s.padTo ? { padTo: s.padTo } : {}),
        ...(s.longTexts === 'windows' ? { windows: { overlap: s.overlap } } : {}),
      });
      if (!run) return; // superseded by a newer run
      const { hiddenStates, ...rest } = run;
      const tokens = run.tokens.length;
      useStore.setState((state) => ({
        run: rest,
        hiddenStates,
        factorized: undefined,
        backend: run.backend,
        runError: undefined,
        lifecycle: 'ready',
        selectedToken: Math.min(state.selectedToken, tokens - 1),
      }));
      // Navigation to the first result on screen: what `npm run bench:app` calls cold start.
      if (typeof performance.mark === 'function' && performance.getEntriesByName(FIRST_RESULT).length === 0)
        performance.mark(FIRST_RESULT);
      // The layer may have changed while this run was in flight.
      await Promise.all([this.ensureLayer(useStore.getState().layer), this.ensureFactorized()]);
    } catch (error) {
      useStore.setState({ lifecycle: 'error', runError: wire(error) });
    }
  }

  /** The worker moved the model to WASM (the GPU was lost): say so and run again. */
  backendChanged(info: ModelInfo, notice: string): void {
    useStore.setState({ info, backend: info.backend, notice });
    void this.runNow();
  }

  /** The worker died and was restarted (the client retries what it was doing). */
  restarted(): void {
    useStore.setState({
      notice: 'The engine stopped unexpectedly and was restarted; your text is unchanged.',
    });
  }

  async refreshCache(): Promise<void> {
    const cache = await this.client.cacheUsage().catch(() => undefined);
    if (cache) useStore.setState({ cache });
  }

  async clearCache(): Promise<void> {
    await this.client.clearCache();
    await this.refreshCache();
  }

  /** Fetches the selected layer's hidden states for the current run if the page does not hold them. */
  private async ensureLayer(layer: number): Promise<void> {
    const { run, hiddenStates } = useStore.getState();
    if (!run || hiddenStates[layer]) return;
    const fetched = await this.client.layers(run.runId, [layer]).catch(() => null);
    if (fetched && useStore.getState().run?.runId === run.runId)
      useStore.setState((s) => ({ hiddenStates: { ...s.hiddenStates, ...fetched } }));
  }

  /** Fetches the factorized embeddings when layer 0 is to show them and the page does not hold them. */
  private async ensureFactorized(): Promise<void> {
    const { run, layer, showFactorized, factorized } = useStore.getState();
    if (!run || layer !== 0 || !showFactorized || factorized) return;
    const fetched = await this.client.factorized(run.runId).catch(() => undefined);
    if (fetched && useStore.getState().run?.runId === run.runId) useStore.setState({ factorized: fetched });
  }

  private syncUrl(): void {
    if (!this.env.history) return;
    const s = useStore.getState();
    const query = writeUrlState({
      model: s.choice?.param,
      file: s.modelFile,
      backend: s.backendRequest,
      dtype: s.dtype,
      text: s.text,
      pair: s.pairEnabled ? s.pair : undefined,
      layer: s.info ? s.layer : undefined,
      view: s.view,
      head: s.head,
      pca: s.pcaMode,
      method: s.projectionMethod,
      umap: s.umap,
      compare: s.compareTexts || undefined,
      pad: s.padTo || undefined,
      windows: s.longTexts === 'windows' ? s.overlap : undefined,
      mode: s.mode,
      ...(s.mode === 'compare' ? { a: s.compareA, b: s.compareB } : {}),
      pooling: s.pooling,
    });
    if (query !== this.env.location.search)
      this.env.history.replaceState(null, '', `${this.env.location.pathname}${query}`);
  }
}
