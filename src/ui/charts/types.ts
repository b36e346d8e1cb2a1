/** What every chart builder returns: plotly traces and layout, as plain data (no plotly import needed). */
import type { Data, Layout } from 'plotly.js-dist-min';

export interface Figure {
  data: Data[];
  layout: Partial<Layout>;
}

/** Category labels that stay unique when tokens repeat ("5 ▁the"), so plotly does not merge rows. */
export const tokenLabels = (tokens: string[]) => tokens.map((t, i) => `${i} ${t}`);

/** A row-major [rows, cols] Float32Array as nested arrays, the form plotly's heatmap z takes. */
export function rows(data: Float32Array, rowCount: number, cols: number): number[][] {
  return Array.from({ length: rowCount }, (_, r) => Array.from(data.subarray(r * cols, (r + 1) * cols)));
}
