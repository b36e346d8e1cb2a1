/**
 * The engine's Node wiring: onnxruntime-node (native kernels, ~4x faster than WASM here) when it is installed and
 * nothing else was asked for, or onnxruntime-web's WASM build (the same kernels the browser runs); threads from
 * the machine's cores (up to 4, as in browsers); model folders from a path, a URL or a hub id.
 */
import { availableParallelism } from 'node:os';
import type { HostEnvironment } from '../backend.ts';
import { EngineError, messageOf } from '../errors.ts';
import { isHubId, urlSource, type ModelSource } from '../modelSource.ts';
import type { OrtModule } from '../session.ts';
import type { BackendRequest } from '../types.ts';
import { fsSource } from './fsSource.ts';
import { hubCacheSource, hubSettings, type HubCacheOptions } from './hubCacheSource.ts';

export interface NodeRuntime {
  ort: OrtModule;
  host: HostEnvironment;
  /** Set when `auto` could not have onnxruntime-node: why it runs on WASM instead. */
  fallbackReason?: string;
}

/** onnxruntime-node, or undefined when it is not installed (it is an optional dependency). */
async function importNodeRuntime(): Promise<OrtModule | undefined> {
  return (await import('onnxruntime-node').catch(() => undefined)) as OrtModule | undefined;
}

/**
 * @param backend `auto`: onnxruntime-node when it can be loaded, else WASM (the plan says why); `node`: it, or an
 *   error; `wasm`/`webgpu`: onnxruntime-web.
 */
export async function nodeRuntime(backend: BackendRequest, threads?: number): Promise<NodeRuntime> {
  const host: HostEnvironment = {
    threads: threads ?? Math.min(4, availableParallelism()),
    nodeRuntime: backend === 'node',
  };
  if (backend === 'auto') {
    const native = await importNodeRuntime();
    if (native) return { ort: native, host: { ...host, nodeRuntime: true } };
    return {
      ort: (await import('onnxruntime-web')) as unknown as OrtModule,
      host,
      fallbackReason: 'onnxruntime-node is not installed, so it runs on WASM (about 4x slower here)',
    };
  }
  if (backend === 'node') {
    try {
      return { ort: (await import('onnxruntime-node')) as unknown as OrtModule, host };
    } catch (error) {
      throw new EngineError(
        'backend',
        `--backend node needs onnxruntime-node, which could not be loaded: ${messageOf(error)}`,
      );
    }
  }
  const ort = (await import('onnxruntime-web')) as unknown as OrtModule;
  return { ort, host };
}

/**
 * A folder path, an http(s) URL of a model folder, or a hub id (`owner/name`, from HF_ENDPOINT), which is kept in
 * the Hugging Face hub cache (see hubCacheSource.ts).
 * @param hub what the hub source reports to (download progress, warnings); settings override the environment's
 */
export async function resolveModelSource(
  spec: string,
  hub: Partial<HubCacheOptions> = {},
): Promise<ModelSource> {
  if (/^https?:\/\//.test(spec)) return urlSource(spec);
  if (
    isHubId(spec) &&
    !(await fsSource(spec).then(
      () => true,
      () => false,
    ))
  )
    return hubCacheSource(spec, { ...hubSettings(), ...hub });
  return fsSource(spec);
}
