/** Model folders from the directory picker or from drag and drop, as paths inside the folder plus files. */
import { stripCommonFolder, type PickedFile } from '../engine/blobSource.ts';

export interface PickedFolder {
  name: string;
  files: PickedFile[];
}

function asFolder(entries: { path: string; file: File }[]): PickedFolder | undefined {
  if (entries.length === 0) return undefined;
  const paths = entries.map((e) => e.path);
  const strip = stripCommonFolder(paths);
  const name = paths[0]!.includes('/') ? paths[0]!.split('/')[0]! : 'folder';
  return { name, files: entries.map((e) => ({ path: strip(e.path), file: e.file })) };
}

/** From `<input type="file" webkitdirectory>`. */
export function folderFromInput(files: FileList | null): PickedFolder | undefined {
  return asFolder([...(files ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file })));
}

function readEntry(entry: FileSystemEntry, prefix: string): Promise<{ path: string; file: File }[]> {
  if (entry.isFile)
    return new Promise((resolve, reject) =>
      (entry as FileSystemFileEntry).file(
        (file) => resolve([{ path: `${prefix}${entry.name}`, file }]),
        reject,
      ),
    );
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const all: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    // readEntries returns batches until it returns an empty one.
    const next = () =>
      reader.readEntries(async (batch) => {
        if (batch.length) {
          all.push(...batch);
          next();
          return;
        }
        const nested = await Promise.all(all.map((e) => readEntry(e, `${prefix}${entry.name}/`)));
        resolve(nested.flat());
      }, reject);
    next();
  });
}

/**
 * Loose files (a drop of a folder's files rather than the folder): ONNX files go under `onnx/`, as the layout
 * expects, and the rest stay at the top.
 */
export function folderFromLooseFiles(files: File[]): PickedFolder | undefined {
  if (files.length === 0) return undefined;
  return {
    name: 'dropped files',
    files: files.map((file) => ({
      path: file.name.endsWith('.onnx') ? `onnx/${file.name}` : file.name,
      file,
    })),
  };
}

/** From a drop of a folder, or of a folder's files. */
export async function folderFromDrop(data: DataTransfer): Promise<PickedFolder | undefined> {
  const entries = [...data.items]
    .map((item) => item.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return folderFromLooseFiles([...data.files]);
  const files = (await Promise.all(entries.map((e) => readEntry(e, '')))).flat();
  return asFolder(files);
}
