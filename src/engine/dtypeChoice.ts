/**
 * `auto`: which of a folder's files to run. The playground's promise is the model's own numbers, so `auto`
 * runs the fastest file whose numbers stay faithful to fp32: fp16 on a WebGPU adapter with half-precision
 * shaders (float16 moves hidden states by about a thousandth of their size), fp32 everywhere else (on WASM, fp16
 * is slower than fp32, and the integer and 4-bit files move the numbers visibly). Quantized files are always a
 * choice the user makes, except in a folder that has nothing else; then the one closest to fp32 is used.
 */
import type { BackendPlan } from './backend.ts';
import { DTYPE_FACTS, type Dtype, type DtypeRequest } from './dtypes.ts';
import { FIDELITY } from './fidelity.ts';

export interface DtypeChoice {
  file: string;
  dtype: Dtype;
  /** Why this file, in a few words for the badge. */
  reason: string;
}

/** The quantized files, closest to fp32 first: by the lowest token cosine measured (fidelity.ts). */
const BY_FIDELITY = (['q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const).toSorted(
  (a, b) => FIDELITY[b].tokenCosineMin - FIDELITY[a].tokenCosineMin,
);

const pick = (dtype: Dtype, reason: string): DtypeChoice => ({
  file: DTYPE_FACTS[dtype].file,
  dtype,
  reason,
});

/**
 * @param available the dtypes the folder has, or undefined when it cannot be listed (then only fp32 is assumed)
 * @param plan where the model is planned to run (WebGPU with or without shader-f16, or WASM)
 */
export function chooseDtype(
  request: DtypeRequest,
  available: Set<Dtype> | undefined,
  plan: BackendPlan,
): DtypeChoice {
  if (request !== 'auto') return pick(request, `${request} was asked for`);
  const has = (d: Dtype) => (available ? available.has(d) : d === 'fp32');
  const gpuF16 = plan.name === 'webgpu' && plan.shaderF16 === true;
  if (gpuF16 && has('fp16'))
    return pick('fp16', 'auto: fp16 on a WebGPU adapter with shader-f16 is the fastest faithful file');
  if (has('fp32')) {
    if (plan.name !== 'webgpu')
      return pick(
        'fp32',
        `auto: fp32 gives the model's exact numbers${plan.name === 'wasm' ? ' and is the fastest faithful file on WASM' : ''}`,
      );
    return pick(
      'fp32',
      gpuF16
        ? 'auto: fp32 (this folder has no fp16 file)'
        : 'auto: fp32 (the adapter has no shader-f16 for fp16)',
    );
  }
  if (has('fp16')) return pick('fp16', 'auto: this folder has no fp32 file; fp16 is the closest to it');
  const closest = BY_FIDELITY.find(has);
  if (closest)
    return pick(
      closest,
      `auto: this folder has no fp32 or fp16 file; ${closest} is the closest to fp32 it has`,
    );
  // Nothing listed under a dtype's name: try the conventional fp32 file, whose absence the caller reports.
  return pick('fp32', 'auto: the default file');
}
