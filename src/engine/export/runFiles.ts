/**
 * Files a run exports for other tools: hidden states and attentions as NumPy arrays, and the TensorFlow
 * Embedding Projector's vectors/metadata pair for one layer. Pure: bytes in memory, named.
 */
import type { FloatTensor } from '../types.ts';
import { encodeNpy, stack } from './npy.ts';
import { projectorMetadataTsv, projectorVectorsTsv } from './projectorTsv.ts';

export interface ExportFile {
  name: string;
  mime: string;
  bytes: Uint8Array;
}

const NPY = 'application/octet-stream';
const TSV = 'text/tab-separated-values';

/** (layers, tokens, hidden) for all L+1 hidden states. */
export function hiddenStatesNpy(hiddenStates: FloatTensor[]): ExportFile {
  const all = stack(hiddenStates);
  return { name: 'hidden_states.npy', mime: NPY, bytes: encodeNpy(all.data, all.dims) };
}

/** (layers, heads, tokens, tokens) for all L attention maps. */
export function attentionsNpy(attentions: FloatTensor[]): ExportFile {
  const all = stack(attentions);
  return { name: 'attentions.npy', mime: NPY, bytes: encodeNpy(all.data, all.dims) };
}

/** A text as a metadata label: whitespace folded, long texts cut (the Projector shows labels in a list). */
export function segmentLabel(text: string): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length > 60 ? `${folded.slice(0, 59)}…` : folded;
}

/**
 * The Projector pair for one layer (the page's download and the CLI's `--format tsv` alike); `texts[i]` names
 * segment i in the metadata, as a label.
 */
export function projectorFiles(
  hidden: FloatTensor,
  tokens: string[],
  tokenTypeIds: number[],
  texts: string[],
  layer: number,
): ExportFile[] {
  const [rows, width] = hidden.dims as [number, number];
  const encoder = new TextEncoder();
  return [
    {
      name: `vectors_layer${layer}.tsv`,
      mime: TSV,
      bytes: encoder.encode(projectorVectorsTsv(hidden.data, rows, width)),
    },
    {
      name: `metadata_layer${layer}.tsv`,
      mime: TSV,
      bytes: encoder.encode(
        projectorMetadataTsv(
          tokens.map((token, position) => ({
            token,
            position,
            text: segmentLabel(texts[tokenTypeIds[position] ?? 0] ?? ''),
          })),
        ),
      ),
    },
  ];
}
