import { describe, expect, it } from 'vitest';
import { planBackend, type AdapterLike, type GpuLike } from './backend.ts';

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
