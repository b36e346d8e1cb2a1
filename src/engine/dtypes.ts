/**
 * The eight weight formats ("dtypes") a transformers.js-style model folder can carry, by the names
 * transformers.js gives them: which file holds each, what its weights are, and where onnxruntime-web can run it.
 * The one place these facts live; the CLI, the URL, the model panel and the engine all read them from here.
 */

export const DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;

/** Which ONNX file of a model folder to use (transformers.js naming). */
export type Dtype = (typeof DTYPES)[number];

/** A dtype, or `auto`: the fastest file and backend whose numbers stay faithful to fp32 (see `chooseDtype`). */
export type DtypeRequest = Dtype | 'auto';

export const DTYPE_REQUESTS: readonly DtypeRequest[] = ['auto', ...DTYPES];

/** Whether onnxruntime-web's WebGPU backend runs a file's kernels, and what it needs. */
export type WebGpuSupport = 'yes' | 'shader-f16' | 'no';

export interface DtypeFacts {
  file: string;
  /** What the weights are, in a few words. */
  weights: string;
  webgpu: WebGpuSupport;
  /** Why it runs (or does not run) where it does, for the panel and the badge. */
  why: string;
}

const INTEGER_KERNELS =
  'DynamicQuantizeLinear/MatMulInteger have no WebGPU kernels (they would fall back to the CPU), so it runs on WASM';

export const DTYPE_FACTS: Record<Dtype, DtypeFacts> = {
  fp32: { file: 'onnx/model.onnx', weights: 'float32', webgpu: 'yes', why: 'runs everywhere' },
  fp16: {
    file: 'onnx/model_fp16.onnx',
    weights: 'float16',
    webgpu: 'shader-f16',
    why: "on WebGPU it needs the adapter's shader-f16 feature; WASM computes it in float32 between half-precision roundings",
  },
  q8: {
    file: 'onnx/model_quantized.onnx',
    weights: 'int8, per channel, dynamic (often only some MatMuls)',
    webgpu: 'no',
    why: INTEGER_KERNELS,
  },
  int8: {
    file: 'onnx/model_int8.onnx',
    weights: 'int8, per tensor, dynamic',
    webgpu: 'no',
    why: INTEGER_KERNELS,
  },
  uint8: {
    file: 'onnx/model_uint8.onnx',
    weights: 'uint8, per tensor, dynamic',
    webgpu: 'no',
    why: INTEGER_KERNELS,
  },
  q4: {
    file: 'onnx/model_q4.onnx',
    weights: '4-bit blocks of 32 (MatMulNBits)',
    webgpu: 'yes',
    why: 'MatMulNBits has kernels on WebGPU and WASM',
  },
  q4f16: {
    file: 'onnx/model_q4f16.onnx',
    weights: '4-bit blocks of 32, float16 activations',
    webgpu: 'shader-f16',
    why: "on WebGPU it needs the adapter's shader-f16 feature",
  },
  bnb4: {
    file: 'onnx/model_bnb4.onnx',
    weights: '4-bit NF4 blocks of 64 (MatMulBnb4)',
    webgpu: 'no',
    why: 'MatMulBnb4 has only a CPU kernel in onnxruntime-web 1.30, so it runs on WASM',
  },
};

/** The dtype whose conventional file name is `path`, if any. */
export function dtypeOfFile(path: string): Dtype | undefined {
  return DTYPES.find((d) => DTYPE_FACTS[d].file === path);
}

export function isDtype(value: string): value is Dtype {
  return (DTYPES as readonly string[]).includes(value);
}

export function isDtypeRequest(value: string): value is DtypeRequest {
  return value === 'auto' || isDtype(value);
}
