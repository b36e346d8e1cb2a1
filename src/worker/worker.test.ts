/**
 * The page↔worker protocol end to end over in-memory ports: load with progress and warm-up, runs and layer
 * fetches, the latest view run winning, transfer of tensor buffers, errors as values, and a crashed worker
 * being replaced with its request retried once.
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../engine/errors.ts';
import type { ModelSource } from '../engine/modelSource.ts';
import { fsSource } from '../engine/node/fsSource.ts';
import { nodeRuntime } from '../engine/node/runtime.ts';
import { TINY_MODEL } from '../engine/testing/fixtures.ts';
import { EngineClient, EngineFailure } from './client.ts';
import type { ModelLocation, RunWant, WorkerPort } from './protocol.ts';
import { serveEngine } from './serve.ts';
import { linkedPorts, type LinkedPorts } from './testing/ports.ts';

type FakeWorker = LinkedPorts;

/** A worker in the same thread, joined to the page as a real one is (see testing/ports.ts). */
async function fakeWorker(source: (location: ModelLocation) => ModelSource): Promise<FakeWorker> {
  const ports = linkedPorts();
  const runtime = await nodeRuntime('wasm', 1);
  serveEngine(ports.worker, { ort: async () => runtime.ort, host: () => runtime.host, baseUrl: '', source });
  return ports;
}

function missingSource(dir: string): ModelSource {
  return {
    id: dir,
    read: async (path: string) => {
      throw new EngineError('missing-file', `${path} is missing from ${dir}`, path);
    },
  };
}

const tiny = () => fsSource(TINY_MODEL);
const VIEW: RunWant = { layers: [3], attentions: false, lane: 'view' };

