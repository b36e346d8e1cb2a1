/** An engine client wired to a worker in the same thread (messages cloned and moved as a Worker's are), for tests. */
import { fsSource } from '../../engine/node/fsSource.ts';
import { nodeRuntime } from '../../engine/node/runtime.ts';
import { TINY_MODEL } from '../../engine/testing/fixtures.ts';
import { EngineClient } from '../client.ts';
import type { WorkerRequest } from '../protocol.ts';
import { serveEngine } from '../serve.ts';
import { linkedPorts } from './ports.ts';

/** A client with the tiny model loaded on WASM; `received` lists every request the worker received. */
export async function inProcessClient(): Promise<{ client: EngineClient; received: WorkerRequest[] }> {
  const runtime = await nodeRuntime('wasm', 1);
  const source = await fsSource(TINY_MODEL);
  const { page, worker, received } = linkedPorts();
  serveEngine(worker, {
    ort: async () => runtime.ort,
    host: () => runtime.host,
    baseUrl: '',
    source: () => source,
  });
  const client = new EngineClient(() => page);
  await client.load({ model: { kind: 'url', url: '/' }, backend: 'wasm' });
  return { client, received };
}
