import { describe, expect, it } from 'vitest';
import { placeFile, planBackend, type AdapterLike, type GpuLike } from './backend.ts';

const gpu = (adapter: AdapterLike | null): GpuLike => ({ requestAdapter: async () => adapter });
const real: AdapterLike = { info: { vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false } };
const software: AdapterLike = {
  info: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true },
};

describe('planBackend', () => {
  it('auto uses WebGPU on a real adapter', async () => {
    expect(await planBackend('auto', { gpu: gpu(real), threads: 4 })).toMatchObject({
      name: 'webgpu',
      adapterDescription: 'nvidia / hopper',
    });
  });

  it('auto skips a software fallback adapter and says why', async () => {
    const plan = await planBackend('auto', { gpu: gpu(software), threads: 4 });
    expect(plan.name).toBe('wasm');
    expect(plan.reason).toBe(
      'the only WebGPU adapter is a software fallback (google / swiftshader (software fallback)), far slower than WASM',
    );
  });

  it('an explicit webgpu request uses even a software adapter', async () => {
    expect((await planBackend('webgpu', { gpu: gpu(software), threads: 1 })).name).toBe('webgpu');
  });

  it('falls back to WASM without navigator.gpu or without an adapter, saying which', async () => {
    expect((await planBackend('auto', { threads: 1 })).reason).toBe(
      'this environment has no WebGPU (navigator.gpu is missing)',
    );
    expect((await planBackend('webgpu', { gpu: gpu(null), threads: 1 })).reason).toBe(
      'WebGPU was asked for, but no WebGPU adapter is available',
    );
    const throwing: GpuLike = {
      requestAdapter: async () => {
        throw new Error('device lost');
      },
    };
    expect((await planBackend('auto', { gpu: throwing, threads: 1 })).reason).toMatch(/device lost/);
  });

  it('wasm is taken as asked; node only where onnxruntime-node exists', async () => {
    expect(await planBackend('wasm', { gpu: gpu(real), threads: 2 })).toEqual({ name: 'wasm' });
    expect((await planBackend('node', { threads: 2, nodeRuntime: true })).name).toBe('node');
    expect((await planBackend('node', { threads: 2 })).name).toBe('wasm');
  });
});

const plan = async (adapter: AdapterLike) => planBackend('webgpu', { gpu: gpu(adapter), threads: 2 });

describe('placeFile', () => {
  const withF16: AdapterLike = { ...real, features: new Set(['shader-f16']) };

  it('reads shader-f16 from the adapter', async () => {
    expect((await plan(withF16)).shaderF16).toBe(true);
    expect((await plan(real)).shaderF16).toBe(false);
  });

  it('keeps float and 4-bit files on WebGPU, and fp16 only with shader-f16', async () => {
    for (const kind of ['fp32', 'q4'] as const) expect(placeFile(await plan(real), kind).name).toBe('webgpu');
    for (const kind of ['fp16', 'q4f16'] as const) {
      expect(placeFile(await plan(withF16), kind).name).toBe('webgpu');
      const moved = placeFile(await plan(real), kind);
      expect(moved.name).toBe('wasm');
      expect(moved.reason).toBe(
        `${kind} needs half-precision shaders (WebGPU's shader-f16), which this adapter (nvidia / hopper) lacks`,
      );
    }
  });

  it('moves integer and bnb4 files to WASM, saying why, even when WebGPU was asked for', async () => {
    for (const kind of ['q8', 'int8', 'uint8'] as const)
      expect(placeFile(await plan(withF16), kind)).toMatchObject({
        name: 'wasm',
        reason: `${kind} weights: DynamicQuantizeLinear/MatMulInteger have no WebGPU kernels (they would fall back to the CPU), so it runs on WASM`,
      });
    expect(placeFile(await plan(withF16), 'bnb4').reason).toMatch(/MatMulBnb4 has only a CPU kernel/);
    expect(placeFile(await plan(withF16), 'q4', 'K = 16 is padded').reason).toBe(
      'q4 weights: K = 16 is padded',
    );
    // A WASM plan stays as it is.
    expect(placeFile({ name: 'wasm' }, 'q8')).toEqual({ name: 'wasm' });
  });
});
