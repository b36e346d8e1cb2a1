/**
 * The engine's Web Worker: onnxruntime-web, served from this app's own origin (never a CDN). The plain WASM
 * build (14 MB of WebAssembly) is fetched when the model will run on WASM; the WebGPU build (JSEP, 28 MB, which
 * runs WASM too) only when it will run on WebGPU.
 */
import plainWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import plainMjs from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import jsepWasm from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import jsepMjs from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs?url';
import type { GpuLike } from '../engine/backend.ts';
import { keepRuntimeOnceLoaded } from '../offline/keepRuntime.ts';
import type { OrtModule } from '../engine/session.ts';
import type { RuntimeKind } from './engineHost.ts';
import type { Port, WorkerEvent, WorkerRequest } from './protocol.ts';
import { serveEngine } from './serve.ts';

const RUNTIMES: Record<RuntimeKind, { load: () => Promise<unknown>; wasm: string; mjs: string }> = {
  wasm: { load: () => import('onnxruntime-web/wasm'), wasm: plainWasm, mjs: plainMjs },
  webgpu: { load: () => import('onnxruntime-web'), wasm: jsepWasm, mjs: jsepMjs },
};

async function runtime(kind: RuntimeKind): Promise<OrtModule> {
  const { load, wasm, mjs } = RUNTIMES[kind];
  const ort = (await load()) as OrtModule;
  const wasmUrl = new URL(wasm, self.location.href).href;
  ort.env.wasm.wasmPaths = { wasm: wasmUrl, mjs: new URL(mjs, self.location.href).href };
  // For offline visits (the built site has a service worker; the dev server has none).
  if (import.meta.env.PROD && self.caches) keepRuntimeOnceLoaded(wasmUrl, self.caches);
  return ort;
}

serveEngine(self as unknown as Port<WorkerEvent, WorkerRequest>, {
  ort: runtime,
  host: () => ({
    gpu: (navigator as Navigator & { gpu?: GpuLike }).gpu,
    threads: self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1,
  }),
  baseUrl: self.location.href,
  caches: self.caches,
  storage: navigator.storage,
});
