/** The bare session on onnxruntime-web's JSEP build (WebGPU and WASM, 28 MB), run on WASM. */
import * as ort from 'onnxruntime-web';
import wasm from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import mjs from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs?url';
import { serveBare } from './bare.ts';

serveBare(ort as never, { wasm, mjs });
