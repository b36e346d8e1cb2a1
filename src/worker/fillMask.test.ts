/**
 * Fill-mask as the worker serves it: view runs of a fill-mask export with a [MASK] carry the top pieces (never
 * the logits); runs without a mask, API runs and feature-extraction exports carry none.
 */
import { describe, expect, it } from 'vitest';
import { AlbertEngine } from '../engine/albert.ts';
import { maskPositions, maskPredictions } from '../engine/fillMask.ts';
import { fsSource } from '../engine/node/fsSource.ts';
import { nodeRuntime } from '../engine/node/runtime.ts';
import { TINY_MODEL } from '../engine/testing/fixtures.ts';
import { EngineHost } from './engineHost.ts';
import type { RunWant, WorkerRequest } from './protocol.ts';

type LoadRequest = Extract<WorkerRequest, { type: 'load' }>;

const VIEW: RunWant = { layers: [3], attentions: false, lane: 'view' };

async function hostWith(modelFile?: string) {
  const runtime = await nodeRuntime('wasm', 1);
  const source = await fsSource(TINY_MODEL);
  const host = new EngineHost({
    ort: async () => runtime.ort,
    host: () => runtime.host,
    baseUrl: '',
    source: () => source,
  });
  const request: LoadRequest = {
    type: 'load',
    id: 1,
    model: { kind: 'url', url: '/m/' },
    backend: 'wasm',
    dtype: 'fp32',
    modelFile,
  };
  const info = await host.load(
    request,
    () => undefined,
    () => undefined,
  );
  return { host, info, runtime, source };
}

describe('fill-mask in the worker', () => {
  it('puts the top 10 pieces of each [MASK] on view runs, equal to the engine’s own logits', async () => {
    const { host, info, runtime, source } = await hostWith();
    expect(info.hasLogits).toBe(true);
    const view = await host.run(1, 'the [MASK] sat on the [MASK]', undefined, { ...VIEW, padTo: 16 });
    expect(view).not.toHaveProperty('logits');
    expect(view.predictions?.map((p) => p.position)).toEqual([2, 6]);
    for (const p of view.predictions!) expect(p.top).toHaveLength(10);

    const engine = await AlbertEngine.load({ source, ...runtime, backend: 'wasm' });
    const run = await engine.run('the [MASK] sat on the [MASK]', undefined, { logits: true });
    const expected = maskPredictions(run.logits!, maskPositions(run), 10, (id) =>
      engine.tokenizer.idToToken(id),
    );
    expect(view.predictions!.map((p) => p.top.map((t) => t.id))).toEqual(
      expected.map((p) => p.top.map((t) => t.id)),
    );
    await engine.dispose();

    expect((await host.run(2, 'the cat sat', undefined, VIEW)).predictions).toBeUndefined();
    const api = await host.run(3, 'the [MASK] sat', undefined, {
      layers: [3],
      attentions: false,
      lane: 'api',
    });
    expect(api.predictions).toBeUndefined();
  });

  it('has nothing to predict with a feature-extraction export', async () => {
    const { host, info } = await hostWith('onnx/variants/feature-extraction-opset14-fp32.onnx');
    expect(info.hasLogits).toBe(false);
    expect((await host.run(1, 'the [MASK] sat', undefined, VIEW)).predictions).toBeUndefined();
  });
});
