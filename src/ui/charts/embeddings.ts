/**
 * Token-embedding views: tokens × dimensions heatmap (diverging scale centred on 0), per-token norm bars, and
 * each token's layer-to-layer cosine as lines.
 */
import type { FloatTensor } from '../../engine/types.ts';
import { rows, tokenLabels, type Figure } from './types.ts';

export function embeddingHeatmap(hidden: FloatTensor, tokens: string[], title: string): Figure {
  const [n, width] = hidden.dims as [number, number];
  let extreme = 0;
  for (const v of hidden.data) extreme = Math.max(extreme, Math.abs(v));
  return {
    data: [
      {
        type: 'heatmap',
        z: rows(hidden.data, n, width),
        x: Array.from({ length: width }, (_, d) => d),
        y: tokenLabels(tokens),
        zmid: 0,
        zmin: -extreme,
        zmax: extreme,
        colorscale: 'RdBu',
        reversescale: true,
        colorbar: { title: { text: 'value' } },
        hovertemplate: 'token %{y}<br>dimension %{x}<br>value %{z:.4f}<extra></extra>',
      },
    ],
    layout: {
      title: { text: title },
      xaxis: { title: { text: 'dimension' } },
      yaxis: { autorange: 'reversed', type: 'category', automargin: true },
      margin: { t: 40 },
    },
  };
}

export function normBars(norms: Float32Array, tokens: string[], title: string): Figure {
  return {
    data: [
      {
        type: 'bar',
        x: tokenLabels(tokens),
        y: Array.from(norms),
        hovertemplate: 'token %{x}<br>norm %{y:.4f}<extra></extra>',
      },
    ],
    layout: {
      title: { text: title },
      xaxis: { type: 'category', automargin: true },
      yaxis: { title: { text: 'norm' } },
    },
  };
}

/**
 * Lines of cos(h_i, h_{i+1}) per layer step: the selected token, and the mean over all tokens for context.
 * @param cosines [tokens, L] from engine/analysis layerCosines
 */
export function layerCosineLines(cosines: FloatTensor, tokens: string[], selected: number): Figure {
  const [n, steps] = cosines.dims as [number, number];
  const x = Array.from({ length: steps }, (_, l) => `${l}→${l + 1}`);
  const mean = x.map((_, l) => {
    let s = 0;
    for (let t = 0; t < n; t++) s += cosines.data[t * steps + l]!;
    return n ? s / n : 0;
  });
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: `${selected} ${tokens[selected] ?? ''}`,
        x,
        y: Array.from(cosines.data.subarray(selected * steps, (selected + 1) * steps)),
      },
      { type: 'scatter', mode: 'lines', name: 'mean over tokens', x, y: mean, line: { dash: 'dot' } },
    ],
    layout: {
      title: { text: 'How much each layer turns the token (cosine between consecutive layers)' },
      yaxis: { title: { text: 'cosine' }, range: [Math.min(0, ...mean) - 0.05, 1.05] },
      xaxis: { title: { text: 'layer step' } },
    },
  };
}
