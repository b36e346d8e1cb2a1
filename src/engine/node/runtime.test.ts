/** The CLI's runtime: native kernels by default when onnxruntime-node loads, WASM (saying why) when it does not. */
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('onnxruntime-node');
  vi.resetModules();
});

describe('nodeRuntime', () => {
  it('auto takes onnxruntime-node when it loads', async () => {
    const { nodeRuntime } = await import('./runtime.ts');
    const runtime = await nodeRuntime('auto', 1);
    expect(runtime.host.nodeRuntime).toBe(true);
    expect(runtime.fallbackReason).toBeUndefined();
    expect(runtime.ort).toBe(await import('onnxruntime-node'));
  });

  it('auto without onnxruntime-node runs onnxruntime-web and says why; node then is an error', async () => {
    vi.doMock('onnxruntime-node', () => {
      throw new Error('Cannot find module onnxruntime-node');
    });
    const { nodeRuntime } = await import('./runtime.ts');
    const runtime = await nodeRuntime('auto', 1);
    expect(runtime.host.nodeRuntime).toBe(false);
    expect(runtime.fallbackReason).toBe(
      'onnxruntime-node is not installed, so it runs on WASM (about 4x slower here)',
    );
    await expect(nodeRuntime('node', 1)).rejects.toThrow(/^--backend node needs onnxruntime-node/);
  });
});
