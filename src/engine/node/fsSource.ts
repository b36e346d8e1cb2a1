/** A model folder on the local filesystem (Node only: the CLI, tests and benchmarks). */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { EngineError, messageOf } from '../errors.ts';
import type { ModelSource } from '../modelSource.ts';

export async function fsSource(dir: string): Promise<ModelSource> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new EngineError('missing-file', `model folder ${root} does not exist`);
  if (!info.isDirectory())
    throw new EngineError('invalid-file', `${root} is not a folder (expected a model folder)`);
  return {
    id: root,
    async list() {
      const entries = await readdir(root, { recursive: true, withFileTypes: true });
      const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
      return Promise.all(
        files.map(async (file) => ({
          path: relative(root, file).split('\\').join('/'),
          size: (await stat(file)).size,
        })),
      );
    },
    async read(path, onProgress) {
      const file = join(root, path);
      try {
        const bytes = new Uint8Array(await readFile(file));
        onProgress?.({ file: path, loaded: bytes.byteLength, total: bytes.byteLength });
        return bytes;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          throw new EngineError('missing-file', `${path} is missing from ${root}`, path);
        throw new EngineError('invalid-file', `could not read ${file}: ${messageOf(error)}`, path);
      }
    },
  };
}
