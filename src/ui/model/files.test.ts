/** The weights menu offers what the folder has, with sizes and where each runs; every dtype when unknown. */
import { describe, expect, it } from 'vitest';
import { weightsOptions } from './files.ts';

describe('weightsOptions', () => {
  it('lists auto, then the folder’s dtype files with sizes, then its other ONNX files by name', () => {
    const options = weightsOptions([
      { path: 'onnx/model.onnx', size: 44_600_000, dtype: 'fp32' },
      { path: 'onnx/model_qint8_avx512.onnx', size: 39_800_000 },
      { path: 'onnx/model_O2.onnx', size: 79_800_000 },
    ]);
    expect(options.map((o) => o.value)).toEqual([
      'auto',
      'fp32',
      'file:onnx/model_qint8_avx512.onnx',
      'file:onnx/model_O2.onnx',
    ]);
    expect(options[1]!.label).toBe('fp32 · 44.6 MB · float32 · WebGPU or WASM');
    expect(options[3]!.label).toBe('model_O2.onnx · 79.8 MB');
  });

  it('says where each dtype runs', () => {
    const labels = weightsOptions([
      { path: 'onnx/model_fp16.onnx', dtype: 'fp16' },
      { path: 'onnx/model_int8.onnx', dtype: 'int8' },
      { path: 'onnx/model_bnb4.onnx', dtype: 'bnb4' },
    ]).map((o) => o.label);
    expect(labels.slice(1)).toEqual([
      'fp16 · float16 · WebGPU with shader-f16, or WASM',
      'int8 · int8, per tensor, dynamic · WASM only',
      'bnb4 · 4-bit NF4 blocks of 64 (MatMulBnb4) · WASM only',
    ]);
  });

  it('offers all eight dtypes when the folder could not be listed', () => {
    expect(weightsOptions(undefined).map((o) => o.value)).toEqual([
      'auto',
      'fp32',
      'fp16',
      'q8',
      'int8',
      'uint8',
      'q4',
      'q4f16',
      'bnb4',
    ]);
  });
});
