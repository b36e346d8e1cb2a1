/**
 * public/models/manifest.json: the model folders served with the site, so the page can list them without
 * probing. Written by `npm run models:manifest` (also before every build, by fixtures and by models:fetch).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestEntry } from '../../src/app/models.ts';

export type { ManifestEntry };

const DTYPE_FILES = {
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q8: 'onnx/model_quantized.onnx',
} as const;

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
      return {
        name: e.name,
        path: `/models/${e.name}/`,
        dtypes: (Object.keys(DTYPE_FILES) as (keyof typeof DTYPE_FILES)[]).filter((d) =>
          existsSync(join(modelsDir, e.name, DTYPE_FILES[d])),
        ),
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
