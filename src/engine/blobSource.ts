/**
 * A model folder the user picked from disk (directory picker or drag and drop): files keyed by their path
 * inside the folder. Blobs read lazily, so only the ONNX file for the chosen dtype is ever read.
 */
import { EngineError, messageOf } from './errors.ts';
import type { ModelSource } from './modelSource.ts';

export interface PickedFile {
  /** Path inside the model folder, e.g. `onnx/model.onnx`. */
  path: string;
  file: Blob;
}

/** Drops the picked folder's own name: `albert/onnx/model.onnx` → `onnx/model.onnx`, when every path has it. */
export function stripCommonFolder(paths: string[]): (path: string) => string {
  const first = paths[0]?.split('/')[0];
  const shared = first !== undefined && paths.every((p) => p.includes('/') && p.split('/')[0] === first);
  return (path) => (shared ? path.slice(first!.length + 1) : path);
}

export function blobSource(name: string, files: PickedFile[]): ModelSource {
  const byPath = new Map(files.map((f) => [f.path, f.file]));
  return {
    id: `local folder "${name}"`,
    list: () => Promise.resolve(files.map((f) => ({ path: f.path, size: f.file.size }))),
    async read(path, onProgress) {
      const blob = byPath.get(path);
      if (!blob) throw new EngineError('missing-file', `${path} is missing from the folder "${name}"`, path);
      try {
        const bytes = new Uint8Array(await blob.arrayBuffer());
        onProgress?.({ file: path, loaded: bytes.byteLength, total: bytes.byteLength });
        return bytes;
      } catch (error) {
        throw new EngineError(
          'invalid-file',
          `could not read ${path} from "${name}": ${messageOf(error)}`,
          path,
        );
      }
    },
  };
}
