/**
 * Chart data for comparing texts: the similarity of two texts at every layer (one line per pooling), their
 * token-alignment heatmap, how much attention crosses between the segments of their pair, and for many lines,
 * the cosine matrix in cluster order and a PCA of the sentence vectors.
 */
import type { Pooling } from '../../engine/pooling.ts';
import type { Alignment } from '../../engine/similarity.ts';
import type { FloatTensor } from '../../engine/types.ts';
import type { LinesView, ProjectionView } from '../../worker/protocol.ts';
import { valueRange } from './heatmap/image.ts';
import type { HeatmapSpec } from './heatmap/scene.ts';
import type { Figure } from './types.ts';

const POOLING_NAMES: Record<Pooling, string> = { mean: 'mean', cls: '[CLS]', max: 'max' };

/** cos(A, B) per layer, one line per pooling; the selected layer marked. */
export function similarityLines(perLayer: Record<Pooling, number[]>, layer: number, chosen: Pooling): Figure {
  const entries = Object.entries(perLayer) as [Pooling, number[]][];
  const layers = entries[0]?.[1].map((_, l) => l) ?? [];
  const low = Math.min(0, ...entries.flatMap(([, v]) => v));
  return {
    data: entries.map(([pooling, values]) => ({
      type: 'scatter',
      mode: 'lines+markers',
      name: `${POOLING_NAMES[pooling]} pooling`,
      x: layers,
      y: values,
      line: { width: pooling === chosen ? 3 : 1.5 },
      hovertemplate: `layer %{x}: %{y:.4f}<extra>${POOLING_NAMES[pooling]}</extra>`,
    })),
    layout: {
      title: { text: 'Cosine similarity of A and B at each layer' },
      xaxis: { title: { text: 'layer (0 = embedding projection)' }, dtick: 1 },
      yaxis: { title: { text: 'cosine' }, range: [low - 0.05, 1.05] },
      shapes: [
        { type: 'line', x0: layer, x1: layer, yref: 'paper', y0: 0, y1: 1, line: { dash: 'dot', width: 1 } },
      ],
    },
  };
}

const label = (tokens: string[], i: number) => `${i} ${tokens[i] ?? ''}`;

/** Cosines between A's tokens (rows) and B's (columns), on a diverging scale from −1 to 1. */
export function alignmentSpec(
  al: Alignment,
  tokensA: string[],
  tokensB: string[],
  layer: number,
): HeatmapSpec {
  return {
    values: al.cosines.data,
    rows: al.rows.length,
    cols: al.cols.length,
    rowLabels: al.rows.map((i) => label(tokensA, i)),
    colLabels: al.cols.map((i) => label(tokensB, i)),
    title: `Token alignment at layer ${layer}: cosine between A's and B's tokens ([CLS]/[SEP] left out)`,
    xTitle: 'B',
    yTitle: 'A',
    legendTitle: 'cosine',
    range: { min: -1, max: 1 },
    scale: 'diverging',
  };
}

/** [L, heads] share of attention crossing from one segment to the other, layers down, heads across. */
export function crossAttentionSpec(shares: FloatTensor, title: string): HeatmapSpec {
  const [layers, heads] = shares.dims as [number, number];
  const { max } = valueRange(shares.data);
  return {
    values: shares.data,
    rows: layers,
    cols: heads,
    rowLabels: Array.from({ length: layers }, (_, l) => `layer ${l + 1}`),
    colLabels: Array.from({ length: heads }, (_, h) => `head ${h}`),
    title,
    xTitle: 'head',
    yTitle: 'layer',
    legendTitle: 'share',
    range: { min: 0, max: max || 1 },
    scale: 'sequential',
  };
}

/** A line as a label: its number (1-based, as in the box) and its start. */
export const lineLabel = (line: string, index: number, width = 40) =>
  `${index + 1} ${line.length > width ? `${line.slice(0, width - 1)}…` : line}`;

/** The lines' cosine matrix with rows and columns in cluster order, so similar lines form blocks. */
export function linesMatrixSpec(view: LinesView, lines: string[]): HeatmapSpec {
  const n = view.count;
  const values = new Float32Array(n * n);
  view.order.forEach((i, r) =>
    view.order.forEach((j, c) => (values[r * n + c] = view.matrix.data[i * n + j]!)),
  );
  const labels = view.order.map((i) => lineLabel(lines[i] ?? '', i));
  return {
    values,
    rows: n,
    cols: n,
    rowLabels: labels,
    colLabels: labels,
    title: `Cosine similarity of the lines at layer ${view.layer}, in cluster order`,
    xTitle: 'line',
    yTitle: 'line',
    legendTitle: 'cosine',
    range: { min: -1, max: 1 },
    scale: 'diverging',
  };
}

/** The lines' PCA as the projection view's points, for the projection chart. */
export function linesProjection(view: LinesView, lines: string[]): ProjectionView {
  return {
    projection: view.projection,
    labels: lines.slice(0, view.count).map((l, i) => lineLabel(l, i, 30)),
    groups: new Array<number>(view.count).fill(0),
    groupNames: ['lines'],
    layers: 1,
  };
}
