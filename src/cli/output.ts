/** The CLI's three output formats over one run: streamed JSON, NumPy .npy files, Embedding Projector TSV. */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { AlbertEngine, AlbertRun } from '../engine/albert.ts';
import { encodeNpy, stack } from '../engine/export/npy.ts';
import { precisionReport } from '../engine/fidelity.ts';
import { projectorFiles } from '../engine/export/runFiles.ts';
import { JsonStreamWriter } from './jsonWriter.ts';
import type { Similarity } from './similarity.ts';
import type { WindowedRun } from '../engine/windows.ts';

export interface Selection {
  /** Hidden-state indices to write. */
  layers: number[];
  /** Layers (1..L) whose attention maps to write, when asked for. */
  attentionLayers?: number[];
}

const ENCODING_FIELDS = [
  'tokens',
  'ids',
  'tokenTypeIds',
  'offsets',
  'special',
  'truncated',
  'droppedTokens',
] as const;

export async function writeJson(
  path: string | undefined,
  model: string,
  engine: AlbertEngine,
  run: AlbertRun,
  selection: Selection,
  similarity?: Similarity,
  windowed?: WindowedRun,
): Promise<void> {
  const out: Writable = path ? createWriteStream(path) : process.stdout;
  const json = new JsonStreamWriter(out);
  await json.begin();
  await json.field('model', model);
  await json.field('modelFile', engine.modelFile);
  await json.field('dtype', engine.loaded.dtype ?? null);
  // Where the numbers come from: float32, or a quantized/fp16 file with its typical distance from fp32.
  await json.field('precision', precisionReport(engine.prepared.precision));
  await json.field('backend', engine.backend);
  for (const key of ENCODING_FIELDS) await json.field(key, run[key]);
  // Before the (long) arrays, where a reader sees it first.
  if (similarity) await json.field('similarity', similarity);
  if (windowed) {
    const { count, overlap, maxLength, spans } = windowed.windows;
    await json.field('windows', { count, overlap, maxLength, spans });
    // The document vector of each printed layer: the mean over windows of each window's mean-pooled vector.
    const { data, dims } = windowed.documentVectors;
    const width = dims[1]!;
    await json.field(
      'documentVectors',
      selection.layers.map((l) => Array.from(data.subarray(l * width, (l + 1) * width))),
    );
  }
  await json.field('layers', selection.layers);
  await json.tensors(
    'hiddenStates',
    selection.layers.map((i) => run.hiddenStates[i]!),
  );
  if (selection.attentionLayers) {
    // Layer i (1..L) has an attention map; hidden state 0 (the embedding projection) has none.
    await json.field('attentionLayers', selection.attentionLayers);
    await json.tensors(
      'attentions',
      selection.attentionLayers.map((i) => run.attentions[i - 1]!),
    );
  }
  await json.end();
  if (path)
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
}

/** Writes FILE (hidden states) and, with attentions, FILE.attentions.npy; returns the paths written. */
export function writeNpy(path: string, run: AlbertRun, selection: Selection): string[] {
  const hidden = stack(selection.layers.map((i) => run.hiddenStates[i]!));
  writeFileSync(path, encodeNpy(hidden.data, hidden.dims));
  const written = [path];
  if (selection.attentionLayers) {
    const attentions = stack(selection.attentionLayers.map((i) => run.attentions[i - 1]!));
    const file = `${path.replace(/\.npy$/, '')}.attentions.npy`;
    writeFileSync(file, encodeNpy(attentions.data, attentions.dims));
    written.push(file);
  }
  return written;
}

/**
 * Writes DIR/vectors_layerN.tsv and DIR/metadata_layerN.tsv, the files the page downloads; returns the paths
 * written. The metadata's text column names the segment each token came from (its text, shortened), so the
 * Projector can colour by it.
 */
export function writeTsv(dir: string, run: AlbertRun, layer: number, texts: [string, string?]): string[] {
  mkdirSync(dir, { recursive: true });
  return projectorFiles(
    run.hiddenStates[layer]!,
    run.tokens,
    run.tokenTypeIds,
    [texts[0], texts[1] ?? ''],
    layer,
  ).map((file) => {
    const path = join(dir, file.name);
    writeFileSync(path, file.bytes);
    return path;
  });
}
