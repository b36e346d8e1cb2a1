/**
 * An onnxruntime InferenceSession on the planned backend, falling back to WASM when WebGPU cannot start. The
 * runtime module is passed in (onnxruntime-web in browsers and Node, onnxruntime-node for `--backend node`),
 * so this file imports no runtime itself and runs anywhere.
 */
import type * as Ort from 'onnxruntime-web';
import type { BackendPlan, HostEnvironment } from './backend.ts';
import { EngineError, messageOf } from './errors.ts';
import { ElemType, encodeModel, onnx } from './onnx/proto.ts';
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

/** A float32 tensor of one element, as a graph input or output. */
const scalarValue = (name: string) =>
  onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType: ElemType.FLOAT, shape: { dim: [{ dimValue: 1 }] } } },
  });

/** The smallest graph there is (y = Identity(x)), to start a runtime with. */
function identityModel(): Uint8Array {
  return encodeModel(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }],
      graph: {
        name: 'start',
        node: [{ opType: 'Identity', input: ['x'], output: ['y'] }],
        input: [scalarValue('x')],
        output: [scalarValue('y')],
      },
    }),
  );
}

/**
 * Starts onnxruntime's WASM module (download, compile, threads) with a one-node session, so that it happens
 * while the model's files download and its graph is prepared instead of after.
 */
export async function startRuntime(ort: OrtModule, threads: number): Promise<void> {
  configureWasm(ort, threads);
  const session = await ort.InferenceSession.create(identityModel(), { executionProviders: ['wasm'] });
  await session.release();
}

/**
 * Opens `model` where `plan` says (see backend.ts), falling back from WebGPU to WASM with the reason.
 * @param onDevice outputs that, on WebGPU, stay in GPU buffers after a run until read (see AlbertRun's
 *   attentionsOnDevice): a run then copies to the CPU only what a view needs
 */
export async function openSession(
  ort: OrtModule,
  model: Uint8Array,
  planned: BackendPlan,
  request: BackendRequest,
  host: HostEnvironment,
  file: string,
  onDevice: string[] = [],
): Promise<OpenedSession> {
  const plan = { ...planned };
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
      // onnxruntime takes the adapter once, when its WebGPU backend starts; later sessions (another file, another
      // dtype) share that device, and assigning again throws.
      const webgpu = ort.env.webgpu as { adapter?: unknown } | undefined;
      if (webgpu && plan.adapter && !webgpu.adapter) webgpu.adapter = plan.adapter;
      const session = await create(
        ['webgpu'],
        onDevice.length
          ? { preferredOutputLocation: Object.fromEntries(onDevice.map((name) => [name, 'gpu-buffer'])) }
          : {},
      );
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
