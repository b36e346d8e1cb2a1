/**
 * The page↔worker protocol end to end over an in-memory port pair: load with progress, run, transfer of
 * tensor buffers, and errors as values with readable messages.
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../engine/errors.ts';
import type { ModelSource } from '../engine/modelSource.ts';
import { fsSource } from '../engine/node/fsSource.ts';
import { nodeRuntime } from '../engine/node/runtime.ts';
import { TINY_MODEL } from '../engine/testing/fixtures.ts';
import { EngineClient, EngineFailure } from './client.ts';
import type { ModelLocation, Port, WorkerEvent, WorkerRequest } from './protocol.ts';
import { serveEngine } from './serve.ts';

/** Two ports wired to each other; records what each message asked to transfer. */
function portPair() {
  const transferred: Transferable[][] = [];
  const page: Port<WorkerRequest, WorkerEvent> = {
    onmessage: null,
    postMessage: (message) =>
      queueMicrotask(() => worker.onmessage?.({ data: message } as MessageEvent<WorkerRequest>)),
  };
  const worker: Port<WorkerEvent, WorkerRequest> = {
    onmessage: null,
    postMessage: (message, transfer = []) => {
      transferred.push(transfer);
      queueMicrotask(() => page.onmessage?.({ data: message } as MessageEvent<WorkerEvent>));
    },
  };
  return { page, worker, transferred };
}

/** A client talking to a served engine whose files come from `source`. */
async function connect(source: (location: ModelLocation) => ModelSource) {
  const ports = portPair();
  const runtime = await nodeRuntime('wasm', 1);
  serveEngine(ports.worker, { ort: async () => runtime.ort, host: () => runtime.host, baseUrl: '', source });
  return { client: new EngineClient(ports.page), ...ports };
}

describe('engine worker protocol', () => {
  it('loads with per-file progress, runs, and transfers every tensor buffer', async () => {
    const source = await fsSource(TINY_MODEL);
    const { client, transferred } = await connect(() => source);
    const files = new Set<string>();
    const info = await client.load({
      model: { kind: 'url', url: '/models/x/' },
      backend: 'wasm',
      onProgress: (f) => files.add(f),
    });
    expect(info).toMatchObject({
      layers: 3,
      heads: 4,
      hiddenSize: 32,
      embeddingSize: 16,
      maxLength: 512,
      hasLogits: true,
    });
    expect(info.backend.name).toBe('wasm');
    expect([...files].toSorted()).toEqual([
      'config.json',
      'onnx/model.onnx',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);

    const run = await client.run('hello world', 'the cat');
    expect(run.tokens).toEqual(['[CLS]', '▁hello', '▁world', '[SEP]', '▁the', '▁cat', '[SEP]']);
    expect(run.hiddenStates).toHaveLength(4);
    const sent = transferred.at(-1)!;
    // 4 hidden states + 3 attention maps + 3 score maps, each its own buffer.
    expect(sent).toHaveLength(10);
    expect(new Set(sent).size).toBe(10);
  });

  it('reports errors as values with a readable message', async () => {
    const { client } = await connect(() => missingSource('/unused'));
    const error = await client.run('too early').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineFailure);
    expect((error as EngineFailure).wire).toEqual({ code: 'input', message: 'no model is loaded yet' });
  });

  it('a failing load keeps the port usable for the next request', async () => {
    const good = await fsSource(TINY_MODEL);
    const { client } = await connect((location) =>
      location.kind === 'url' && location.url === 'good' ? good : missingSource('/missing'),
    );
    const error = (await client
      .load({ model: { kind: 'url', url: 'bad' } })
      .catch((e: unknown) => e)) as EngineFailure;
    expect(error.wire.code).toBe('missing-file');
    expect(error.message).toMatch(/config\.json/);
    await expect(
      client.load({ model: { kind: 'url', url: 'good' }, backend: 'wasm' }),
    ).resolves.toMatchObject({ layers: 3 });
  });
});

/** A source whose every read fails as a missing file would. */
function missingSource(dir: string): ModelSource {
  return {
    id: dir,
    read: async (path: string) => {
      throw new EngineError('missing-file', `${path} is missing from ${dir}`, path);
    },
  };
}
