/**
 * Every message between the page and the engine worker, as discriminated unions. Each request carries an id;
 * each event names the request it answers. Errors travel as values with a message a person can read.
 */
import type { AlbertRun, RunOutputs } from '../engine/albert.ts';
import type { EngineErrorCode } from '../engine/errors.ts';
import type { BackendInfo, BackendRequest, Dtype, Timings } from '../engine/types.ts';

/** Where the model folder is: a URL (site path or http(s)), or a hub repo id. */
export type ModelLocation = { kind: 'url'; url: string } | { kind: 'hub'; repo: string; endpoint?: string };

export type WorkerRequest =
  | {
      type: 'load';
      id: number;
      model: ModelLocation;
      backend: BackendRequest;
      dtype: Dtype;
      modelFile?: string;
    }
  | { type: 'run'; id: number; text: string; pair?: string; outputs?: RunOutputs };

export interface ModelInfo {
  model: string;
  modelFile: string;
  layers: number;
  heads: number;
  hiddenSize: number;
  embeddingSize: number;
  maxLength: number;
  hasLogits: boolean;
  backend: BackendInfo;
  timings: Timings;
}

export interface WireError {
  code: EngineErrorCode | 'internal';
  message: string;
  file?: string;
}

export type WorkerEvent =
  | { type: 'progress'; id: number; file: string; loaded: number; total?: number }
  | { type: 'ready'; id: number; info: ModelInfo }
  | { type: 'result'; id: number; run: AlbertRun }
  | { type: 'error'; id: number; error: WireError };

/** The part of a Worker (or MessagePort, or a fake) the two sides use. */
export interface Port<Out, In> {
  postMessage(message: Out, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<In>) => void) | null;
}
