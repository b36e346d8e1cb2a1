/**
 * An onnxruntime InferenceSession on the planned backend, falling back to WASM when WebGPU cannot start. The
 * runtime module is passed in (onnxruntime-web in browsers and Node, onnxruntime-node for `--backend node`),
 * so this file imports no runtime itself and runs anywhere.
 */
import type * as Ort from 'onnxruntime-web';
import { planBackend, type HostEnvironment } from './backend.ts';
import { EngineError, messageOf } from './errors.ts';
import type { BackendInfo, BackendRequest } from './types.ts';

/** The part of onnxruntime's API the engine uses; onnxruntime-web and onnxruntime-node both provide it. */
export interface OrtModule {
  InferenceSession: Pick<typeof Ort.InferenceSession, 'create'>;
  Tensor: typeof Ort.Tensor;
  env: typeof Ort.env;
}

export type Session = Ort.InferenceSession;

export interface OpenedSession {
  session: Session;
  backend: BackendInfo;
}

function configureWasm(ort: OrtModule, threads: number): void {
  // numThreads is read once, when the WASM module starts; later sessions share it.
  if (ort.env.wasm) ort.env.wasm.numThreads = threads;
}

export async function openSession(
  ort: OrtModule,
  model: Uint8Array,
  request: BackendRequest,
  host: HostEnvironment,
  file: string,
): Promise<OpenedSession> {
  const plan = await planBackend(request, host);
  const create = async (providers: string[], extra: Ort.InferenceSession.SessionOptions = {}) =>
    ort.InferenceSession.create(model, {
      executionProviders: providers,
      graphOptimizationLevel: 'all',
      ...extra,
    });
  const fail = (backend: string, error: unknown) =>
    new EngineError('backend', `could not start ${file} on ${backend}: ${messageOf(error)}`, file);

  if (plan.name === 'webgpu') {
    try {
      if (ort.env.webgpu && plan.adapter) (ort.env.webgpu as { adapter?: unknown }).adapter = plan.adapter;
      const session = await create(['webgpu']);
      return { session, backend: { name: 'webgpu', requested: request, adapter: plan.adapterDescription } };
    } catch (error) {
      plan.reason = `WebGPU could not run this model (${messageOf(error)})`;
    }
  }
  if (plan.name === 'node') {
    try {
      const session = await create(['cpu'], { intraOpNumThreads: host.threads });
      return { session, backend: { name: 'node', requested: request, threads: host.threads } };
    } catch (error) {
      throw fail('onnxruntime-node', error);
    }
  }
  configureWasm(ort, host.threads);
  try {
    const session = await create(['wasm']);
    const backend: BackendInfo = {
      name: 'wasm',
      requested: request,
      threads: ort.env.wasm?.numThreads ?? host.threads,
    };
    if (plan.reason) backend.fallbackReason = plan.reason;
    if (plan.adapterDescription) backend.adapter = plan.adapterDescription;
    return { session, backend };
  } catch (error) {
    throw fail('WASM', error);
  }
}
