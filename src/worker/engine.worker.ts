/** The engine's Web Worker: onnxruntime-web, served from this app's own origin (never a CDN). */
import * as ort from 'onnxruntime-web';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs?url';
import type { GpuLike } from '../engine/backend.ts';
import type { OrtModule } from '../engine/session.ts';
import type { Port, WorkerEvent, WorkerRequest } from './protocol.ts';
import { serveEngine } from './serve.ts';

ort.env.wasm.wasmPaths = {
  wasm: new URL(wasmUrl, self.location.href).href,
  mjs: new URL(mjsUrl, self.location.href).href,
};

serveEngine(self as unknown as Port<WorkerEvent, WorkerRequest>, {
  ort: async () => ort as unknown as OrtModule,
  host: () => ({
    gpu: (navigator as Navigator & { gpu?: GpuLike }).gpu,
    threads: self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1,
  }),
  baseUrl: self.location.href,
  caches: self.caches,
  storage: navigator.storage,
});
