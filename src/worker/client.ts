/**
 * The page's side of the engine worker: promises per request, progress callbacks, errors as `EngineFailure`
 * (code + readable message). Accepts any port, so tests can inject a fake.
 */
import type { AlbertRun, RunOutputs } from '../engine/albert.ts';
import type { BackendRequest, Dtype } from '../engine/types.ts';
import type { ModelInfo, ModelLocation, Port, WireError, WorkerEvent, WorkerRequest } from './protocol.ts';

export class EngineFailure extends Error {
  override readonly name = 'EngineFailure';
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
}

export interface LoadRequest {
  model: ModelLocation;
  backend?: BackendRequest;
  dtype?: Dtype;
  modelFile?: string;
  onProgress?: (file: string, loaded: number, total?: number) => void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: LoadRequest['onProgress'];
}

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly port: Port<WorkerRequest, WorkerEvent>) {
    port.onmessage = ({ data }) => this.receive(data);
  }

  load(request: LoadRequest): Promise<ModelInfo> {
    const { onProgress, ...rest } = request;
    return this.send(
      { type: 'load', id: 0, backend: 'auto', dtype: 'fp32', ...rest },
      onProgress,
    ) as Promise<ModelInfo>;
  }

  run(text: string, pair?: string, outputs?: RunOutputs): Promise<AlbertRun> {
    return this.send({ type: 'run', id: 0, text, pair, outputs }) as Promise<AlbertRun>;
  }

  private send(request: WorkerRequest, onProgress?: LoadRequest['onProgress']): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.port.postMessage({ ...request, id });
    });
  }

  private receive(event: WorkerEvent): void {
    const pending = this.pending.get(event.id);
    if (!pending) return;
    if (event.type === 'progress') {
      pending.onProgress?.(event.file, event.loaded, event.total);
      return;
    }
    this.pending.delete(event.id);
    if (event.type === 'error') pending.reject(new EngineFailure(event.error));
    else pending.resolve(event.type === 'ready' ? event.info : event.run);
  }
}
