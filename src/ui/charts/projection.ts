/**
 * PCA projection views: tokens as points (2-D or 3-D), labelled, coloured by group (segment or text), with each
 * axis's explained variance; and "paths": every token's trajectory through the layers in one shared basis.
 */
import type { Data } from 'plotly.js-dist-min';
import type { Figure } from './types.ts';

export interface ProjectedPoints {
  /** n × k row-major coordinates. */
  scores: Float32Array;
  k: number;
  explainedRatio: number[];
}

const axisTitle = (i: number, ratio: number[]) => `PC${i + 1} (${((ratio[i] ?? 0) * 100).toFixed(1)}%)`;

export function pcaScatter(
  points: ProjectedPoints,
  labels: string[],
  groups: number[],
  groupNames: string[],
  dims: 2 | 3,
): Figure {
  const { scores, k, explainedRatio } = points;
  const coord = (i: number, c: number) => (c < k ? scores[i * k + c]! : 0);
  const data: Data[] = groupNames.map((name, g) => {
    const members = labels.map((_, i) => i).filter((i) => groups[i] === g);
    const base = {
      name,
      mode: 'text+markers' as const,
      text: members.map((i) => labels[i]!),
      textposition: 'top center' as const,
      x: members.map((i) => coord(i, 0)),
      y: members.map((i) => coord(i, 1)),
      hovertemplate: '%{text}<extra>' + name + '</extra>',
    };
    return dims === 3
      ? { ...base, type: 'scatter3d' as const, z: members.map((i) => coord(i, 2)) }
      : { ...base, type: 'scatter' as const };
  });
  const axes =
    dims === 3
      ? {
          scene: {
            xaxis: { title: { text: axisTitle(0, explainedRatio) } },
            yaxis: { title: { text: axisTitle(1, explainedRatio) } },
            zaxis: { title: { text: axisTitle(2, explainedRatio) } },
          },
        }
      : {
          xaxis: { title: { text: axisTitle(0, explainedRatio) } },
          yaxis: { title: { text: axisTitle(1, explainedRatio) } },
        };
  return { data, layout: { title: { text: 'PCA of the token vectors' }, ...axes } };
}

/**
 * @param layerScores per layer (0..L), n × k coordinates of the n tokens in one basis fitted over all layers
 */
export function pcaPaths(
  layerScores: Float32Array[],
  k: number,
  labels: string[],
  explainedRatio: number[],
): Figure {
  const data: Data[] = labels.map((label, t) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name: label,
    x: layerScores.map((s) => s[t * k]!),
    y: layerScores.map((s) => (k > 1 ? s[t * k + 1]! : 0)),
    text: layerScores.map((_, l) => `${label} · layer ${l}`),
    hovertemplate: '%{text}<extra></extra>',
  }));
  return {
    data,
    layout: {
      title: { text: 'Paths: each token through the layers (one PCA basis for all layers)' },
      xaxis: { title: { text: axisTitle(0, explainedRatio) } },
      yaxis: { title: { text: axisTitle(1, explainedRatio) } },
    },
  };
}
