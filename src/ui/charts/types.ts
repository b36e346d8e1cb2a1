/** What every chart builder returns: plotly traces and layout, as plain data (no plotly import needed). */
import type { Data, Layout } from 'plotly.js-dist-min';

export interface Figure {
  data: Data[];
  layout: Partial<Layout>;
}

/** Category labels that stay unique when tokens repeat ("5 ▁the"), so plotly does not merge rows. */
export const tokenLabels = (tokens: string[]) => tokens.map((t, i) => `${i} ${t}`);
