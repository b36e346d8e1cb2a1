/**
 * public/models/manifest.json: the model folders served with the site, so the page can list them without
 * probing. Written by `npm run models:manifest` (also before every build, by fixtures and by models:fetch).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ManifestEntry } from '../../src/shared/models.ts';
import { onnxFilesOf } from '../../src/engine/modelFiles.ts';
import type { ListedFile } from '../../src/engine/modelSource.ts';

export type { ManifestEntry };

/** A folder's ONNX files (any depth), with sizes, in the order the engine lists them. */
function onnxFiles(dir: string) {
  const listed = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.onnx'))
    .map((e) => join(e.parentPath, e.name))
    .map((file) => ({ path: relative(dir, file).split('\\').join('/'), size: statSync(file).size }));
  return onnxFilesOf(listed);
}

/**
 * Every file of a folder with its size and SHA-256: the worker lists the folder from this instead of probing
 * it, and keys the surgered graph it keeps in the browser by the hash.
 */
function listing(dir: string): ListedFile[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .map((file) => ({
      path: relative(dir, file).split('\\').join('/'),
      size: statSync(file).size,
      hash: `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`,
    }))
    .toSorted((a, b) => a.path.localeCompare(b.path));
}

export function buildManifest(modelsDir: string): ManifestEntry[] {
  if (!existsSync(modelsDir)) return [];
  return readdirSync(modelsDir, { withFileTypes: true })
    .filter(
      (e) => e.isDirectory() && !e.name.startsWith('.') && existsSync(join(modelsDir, e.name, 'config.json')),
    )
    .map((e) => {
      const config = JSON.parse(readFileSync(join(modelsDir, e.name, 'config.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      const files = onnxFiles(join(modelsDir, e.name));
      return {
        name: e.name,
        path: `/models/${e.name}/`,
        dtypes: files.flatMap((f) => (f.dtype ? [f.dtype] : [])),
        files,
        listing: listing(join(modelsDir, e.name)),
        layers: Number(config.num_hidden_layers),
        hiddenSize: Number(config.hidden_size),
        randomWeights: config.albert_playground_random_weights === true,
      };
    })
    .toSorted((a, b) => a.name.localeCompare(b.name));
}

export function writeManifest(modelsDir = 'public/models'): ManifestEntry[] {
  const entries = buildManifest(modelsDir);
  writeFileSync(join(modelsDir, 'manifest.json'), `${JSON.stringify({ models: entries }, null, 2)}\n`);
  return entries;
}
