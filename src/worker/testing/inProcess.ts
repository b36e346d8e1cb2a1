/** An engine client wired to a worker in the same thread (messages hop through microtasks), for tests. */
import { fsSource } from '../../engine/node/fsSource.ts';
import { nodeRuntime } from '../../engine/node/runtime.ts';
import { TINY_MODEL } from '../../engine/testing/fixtures.ts';
import { EngineClient } from '../client.ts';
import type { Port, WorkerEvent, WorkerPort, WorkerRequest } from '../protocol.ts';
import { serveEngine } from '../serve.ts';

/** A client with the tiny model loaded on WASM; `requests` lists every request type the worker received. */
export async function inProcessClient(): Promise<{
  client: EngineClient;
  requests: WorkerRequest['type'][];
}> {
  const runtime = await nodeRuntime('wasm', 1);
  const source = await fsSource(TINY_MODEL);
  const requests: WorkerRequest['type'][] = [];
  const page: WorkerPort = {
    onmessage: null,
    onerror: null,
    postMessage: (m) =>
      queueMicrotask(() => {
        requests.push(m.type);
        worker.onmessage?.({ data: m } as MessageEvent<WorkerRequest>);
      }),
    terminate: () => undefined,
  };
  const worker: Port<WorkerEvent, WorkerRequest> = {
    onmessage: null,
    postMessage: (m) => queueMicrotask(() => page.onmessage?.({ data: m } as MessageEvent<WorkerEvent>)),
  };
  serveEngine(worker, {
    ort: async () => runtime.ort,
    host: () => runtime.host,
    baseUrl: '',
    source: () => source,
  });
  const client = new EngineClient(() => page);
  await client.load({ model: { kind: 'url', url: '/' }, backend: 'wasm' });
  return { client, requests };
}
