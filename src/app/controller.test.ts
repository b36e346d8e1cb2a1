/**
 * The controller against a fake engine client: the default model order with its banners, the lifecycle,
 * runs that follow the text, layer fetches, and the URL and storage kept in step.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FloatTensor } from '../engine/types.ts';
import { resetStore, useStore } from '../state/store.ts';
import type { EngineClient } from '../worker/client.ts';
import { EngineFailure } from '../worker/client.ts';
import type { ModelInfo, ModelLocation, RunView, RunWant } from '../worker/protocol.ts';
import { Controller, LOAD_CANCELLED, type ControllerEnv } from './controller.ts';
import { choiceFromParam } from '../shared/models.ts';
import { parameterCounts } from '../engine/parameters.ts';
import { APPLY_STORAGE_KEY } from './persistence.ts';
import { memoryStorage } from './testing/memoryStorage.ts';

const INFO: ModelInfo = {
  model: '/models/albert-tiny-random/',
  modelFile: 'onnx/model.onnx',
  layers: 3,
  heads: 4,
  hiddenSize: 2,
  embeddingSize: 2,
  vocabSize: 10,
  maxLength: 512,
  hasLogits: false,
  randomWeights: true,
  parameters: parameterCounts({
    vocab_size: 10,
    embedding_size: 2,
    hidden_size: 2,
    num_hidden_layers: 3,
    intermediate_size: 4,
    num_hidden_groups: 1,
    inner_group_num: 1,
    max_position_embeddings: 512,
    type_vocab_size: 2,
  }),
  dtype: 'fp32',
  fileReason: 'auto: fp32',
  precision: {
    kind: 'fp32',
    weightMatMuls: 7,
    quantizedMatMuls: 0,
    computeType: 'float32',
    summary: 'float32 weights and activations',
  },
  backend: { name: 'wasm', requested: 'auto', threads: 2 },
  timings: {},
};

const tensor = (layer: number, tokens: number): FloatTensor => ({
  data: Float32Array.from({ length: tokens * 2 }, (_, i) => layer * 100 + i),
  dims: [tokens, 2],
});

/**
 * Records what it is asked; fails loads of the locations listed in `failing`, cancels those in `cancelled`, and
 * holds those in `stalled` until cancelLoad.
 */
function fakeClient(failing: string[] = [], cancelled: string[] = [], stalled: string[] = []) {
  const calls: string[] = [];
  let runId = 0;
  let stopStalled: (() => void) | undefined;
  const client = {
    async cancelLoad() {
      calls.push('cancel load');
      stopStalled?.();
    },
    async load({
      model,
      dtype,
      modelFile,
      onProgress,
      onWarming,
    }: {
      model: ModelLocation;
      dtype?: string;
      modelFile?: string;
      onProgress?: (f: string, l: number, t?: number) => void;
      onWarming?: () => void;
    }) {
      const where = model.kind === 'hub' ? model.repo : model.kind === 'url' ? model.url : model.name;
      calls.push(
        `load ${where}${modelFile ? ` file ${modelFile}` : dtype && dtype !== 'auto' ? ` ${dtype}` : ''}`,
      );
      if (failing.includes(where))
        throw new EngineFailure({ code: 'network', message: `cannot reach ${where}` });
      if (cancelled.includes(where))
        throw new EngineFailure({ code: 'cancelled', message: 'loading was cancelled' });
      if (stalled.includes(where))
        await new Promise<void>((_, reject) => {
          stopStalled = () =>
            reject(new EngineFailure({ code: 'cancelled', message: 'loading was cancelled' }));
        });
      onProgress?.('config.json', 10, 10);
      onWarming?.();
      return INFO;
    },
    async run(text: string, pair: string | undefined, want: RunWant): Promise<RunView> {
      calls.push(`run ${JSON.stringify(text)} ${JSON.stringify(want.layers)}`);
      const tokens = text.split(' ').length + 2;
      const layers = want.layers === 'all' ? [0, 1, 2, 3] : want.layers;
      return {
        runId: ++runId,
        text,
        pair,
        tokens: Array.from({ length: tokens }, (_, i) => `t${i}`),
        ids: Array.from({ length: tokens }, (_, i) => i),
        tokenTypeIds: Array.from({ length: tokens }, () => 0),
        offsets: Array.from({ length: tokens }, () => null),
        special: Array.from({ length: tokens }, () => false),
        truncated: false,
        droppedTokens: 0,
        padding: 0,
        hiddenStates: Object.fromEntries(layers.map((l) => [l, tensor(l, tokens)])),
        backend: INFO.backend,
        timings: { totalMs: 1 },
      };
    },
    async layers(id: number, layers: number[]) {
      calls.push(`layers ${id} ${JSON.stringify(layers)}`);
      return Object.fromEntries(layers.map((l) => [l, tensor(l, 4)]));
    },
    list: async () => [{ path: 'onnx/model_q4.onnx', size: 20_600_000, dtype: 'q4' as const }],
    cacheUsage: async () => ({ models: [], totalBytes: 0 }),
    clearCache: async () => undefined,
    debug: async () => undefined,
  };
  return { client: client as unknown as EngineClient, calls };
}