describe('engine worker protocol', () => {
  it('loads with per-file progress and a warm-up, runs, and moves only the asked-for tensors', async () => {
    const source = await tiny();
    const worker = await fakeWorker(() => source);
    const client = new EngineClient(() => worker.page);
    const files = new Set<string>();
    let warmed = false;
    const info = await client.load({
      model: { kind: 'url', url: '/models/x/' },
      backend: 'wasm',
      onProgress: (f) => files.add(f),
      onWarming: () => (warmed = true),
    });
    expect(warmed).toBe(true);
    expect(info).toMatchObject({
      layers: 3,
      heads: 4,
      hiddenSize: 32,
      embeddingSize: 16,
      maxLength: 512,
      hasLogits: true,
      randomWeights: true,
    });
    expect([...files].toSorted()).toEqual([
      'config.json',
      'onnx/model.onnx',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);

    const run = (await client.run('hello world', 'the cat', VIEW))!;
    expect(run.tokens).toEqual(['[CLS]', '▁hello', '▁world', '[SEP]', '▁the', '▁cat', '[SEP]']);
    expect(Object.keys(run.hiddenStates)).toEqual(['3']);
    expect(run.attentions).toBeUndefined();
    // The selected layer and the per-token layer-to-layer cosines move (detached in the worker, whole on the
    // page); nothing else crosses.
    expect(run.layerCosines!.dims).toEqual([7, 3]);
    expect(worker.transferred.at(-1)!.map((b) => (b as ArrayBuffer).byteLength)).toEqual([0, 0]);
    expect(run.hiddenStates[3]!.data.length).toBe(7 * 32);
    expect(run.layerCosines!.data.length).toBe(7 * 3);

    // Another layer of the same run comes from the worker's copy, without running the model again.
    const layers = (await client.layers(run.runId, [0, 1]))!;
    expect(Object.keys(layers)).toEqual(['0', '1']);
    expect(layers[0]!.dims).toEqual([7, 32]);
    expect(worker.received.filter((r) => r.type === 'run')).toHaveLength(1);

    const all = (await client.run('hello', undefined, { layers: 'all', attentions: true, lane: 'api' }))!;
    expect(Object.keys(all.hiddenStates)).toHaveLength(4);
    expect(all.attentions).toHaveLength(3);
    expect(new Set(worker.transferred.at(-1)).size).toBe(7);
  });

  it('a view run that sends its maps keeps its own: the attention view still reads them after the move', async () => {
    const source = await tiny();
    const worker = await fakeWorker(() => source);
    const client = new EngineClient(() => worker.page);
    await client.load({ model: { kind: 'url', url: '/' }, backend: 'wasm' });
    const run = (await client.run('hello world', undefined, { ...VIEW, attentions: true }))!;
    expect(run.attentions).toHaveLength(3);
    // The worker's kept maps were not the ones moved: a map of the run is still there to read.
    const { map } = await client.attention(run.runId, 2, 1, { specials: false, padding: false });
    expect(map.data).toEqual(run.attentions![2]!.data.subarray(16, 32));
    const layers = (await client.layers(run.runId, [3]))!;
    expect(layers[3]!.data).toEqual(run.hiddenStates[3]!.data);
  });

  it('lists a folder before loading it, once: the load reuses that listing', async () => {
    const source = await tiny();
    let listings = 0;
    const counted: ModelSource = {
      ...source,
      read: source.read.bind(source),
      list: () => {
        listings++;
        return source.list!();
      },
    };
    const { page } = await fakeWorker(() => counted);
    const client = new EngineClient(() => page);
    const location: ModelLocation = { kind: 'url', url: '/tiny/' };
    const files = await client.list(location);
    expect(files?.slice(0, 3)).toEqual([
      { path: 'onnx/model.onnx', size: expect.any(Number), dtype: 'fp32' },
      { path: 'onnx/model_fp16.onnx', size: expect.any(Number), dtype: 'fp16' },
      { path: 'onnx/model_quantized.onnx', size: expect.any(Number), dtype: 'q8' },
    ]);
    const info = await client.load({ model: location, backend: 'wasm' });
    expect(info.files).toEqual(files);
    expect(listings).toBe(1);
    // A folder that cannot be listed answers undefined, not an error.
    const { page: other } = await fakeWorker(() => missingSource('/gone/'));
    expect(await new EngineClient(() => other).list(location)).toBeUndefined();
  });

  it('a WebGPU kernel that refuses the graph at the first run: the model runs on WASM and says why', async () => {
    const runtime = await nodeRuntime('wasm', 1);
    // onnxruntime as a browser with WebGPU would be: sessions start on 'webgpu', and their first run fails.
    const ort = {
      ...runtime.ort,
      env: runtime.ort.env,
      Tensor: runtime.ort.Tensor,
      InferenceSession: {
        create: async (model: Uint8Array, options?: { executionProviders?: string[] }) => {
          const onGpu = options?.executionProviders?.includes('webgpu');
          const session = await runtime.ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
          if (!onGpu) return session;
          return Object.assign(Object.create(session) as typeof session, {
            run: async () => {
              throw new Error('[WebGPU] Kernel "[Attention] Attention_0" failed. Error: Mask not supported');
            },
          });
        },
      },
    } as unknown as typeof runtime.ort;
    const adapter = { info: { vendor: 'nvidia', architecture: 'hopper' } };
    const { page, worker } = linkedPorts();
    const source = await tiny();
    serveEngine(worker, {
      ort: async () => ort,
      host: () => ({ threads: 1, gpu: { requestAdapter: async () => adapter } }),
      baseUrl: '',
      source: () => source,
    });
    const info = await new EngineClient(() => page).load({
      model: { kind: 'url', url: '/' },
      backend: 'auto',
    });
    expect(info.backend).toMatchObject({
      name: 'wasm',
      requested: 'auto',
      fallbackReason:
        'running onnx/model.onnx on webgpu failed: [WebGPU] Kernel "[Attention] Attention_0" failed. Error: Mask not supported',
    });
  });

  it('a cancel stops a load while it downloads: it fails as cancelled, and the next load works', async () => {
    const good = await tiny();
    let asked!: () => void;
    const onnxAsked = new Promise<void>((resolve) => (asked = resolve));
    // The weights never arrive (a stalled server); the source does not even watch the signal.
    const stalled: ModelSource = {
      ...good,
      id: '/stalled/',
      read: (path, onProgress) => {
        if (!path.endsWith('.onnx')) return good.read(path, onProgress);
        asked();
        return new Promise(() => undefined);
      },
    };
    const worker = await fakeWorker((location) =>
      location.kind === 'url' && location.url === 'stalled' ? stalled : good,
    );
    const client = new EngineClient(() => worker.page);
    const loading = client.load({ model: { kind: 'url', url: 'stalled' }, backend: 'wasm' });
    await onnxAsked;
    await client.cancelLoad();
    await expect(loading).rejects.toMatchObject({
      wire: { code: 'cancelled', message: 'loading was cancelled' },
    });
    const early = await client.run('no model', undefined, VIEW).catch((e: unknown) => e);
    expect((early as EngineFailure).message).toBe('no model is loaded yet');
    const info = await client.load({ model: { kind: 'url', url: 'good' }, backend: 'wasm' });
    expect(info.layers).toBe(3);
    // A cancel that comes after the load finished changes nothing.
    await client.cancelLoad();
    expect((await client.run('still here', undefined, VIEW))!.text).toBe('still here');

    // A load cancelled while it waits behind a stalled one ends as soon as its turn comes.
    const first = client.load({ model: { kind: 'url', url: 'stalled' }, backend: 'wasm' });
    const second = client.load({ model: { kind: 'url', url: 'good' }, backend: 'wasm' });
    await client.cancelLoad();
    expect(worker.received.at(-1)).toMatchObject({ type: 'cancel' });
    const firstId = worker.received.findLast(
      (r) => r.type === 'load' && r.model.kind === 'url' && r.model.url === 'stalled',
    )!.id;
    await client.cancel(firstId);
    for (const load of [first, second])
      await expect(load).rejects.toMatchObject({ wire: { code: 'cancelled' } });
  });

  it('lets the latest view run win; api runs are never dropped', async () => {
    const source = await tiny();
    const worker = await fakeWorker(() => source);
    const client = new EngineClient(() => worker.page);
    await client.load({ model: { kind: 'url', url: '/' }, backend: 'wasm' });
    const results = await Promise.all([
      client.run('first', undefined, VIEW),
      client.run('second', undefined, VIEW),
      client.run('api', undefined, { ...VIEW, lane: 'api' }),
      client.run('third', undefined, VIEW),
    ]);
    expect(results[0]).toBeNull();
    expect(results[1]).toBeNull();
    expect(results[2]!.text).toBe('api');
    expect(results[3]!.text).toBe('third');
    // The superseded view runs were answered without computing.
    expect(worker.transferred.filter((t) => t.length > 0)).toHaveLength(2);
  });

  it('reports errors as values with a readable message, and stays usable', async () => {
    const good = await tiny();
    const worker = await fakeWorker((location) =>
      location.kind === 'url' && location.url === 'good' ? good : missingSource('/missing'),
    );
    const client = new EngineClient(() => worker.page);
    const early = await client.run('too early', undefined, VIEW).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(EngineFailure);
    expect((early as EngineFailure).wire).toEqual({ code: 'input', message: 'no model is loaded yet' });
    const failed = (await client
      .load({ model: { kind: 'url', url: 'bad' } })
      .catch((e: unknown) => e)) as EngineFailure;
    expect(failed.wire).toMatchObject({ code: 'missing-file', file: 'config.json' });
    await expect(
      client.load({ model: { kind: 'url', url: 'good' }, backend: 'wasm' }),
    ).resolves.toMatchObject({ layers: 3 });
  });

  it('replaces a crashed worker, reloads the model and retries the request once', async () => {
    const source = await tiny();
    const workers: FakeWorker[] = [];
    let restarts = 0;
    const client = new EngineClient(
      () => {
        const pending = fakeWorker(() => source);
        // The factory must return synchronously: hand out a port that forwards once the worker exists.
        const port: WorkerPort = {
          onmessage: null,
          onerror: null,
          postMessage: (m) =>
            void pending.then((w) => {
              w.page.onmessage = (e) => port.onmessage?.(e);
              w.page.postMessage(m);
            }),
          terminate: () => void pending.then((w) => w.page.terminate()),
        };
        void pending.then((w) => workers.push(w));
        return port;
      },
      { onRestart: () => restarts++ },
    );
    await client.load({ model: { kind: 'url', url: '/' }, backend: 'wasm' });
    const firstPort = (client as unknown as { port: WorkerPort }).port;
    // The worker dies with the run on its way: nothing it would still send arrives.
    workers[0]!.page.terminate();
    const run = client.run('hello world', undefined, VIEW);
    firstPort.onerror?.(new Event('error'));
    const result = await run;
    expect(restarts).toBe(1);
    expect(result!.tokens).toEqual(['[CLS]', '▁hello', '▁world', '[SEP]']);
    await new Promise((r) => setTimeout(r, 0));
    expect(workers).toHaveLength(2);
    // The new worker was sent the model again, then the run.
    expect(workers[1]!.received.map((r) => r.type)).toEqual(['load', 'run']);
  });
});
