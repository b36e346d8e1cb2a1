/** The bare session on onnxruntime-web's plain WASM build (14 MB of WebAssembly). */
import * as ort from 'onnxruntime-web/wasm';
import wasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import mjs from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import { serveBare } from './bare.ts';

serveBare(ort as never, { wasm, mjs });
