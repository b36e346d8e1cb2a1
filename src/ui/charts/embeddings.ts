/**
 * Token-embedding views: tokens × dimensions heatmap (diverging scale centred on 0), per-token norm bars, and
 * each token's layer-to-layer cosine as lines.
 */
import type { FloatTensor } from '../../engine/types.ts';
import type { HeatmapSpec } from './heatmap/scene.ts';
import { symmetricRange } from './heatmap/image.ts';
import { tokenLabels, type Figure } from './types.ts';

/**
 * Tokens × dimensions at one layer, on our canvas heatmap (768 columns × 512 rows is too much for plotly's
 * SVG path to redraw without stalling the page): diverging scale centred on 0, symmetric about it.
 */
export function embeddingHeatmapSpec(hidden: FloatTensor, tokens: string[], title: string): HeatmapSpec {
  const [n, width] = hidden.dims as [number, number];
  return {
    values: hidden.data,
    rows: n,
    cols: width,
    rowLabels: tokenLabels(tokens),
    title,
    xTitle: 'dimension',
    yTitle: 'token',
    legendTitle: 'value',
    range: symmetricRange(hidden.data),
    scale: 'diverging',
  };
}

/** Up to this many tokens, every bar is labelled on the axis; beyond, the axis is numbered and hover names. */
export const MAX_LABELLED_BARS = 64;

/**
 * One bar per token. Long texts get a numbered axis (plotly measures every category label on each redraw,
 * which at 512 tokens stalls the page for 100+ ms) with the token in the hover text, and the bars as one
 * stepped path.
 */
export function normBars(norms: Float32Array, tokens: string[], title: string): Figure {
  const labels = tokenLabels(tokens);
  const y = Array.from(norms);
  const hovertemplate = 'token %{text}<br>norm %{y:.4f}<extra></extra>';
  if (tokens.length <= MAX_LABELLED_BARS)
    return {
      data: [{ type: 'bar', x: labels, y, text: labels, textposition: 'none', hovertemplate }],
      layout: {
        title: { text: title },
        xaxis: { type: 'category', automargin: true },
        yaxis: { title: { text: 'norm' } },
      },
    };
  return {
    // One stepped, filled path instead of one SVG element per bar.
    data: [
      {
        type: 'scatter',
        mode: 'lines',
        line: { shape: 'hvh', width: 1 },
        fill: 'tozeroy',
        x: labels.map((_, i) => i),
        y,
        text: labels,
        hovertemplate,
      },
    ],
    layout: {
      title: { text: title },
      xaxis: { title: { text: 'token position' }, range: [-0.5, tokens.length - 0.5] },
      yaxis: { title: { text: 'norm' }, rangemode: 'tozero' },
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
