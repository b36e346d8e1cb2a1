/**
 * PCA (and UMAP) projection views: tokens as points (2-D or 3-D), coloured by group (segment, or text when comparing),
 * with each axis's explained variance; and "paths": every token's trajectory through the layers in one shared
 * basis. A fixed number of traces (one per group) whatever the token count, so redraws stay cheap.
 */
import type { Data } from 'plotly.js-dist-min';
import type { ProjectionView } from '../../worker/protocol.ts';
import type { Figure } from './types.ts';

/**
 * Above this many points, labels move from the plot into the hover text (they would cover each other) and
 * 2-D traces draw with WebGL, which redraws thousands of points in a few milliseconds where SVG takes 100+.
 */
export const MAX_LABELLED_POINTS = 80;

const pcaAxis = (ratio: number[]) => (i: number) => `PC${i + 1} (${((ratio[i] ?? 0) * 100).toFixed(1)}%)`;
/** UMAP's axes have no meaning of their own (no variance, no direction): they are only numbered. */
const umapAxis = (i: number) => `UMAP ${i + 1}`;

function axes(dims: 2 | 3, name: (i: number) => string): Figure['layout'] {
  const axis = (i: number) => ({ title: { text: name(i) } });
  return dims === 3
    ? { scene: { xaxis: axis(0), yaxis: axis(1), zaxis: axis(2) } }
    : { xaxis: axis(0), yaxis: axis(1) };
}

const members = (view: ProjectionView, g: number) =>
  view.groups.flatMap((group, i) => (group === g ? [i] : []));

/** The points at one layer: one trace per group, labelled when there are few. */
export function pcaScatter(view: ProjectionView, dims: 2 | 3, title: string): Figure {
  return scatter(view, dims, title, pcaAxis(view.projection.explainedRatio));
}

/** A UMAP layout, drawn as the PCA scatter is (so it downloads the same way), on numbered axes. */
export function umapScatter(view: ProjectionView, dims: 2 | 3, title: string): Figure {
  return scatter(view, dims, title, umapAxis);
}

function scatter(view: ProjectionView, dims: 2 | 3, title: string, axis: (i: number) => string): Figure {
  const { scores, k } = view.projection;
  const coord = (i: number, c: number) => (c < k ? scores[i * k + c]! : 0);
  const labelled = view.labels.length <= MAX_LABELLED_POINTS;
  const data: Data[] = view.groupNames.map((name, g) => {
    const points = members(view, g);
    const base = {
      name,
      mode: labelled ? ('text+markers' as const) : ('markers' as const),
      text: points.map((i) => view.labels[i]!),
      textposition: 'top center' as const,
      x: points.map((i) => coord(i, 0)),
      y: points.map((i) => coord(i, 1)),
      hovertemplate: '%{text}<extra>' + name.replace(/</g, '&lt;') + '</extra>',
    };
    return dims === 3
      ? { ...base, type: 'scatter3d' as const, z: points.map((i) => coord(i, 2)), marker: { size: 4 } }
      : { ...base, type: labelled ? ('scatter' as const) : ('scattergl' as const) };
  });
  return {
    data,
    layout: { title: { text: title }, ...axes(dims, axis), legend: { orientation: 'h' } },
  };
}

/**
 * Paths: per group, one trace whose lines join each token's positions from layer 0 to L (tokens separated by
 * gaps), markers coloured by layer.
 */
export function pcaPaths(view: ProjectionView, title: string): Figure {
  const { scores, k, explainedRatio, points } = view.projection;
  const at = (l: number, p: number, c: number) => (c < k ? scores[(l * points + p) * k + c]! : 0);
  const layers = Array.from({ length: view.layers }, (_, l) => l);
  const labelled = view.labels.length <= MAX_LABELLED_POINTS;
  const data: Data[] = view.groupNames.map((name, g) => {
    const x: (number | null)[] = [];
    const y: (number | null)[] = [];
    const hover: string[] = [];
    // Each path is named where it ends (the last layer); every point names itself on hover.
    const text: string[] = [];
    const color: (number | null)[] = [];
    for (const p of members(view, g)) {
      for (const l of layers) {
        x.push(at(l, p, 0));
        y.push(at(l, p, 1));
        hover.push(`${view.labels[p]} · layer ${l}`);
        text.push(labelled && l === view.layers - 1 ? view.labels[p]! : '');
        color.push(l);
      }
      x.push(null);
      y.push(null);
      hover.push('');
      text.push('');
      color.push(null);
    }
    return {
      type: labelled ? 'scatter' : 'scattergl',
      mode: labelled ? 'lines+markers+text' : 'lines+markers',
      name,
      x,
      y,
      text,
      customdata: hover,
      textposition: 'top center',
      connectgaps: false,
      line: { width: 1 },
      marker: {
        size: 6,
        color,
        colorscale: 'Viridis',
        cmin: 0,
        cmax: Math.max(view.layers - 1, 1),
        showscale: g === 0,
        colorbar: { title: { text: 'layer' }, dtick: 1 },
      },
      hovertemplate: '%{customdata}<extra></extra>',
    };
  });
  return {
    data,
    layout: { title: { text: title }, ...axes(2, pcaAxis(explainedRatio)), legend: { orientation: 'h' } },
  };
}
