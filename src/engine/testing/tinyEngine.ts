/** The bundled tiny model on onnxruntime-web's WASM in one thread: the engine most tests compare against. */
import { AlbertEngine, type EngineOptions } from '../albert.ts';
import { fsSource } from '../node/fsSource.ts';
import { nodeRuntime } from '../node/runtime.ts';
import { TINY_MODEL } from './fixtures.ts';

export async function tinyEngine(options: Partial<EngineOptions> = {}): Promise<AlbertEngine> {
  return AlbertEngine.load({
    source: await fsSource(TINY_MODEL),
    ...(await nodeRuntime('wasm', 1)),
    backend: 'wasm',
    ...options,
  });
}
