/** Types shared across the engine, the worker protocol and the CLI. */

export type { Dtype, DtypeRequest } from './dtypes.ts';

/** What the caller may ask for; `auto` picks WebGPU only on a real (non-fallback) adapter. */
export const BACKEND_REQUESTS = ['auto', 'webgpu', 'wasm', 'node'] as const;

/** What a browser may ask for (onnxruntime-node is the CLI's). */
export const BROWSER_BACKEND_REQUESTS = [
  'auto',
  'webgpu',
  'wasm',
] as const satisfies readonly BackendRequest[];

export type BackendRequest = (typeof BACKEND_REQUESTS)[number];

/** What ran the model: onnxruntime-web on WebGPU or WASM, or onnxruntime-node (CLI only). */
export type BackendName = Exclude<BackendRequest, 'auto'>;

/** A float32 tensor in row-major order. */
export interface FloatTensor {
  data: Float32Array;
  dims: number[];
}

export interface BackendInfo {
  name: BackendName;
  requested: BackendRequest;
  /** WASM threads (1 when the page is not cross-origin isolated). */
  threads?: number;
  /** The WebGPU adapter's description, e.g. "nvidia / ampere" or "google / swiftshader (fallback)". */
  adapter?: string;
  /** Why the backend in use is not the one asked for (or not WebGPU under `auto`). */
  fallbackReason?: string;
}

/** Milliseconds per stage. */
export type Timings = Record<string, number>;
