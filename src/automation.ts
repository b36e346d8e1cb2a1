/**
 * `window.albertPlayground`: a typed handle for end-to-end tests and for people at the browser console.
 * Numbers come back as nested arrays: hiddenStates[layer 0..L][token][hidden], attentions[layer][head][query][key].
 */
import type { AlbertRun } from './engine/albert.ts';
import type { BackendInfo, FloatTensor } from './engine/types.ts';

export interface EmbedResult {
  tokens: string[];
  ids: number[];
  tokenTypeIds: number[];
  hiddenStates: number[][][];
  attentions: number[][][][];
  backend: BackendInfo;
}

export interface AlbertPlaygroundApi {
  ready(): Promise<{ model: string; backend: BackendInfo }>;
  embed(text: string, pair?: string): Promise<EmbedResult>;
}

declare global {
  interface Window {
    albertPlayground?: AlbertPlaygroundApi;
  }
}

/** Nests a row-major tensor by its dims. */
export function nested(t: FloatTensor): unknown[] {
  const build = (offset: number, axis: number): unknown[] => {
    const size = t.dims[axis]!;
    if (axis === t.dims.length - 1) return Array.from(t.data.subarray(offset, offset + size));
    const stride = t.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: size }, (_, i) => build(offset + i * stride, axis + 1));
  };
  return build(0, 0);
}

export function toEmbedResult(run: AlbertRun): EmbedResult {
  return {
    tokens: run.tokens,
    ids: run.ids,
    tokenTypeIds: run.tokenTypeIds,
    hiddenStates: run.hiddenStates.map((t) => nested(t) as number[][]),
    attentions: run.attentions.map((t) => nested(t) as number[][][]),
    backend: run.backend,
  };
}
