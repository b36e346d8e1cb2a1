/** `auto` picks the fastest file whose numbers stay faithful to fp32, from what the folder really has. */
import { describe, expect, it } from 'vitest';
import type { BackendPlan } from './backend.ts';
import { chooseDtype } from './dtypeChoice.ts';
import { DTYPES, type Dtype } from './dtypes.ts';

const wasm: BackendPlan = { name: 'wasm' };
const gpu: BackendPlan = { name: 'webgpu', shaderF16: false, adapterDescription: 'nvidia / hopper' };
const gpuF16: BackendPlan = { ...gpu, shaderF16: true };
const all = new Set<Dtype>(DTYPES);

describe('chooseDtype', () => {
  it('an explicit dtype is taken as it is, with its conventional file', () => {
    expect(chooseDtype('q4f16', all, wasm)).toMatchObject({ dtype: 'q4f16', file: 'onnx/model_q4f16.onnx' });
    expect(chooseDtype('bnb4', undefined, gpuF16)).toMatchObject({
      dtype: 'bnb4',
      file: 'onnx/model_bnb4.onnx',
    });
  });

  it('auto: fp16 on a WebGPU adapter with shader-f16, fp32 elsewhere', () => {
    expect(chooseDtype('auto', all, gpuF16).dtype).toBe('fp16');
    expect(chooseDtype('auto', all, gpu)).toMatchObject({
      dtype: 'fp32',
      reason: 'auto: fp32 (the adapter has no shader-f16 for fp16)',
    });
    expect(chooseDtype('auto', all, wasm).dtype).toBe('fp32');
    // Not on a listing that lacks fp16; the reason says which was missing.
    expect(chooseDtype('auto', new Set<Dtype>(['fp32', 'q8']), gpuF16)).toMatchObject({
      dtype: 'fp32',
      reason: 'auto: fp32 (this folder has no fp16 file)',
    });
    expect(chooseDtype('auto', all, { name: 'node' }).reason).toBe(
      "auto: fp32 gives the model's exact numbers",
    );
  });

  it('auto never picks a quantized file while a float one exists, and picks the closest one when none does', () => {
    expect(chooseDtype('auto', new Set<Dtype>(['fp16', 'q8', 'q4']), wasm).dtype).toBe('fp16');
    expect(chooseDtype('auto', new Set<Dtype>(['int8', 'q4', 'q8']), wasm)).toMatchObject({
      dtype: 'q8',
      reason: 'auto: this folder has no fp32 or fp16 file; q8 is the closest to fp32 it has',
    });
    expect(chooseDtype('auto', new Set<Dtype>(['bnb4', 'q4']), wasm).dtype).toBe('q4');
  });

  it('auto without a listing assumes the conventional fp32 file', () => {
    expect(chooseDtype('auto', undefined, gpuF16)).toMatchObject({ dtype: 'fp32', file: 'onnx/model.onnx' });
    expect(chooseDtype('auto', new Set(), wasm)).toMatchObject({ dtype: 'fp32', file: 'onnx/model.onnx' });
  });
});
