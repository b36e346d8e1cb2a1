/**
 * A bare onnxruntime-web session in a worker, as the simplest page would run ALBERT: fetch the unmodified
 * model, create a session, run input ids and take the graph's own output. `ort` is the build under test.
 */
import type { PeerReply, PeerRequest } from './protocol.ts';

interface Ort {
  env: { wasm: { numThreads?: number; wasmPaths?: unknown } };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: number[]) => unknown;
  InferenceSession: {
    create(model: Uint8Array, options: object): Promise<{ run(feeds: object): Promise<unknown> }>;
  };
}

const reply = (message: PeerReply) => self.postMessage(message);

export function serveBare(ort: Ort, paths: { wasm: string; mjs: string }): void {
  ort.env.wasm.wasmPaths = {
    wasm: new URL(paths.wasm, self.location.href).href,
    mjs: new URL(paths.mjs, self.location.href).href,
  };
  ort.env.wasm.numThreads = self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  const session = fetch('/models/albert-base-random/onnx/model.onnx')
    .then((r) => r.arrayBuffer())
    .then((bytes) =>
      ort.InferenceSession.create(new Uint8Array(bytes), {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'all',
      }),
    );
  self.onmessage = async ({ data }: MessageEvent<PeerRequest>) => {
    try {
      const s = await session;
      const ids = data.ids!;
      const int64 = (values: number[]) =>
        new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);
      const t0 = performance.now();
      await s.run({
        input_ids: int64(ids),
        attention_mask: int64(ids.map(() => 1)),
        token_type_ids: int64(ids.map(() => 0)),
      });
      reply({ id: data.id, ms: performance.now() - t0 });
    } catch (error) {
      reply({ id: data.id, error: String(error) });
    }
  };
}
