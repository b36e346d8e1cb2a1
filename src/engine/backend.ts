/**
 * Choosing where the model runs. WebGPU only on a real adapter: a software fallback adapter (SwiftShader) is
 * ~50x slower than WASM, so `auto` skips it and only an explicit `webgpu` request uses it. A file whose kernels
 * WebGPU lacks (integer MatMuls, MatMulBnb4) or that needs half-precision shaders the adapter lacks runs on WASM,
 * even when WebGPU was asked for: onnxruntime would otherwise run those nodes on the CPU between GPU copies. The
 * plan always carries the reason when it is not what was asked for.
 */
import { DTYPE_FACTS, type Dtype } from './dtypes.ts';
import type { BackendName, BackendRequest } from './types.ts';

/** The parts of a WebGPU adapter we read (GPUAdapter, or a fake in tests). */
export interface AdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  /** Older Chromium put the flag on the adapter itself. */
  isFallbackAdapter?: boolean;
  /** The adapter's optional features (GPUSupportedFeatures), e.g. `shader-f16`. */
  features?: { has(feature: string): boolean };
}

/** `navigator.gpu`, or a fake. */
export interface GpuLike {
  requestAdapter(options?: {
    powerPreference?: 'high-performance' | 'low-power';
  }): Promise<AdapterLike | null>;
}

/** What the host offers: the worker passes navigator.gpu and its thread count; Node passes its cores. */
export interface HostEnvironment {
  gpu?: GpuLike;
  /** WASM threads to use (1 unless cross-origin isolated in a browser). */
  threads: number;
  /** True where onnxruntime-node may be used (the CLI). */
  nodeRuntime?: boolean;
}

export interface BackendPlan {
  name: BackendName;
  adapter?: AdapterLike;
  adapterDescription?: string;
  /** Whether the adapter offers half-precision shaders (`shader-f16`). */
  shaderF16?: boolean;
  reason?: string;
}

export function describeAdapter(adapter: AdapterLike): string {
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.architecture, info.description].filter((p) => p && p.length > 0);
  const name = parts.length ? parts.join(' / ') : 'unknown adapter';
  return isFallback(adapter) ? `${name} (software fallback)` : name;
}

function isFallback(adapter: AdapterLike): boolean {
  return adapter.info?.isFallbackAdapter === true || adapter.isFallbackAdapter === true;
}

export async function planBackend(request: BackendRequest, host: HostEnvironment): Promise<BackendPlan> {
  if (request === 'wasm') return { name: 'wasm' };
  // Outside a browser (the CLI), auto means native kernels when onnxruntime-node is there.
  if (request === 'auto' && host.nodeRuntime && !host.gpu) return { name: 'node' };
  if (request === 'node') {
    return host.nodeRuntime
      ? { name: 'node' }
      : { name: 'wasm', reason: 'onnxruntime-node is only available from the command line' };
  }
  const asked = request === 'webgpu' ? 'WebGPU was asked for, but ' : '';
  if (!host.gpu)
    return { name: 'wasm', reason: `${asked}this environment has no WebGPU (navigator.gpu is missing)` };
  let adapter: AdapterLike | null = null;
  try {
    adapter = await host.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return {
      name: 'wasm',
      reason: `${asked}requesting a WebGPU adapter failed: ${(error as Error).message}`,
    };
  }
  if (!adapter) return { name: 'wasm', reason: `${asked}no WebGPU adapter is available` };
  const adapterDescription = describeAdapter(adapter);
  if (isFallback(adapter) && request === 'auto')
    return {
      name: 'wasm',
      adapterDescription,
      reason: `the only WebGPU adapter is a software fallback (${adapterDescription}), far slower than WASM`,
    };
  return {
    name: 'webgpu',
    adapter,
    adapterDescription,
    shaderF16: adapter.features?.has('shader-f16') === true,
  };
}

/**
 * The plan for a file of precision `kind`: a WebGPU plan moves to WASM, with the reason, when WebGPU cannot
 * run that file's kernels (or runs them wrongly: `caveat`), or when it needs `shader-f16` and the adapter lacks it.
 */
export function placeFile(plan: BackendPlan, kind: Dtype, caveat?: string): BackendPlan {
  if (plan.name !== 'webgpu') return plan;
  const facts = DTYPE_FACTS[kind];
  const { adapter: _adapter, ...rest } = plan;
  if (facts.webgpu === 'no') return { ...rest, name: 'wasm', reason: `${kind} weights: ${facts.why}` };
  if (caveat) return { ...rest, name: 'wasm', reason: `${kind} weights: ${caveat}` };
  if (facts.webgpu === 'shader-f16' && !plan.shaderF16)
    return {
      ...rest,
      name: 'wasm',
      reason: `${kind} needs half-precision shaders (WebGPU's shader-f16), which this adapter (${plan.adapterDescription ?? 'unknown'}) lacks`,
    };
  return plan;
}
