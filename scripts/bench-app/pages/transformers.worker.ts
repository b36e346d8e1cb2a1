/**
 * transformers.js' feature-extraction pipeline on the same model folder, on WASM, with onnxruntime's files
 * from this origin: the peer everyone would pick instead. Returns the last hidden state (no pooling).
 */
import { env, pipeline } from '@huggingface/transformers';
import wasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import mjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import type { PeerReply, PeerRequest } from './protocol.ts';

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = '/models/';
const onnxEnv = env.backends.onnx as { wasm?: { wasmPaths?: unknown; numThreads?: number } };
onnxEnv.wasm!.wasmPaths = {
  wasm: new URL(wasm, self.location.href).href,
  mjs: new URL(mjs, self.location.href).href,
};
onnxEnv.wasm!.numThreads = self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
const extractor = pipeline('feature-extraction', 'albert-base-random', { device: 'wasm', dtype: 'fp32' });

const reply = (message: PeerReply) => self.postMessage(message);

self.onmessage = async ({ data }: MessageEvent<PeerRequest>) => {
  try {
    const run = await extractor;
    const t0 = performance.now();
    await run(data.text!);
    reply({ id: data.id, ms: performance.now() - t0 });
  } catch (error) {
    reply({ id: data.id, error: String(error) });
  }
};