function env(search: string, manifest: string[] = ['albert-tiny-random'], online = true) {
  const replaced: string[] = [];
  const location = { search, pathname: '/' };
  const e: ControllerEnv = {
    location,
    history: {
      replaceState: (_data, _unused, url) => {
        replaced.push(String(url));
        location.search = String(url).slice(1);
      },
    },
    online,
    manifest: async () =>
      manifest.map((name) => ({
        name,
        path: `/models/${name}/`,
        dtypes: ['fp32' as const],
        files: [{ path: 'onnx/model.onnx', size: 1000, dtype: 'fp32' as const }],
        layers: 3,
        hiddenSize: 2,
        randomWeights: true,
      })),
  };
  return { env: e, replaced };
}

beforeEach(() => resetStore());

describe('Controller', () => {
  it('with no model in the URL tries the hub, then falls back to the bundled model with a banner', async () => {
    const { client, calls } = fakeClient(['Xenova/albert-base-v2']);
    await new Controller(client, env('').env).start();
    expect(calls.slice(0, 2)).toEqual(['load Xenova/albert-base-v2', 'load /models/albert-tiny-random/']);
    const s = useStore.getState();
    expect(s.banner).toMatch(
      /^Could not load Xenova\/albert-base-v2 from the hub \(cannot reach Xenova\/albert-base-v2\)/,
    );
    expect(s.lifecycle).toBe('ready');
    expect(s.info?.layers).toBe(3);
    expect(s.layer).toBe(3);
    expect(s.run?.text).toBe('The quick brown fox jumps over the lazy dog.');
  });

  it('a cancelled load leaves no model and says so, keeps the text, and does not fall back to another model', async () => {
    const { client, calls } = fakeClient([], ['Xenova/albert-base-v2']);
    useStore.setState({ text: 'kept' });
    await new Controller(client, env('?text=kept').env).start();
    expect(calls.filter((c) => c.startsWith('load'))).toEqual(['load Xenova/albert-base-v2']);
    const s = useStore.getState();
    expect(s.lifecycle).toBe('idle');
    expect(s.info).toBeUndefined();
    expect(s.error).toBeUndefined();
    expect(s.notice).toBe(LOAD_CANCELLED);
    expect(s.text).toBe('kept');
  });

  it('a new load stops the one still downloading (it would hold the worker), which then says nothing', async () => {
    const { client, calls } = fakeClient([], [], ['stalled/repo']);
    const controller = new Controller(client, env('?model=/models/albert-tiny-random/').env);
    await controller.start();
    const stalled = controller.load(choiceFromParam('stalled/repo'));
    expect(useStore.getState().lifecycle).toBe('loading');
    await controller.load(choiceFromParam('/models/albert-tiny-random/'));
    expect(await stalled).toBe(false);
    expect(calls.filter((c) => c.startsWith('load') || c.startsWith('cancel'))).toEqual([
      'load /models/albert-tiny-random/',
      'load stalled/repo',
      'cancel load',
      'load /models/albert-tiny-random/',
    ]);
    const s = useStore.getState();
    expect([s.lifecycle, s.notice, s.choice?.param]).toEqual([
      'ready',
      undefined,
      '/models/albert-tiny-random/',
    ]);
  });

  it('loads the model and text from the URL, and shows the error when the model fails', async () => {
    const { client, calls } = fakeClient(['/models/nope/']);
    const controller = new Controller(client, env('?model=/models/nope/&text=kept').env);
    await controller.start();
    const s = useStore.getState();
    expect(calls).toEqual(['load /models/nope/']);
    expect(s.lifecycle).toBe('error');
    expect(s.error).toEqual({ code: 'network', message: 'cannot reach /models/nope/' });
    expect(s.text).toBe('kept');
    // The weights menu still knows what the folder holds (listed before the load).
    expect(s.folderFiles).toEqual({
      model: '/models/nope/',
      files: [{ path: 'onnx/model_q4.onnx', size: 20_600_000, dtype: 'q4' }],
    });
    await expect(controller.ready()).rejects.toThrow('cannot reach /models/nope/');
  });

  it('runs the text as it changes (debounced), fetches other layers, and keeps the URL in step', async () => {
    vi.useFakeTimers();
    const { client, calls } = fakeClient();
    const { env: e, replaced } = env('?model=/models/albert-tiny-random/&text=a');
    await new Controller(client, e).start();
    calls.length = 0;
    useStore.getState().setText('a b');
    useStore.getState().setText('a b c');
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toEqual(['run "a b c" [3]']);
    useStore.getState().setLayer(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.at(-1)).toMatch(/^layers \d+ \[1\]$/);
    expect(Object.keys(useStore.getState().hiddenStates)).toEqual(['1', '3']);
    expect(replaced.at(-1)).toBe('/?model=%2Fmodels%2Falbert-tiny-random%2F&text=a+b+c&layer=1');
    vi.useRealTimers();
  });

  it('keeps the applications’ texts, the tagging boxes too, in local storage and brings them back on reload', async () => {
    const storage = memoryStorage();
    const first = env('?model=/models/albert-tiny-random/').env;
    await new Controller(fakeClient().client, { ...first, storage }).start();
    useStore.getState().setTagExamplesText('[Ada](PER) sings.');
    useStore.getState().setTagText('Ada sings in Rome.');
    useStore.getState().setExamplesText('pos: fine');
    // A reload: a fresh page (the old one's controller still follows the store here) over the same storage.
    const reloadedStorage = memoryStorage();
    reloadedStorage.setItem(APPLY_STORAGE_KEY, storage.getItem(APPLY_STORAGE_KEY)!);
    resetStore();
    expect(useStore.getState().tagText).not.toBe('Ada sings in Rome.');
    const reloaded = env('?model=/models/albert-tiny-random/').env;
    await new Controller(fakeClient().client, { ...reloaded, storage: reloadedStorage }).start();
    expect(useStore.getState()).toMatchObject({
      tagExamplesText: '[Ada](PER) sings.',
      tagText: 'Ada sings in Rome.',
      examplesText: 'pos: fine',
    });
  });

  it('loads the dtype or file the URL names; a new dtype drops the file; another model starts from auto', async () => {
    const { client, calls } = fakeClient();
    const { env: e, replaced } = env('?model=/models/albert-tiny-random/&file=onnx/model_O2.onnx&dtype=q8');
    const controller = new Controller(client, e);
    await controller.start();
    expect(calls[0]).toBe('load /models/albert-tiny-random/ file onnx/model_O2.onnx');
    expect(replaced.at(-1)).toContain('file=onnx%2Fmodel_O2.onnx');
    const choice = useStore.getState().choice!;
    await controller.load(choice);
    expect(calls.filter((c) => c.startsWith('load')).at(-1)).toBe(
      'load /models/albert-tiny-random/ file onnx/model_O2.onnx',
    );
    await controller.load(choice, { dtype: 'int8' });
    expect(calls.filter((c) => c.startsWith('load')).at(-1)).toBe('load /models/albert-tiny-random/ int8');
    expect(replaced.at(-1)).toContain('dtype=int8');
    await controller.load(choice, { modelFile: 'onnx/model_O2.onnx' });
    await controller.load(choiceFromParam('Xenova/albert-base-v2'));
    // Another folder has other files: not q4's or this file's, so auto.
    expect(calls.filter((c) => c.startsWith('load')).at(-1)).toBe('load Xenova/albert-base-v2');
    expect([useStore.getState().dtype, useStore.getState().modelFile]).toEqual(['auto', undefined]);
    await controller.load(choiceFromParam('Xenova/albert-large-v2'), { dtype: 'q4' });
    expect(calls.filter((c) => c.startsWith('load')).at(-1)).toBe('load Xenova/albert-large-v2 q4');
  });
});
