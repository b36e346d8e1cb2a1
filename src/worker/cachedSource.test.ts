/** A hub folder's files and its listing are kept in the Cache API, so an offline visit still knows the repo. */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../engine/errors.ts';
import type { ListedFile, ModelSource } from '../engine/modelSource.ts';
import { cachedSource } from './cachedSource.ts';

/** The part of CacheStorage cachedSource uses, over a Map. */
function memoryCaches(): CacheStorage {
  const store = new Map<string, Response>();
  const cache = {
    match: async (url: string) => store.get(url)?.clone(),
    put: async (url: string, response: Response) => void store.set(url, response),
  };
  return { open: async () => cache } as unknown as CacheStorage;
}

function source(online: { value: boolean }): ModelSource & { reads: number; lists: number } {
  const listing: ListedFile[] = [{ path: 'onnx/model_q4.onnx', size: 20_600_000 }];
  const s = {
    id: 'https://hub.example/o/m/resolve/main/',
    reads: 0,
    lists: 0,
    async list() {
      if (!online.value) throw new EngineError('network', 'offline');
      s.lists++;
      return listing;
    },
    async read() {
      if (!online.value) throw new EngineError('network', 'offline');
      s.reads++;
      return new Uint8Array([1, 2, 3]);
    },
  };
  return s;
}

describe('cachedSource', () => {
  it('answers the listing and the files from the cache after the first time, with no network', async () => {
    const online = { value: true };
    const inner = source(online);
    const cached = cachedSource(inner, memoryCaches());
    expect(await cached.list!()).toEqual([{ path: 'onnx/model_q4.onnx', size: 20_600_000 }]);
    expect(await cached.read('config.json')).toEqual(new Uint8Array([1, 2, 3]));
    online.value = false;
    expect(await cached.list!()).toEqual([{ path: 'onnx/model_q4.onnx', size: 20_600_000 }]);
    expect(await cached.read('config.json')).toEqual(new Uint8Array([1, 2, 3]));
    expect([inner.lists, inner.reads]).toEqual([1, 1]);
  });

  it('offline with nothing cached, the listing fails as the network did', async () => {
    const cached = cachedSource(source({ value: false }), memoryCaches());
    await expect(cached.list!()).rejects.toThrow('offline');
  });
});
