/** The chart builders: engine tensors in, plotly data out, with the numbers, labels and scales a view needs. */
import type { Data as PlotData } from 'plotly.js-dist-min';
import { describe, expect, it } from 'vitest';
import { attentionArithmetic } from '../../engine/arithmetic.ts';
import { attentionHeatmapSpec, thumbnailViews } from './attention.ts';
import { embeddingHeatmapSpec, layerCosineLines, MAX_LABELLED_BARS, normBars } from './embeddings.ts';
import type { ProjectionView } from '../../worker/protocol.ts';
import { MAX_LABELLED_POINTS, pcaPaths, pcaScatter } from './projection.ts';

const trace = (figure: { data: unknown[] }, i = 0) =>
  figure.data[i] as Partial<PlotData> & Record<string, unknown>;
const tokens = ['[CLS]', '▁the', '▁the', '[SEP]'];

describe('embedding charts', () => {
  const hidden = { data: Float32Array.from([0.5, -2, 1, 0, 0, 0, 3, -1]), dims: [4, 2] };

  it('heatmap: one row per token (repeated pieces stay apart), diverging scale symmetric about 0', () => {
    const spec = embeddingHeatmapSpec(hidden, tokens, 'layer 3');
    expect([spec.rows, spec.cols, spec.scale]).toEqual([4, 2, 'diverging']);
    expect(spec.values).toBe(hidden.data);
    expect(spec.rowLabels).toEqual(['0 [CLS]', '1 ▁the', '2 ▁the', '3 [SEP]']);
    expect(spec.range).toEqual({ min: -3, max: 3 });
    expect(spec.colLabels).toBeUndefined();
  });

  it('norm bars: labelled by token; long texts get a numbered axis with the token in the hover', () => {
    const short = normBars(Float32Array.from([1, 2, 3, 4]), tokens, 'norms');
    expect(trace(short)).toMatchObject({ y: [1, 2, 3, 4], x: ['0 [CLS]', '1 ▁the', '2 ▁the', '3 [SEP]'] });
    expect(short.layout.xaxis?.type).toBe('category');
    const many = Array.from({ length: MAX_LABELLED_BARS + 1 }, (_, i) => `t${i}`);
    const long = normBars(new Float32Array(many.length), many, 'norms');
    expect(trace(long).x).toEqual(many.map((_, i) => i));
    expect((trace(long).text as string[])[64]).toBe('64 t64');
    expect(trace(long)).toMatchObject({ type: 'scatter', line: { shape: 'hvh' }, fill: 'tozeroy' });
  });

  it('layer-to-layer cosines: the selected token and the mean', () => {
    const cosines = { data: Float32Array.from([1, 0.5, 0.9, 0.7, 0.8, 0.6, 0.6, 0.2]), dims: [4, 2] };
    const figure = layerCosineLines(cosines, tokens, 1);
    expect(trace(figure).x).toEqual(['0→1', '1→2']);
    expect(trace(figure).y).toEqual([Math.fround(0.9), Math.fround(0.7)]);
    expect((trace(figure, 1).y as number[]).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.825, 0.5]);
  });
});

describe('attention charts', () => {
  it('heatmap with queries down and keys across, scaled from 0 to the largest weight', () => {
    const map = { data: Float32Array.from([0.5, 0, 0.25, 0.25]), dims: [2, 2] };
    const spec = attentionHeatmapSpec(map, ['a', 'b'], 'layer 1 head 0');
    expect([spec.rows, spec.cols, spec.scale]).toEqual([2, 2, 'sequential']);
    expect(spec.colLabels).toEqual(['0 a', '1 b']);
    expect(spec.range).toEqual({ min: 0, max: 0.5 });
    // With specials hidden, labels keep the text's numbering.
    expect(attentionHeatmapSpec(map, ['a', 'b'], 't', [1, 2]).rowLabels).toEqual(['1 a', '2 b']);
  });

  it('thumbnails: one view per layer and head, layer-major', () => {
    const maps = { data: Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i), dims: [2, 3, 2, 2] };
    const views = thumbnailViews(maps);
    expect(views).toHaveLength(2);
    expect(views[1]).toHaveLength(3);
    expect(Array.from(views[1]![2]!)).toEqual([20, 21, 22, 23]);
  });

  it('arithmetic: softmax of the scores, the denominator, the cell share, and agreement with the model', () => {
    // Scores ln 1, ln 3, ln 4 → numerators (after subtracting the max) 1/4, 3/4, 1 → softmax 1/8, 3/8, 1/2.
    const scores = Float32Array.from([Math.log(1), Math.log(3), Math.log(4)]);
    const model = Float32Array.from([0.125, 0.375, 0.5]);
    const a = attentionArithmetic(scores, model, ['x', 'y', 'z'], 1);
    expect(a.rows.map((r) => r.numerator)).toEqual([0.25, 0.75, 1].map((v) => expect.closeTo(v, 6)));
    expect(a.denominator).toBeCloseTo(2, 6);
    expect(a.share).toBeCloseTo(0.375, 6);
    expect(a.maxDifference).toBeLessThan(1e-6);
    expect(
      attentionArithmetic(scores, Float32Array.from([0.5, 0.25, 0.25]), ['x', 'y', 'z'], 0).maxDifference,
    ).toBeCloseTo(0.375, 6);
  });
});

const projectionView = (over: Partial<ProjectionView> = {}): ProjectionView => ({
  projection: {
    scores: Float32Array.from([1, 2, 3, 4, 5, 6]),
    k: 2,
    explainedRatio: [0.6, 0.25],
    points: 3,
  },
  labels: ['0 a', '1 b', '2 c'],
  groups: [0, 1, 0],
  groupNames: ['segment A', 'segment B'],
  layers: 1,
  ...over,
});

describe('projection charts', () => {
  const view = projectionView;

  it('2-D scatter: one trace per group, labelled points, explained variance on the axes', () => {
    const figure = pcaScatter(view(), 2, 'PCA');
    expect(figure.data).toHaveLength(2);
    expect(trace(figure)).toMatchObject({
      type: 'scatter',
      mode: 'text+markers',
      x: [1, 5],
      y: [2, 6],
      text: ['0 a', '2 c'],
      name: 'segment A',
    });
    expect(figure.layout.xaxis?.title).toEqual({ text: 'PC1 (60.0%)' });
    expect(figure.layout.yaxis?.title).toEqual({ text: 'PC2 (25.0%)' });
  });

  it('drops on-plot labels when there are too many points (they stay in the hover)', () => {
    const n = MAX_LABELLED_POINTS + 1;
    const many = view({
      projection: { scores: new Float32Array(n * 2), k: 2, explainedRatio: [0.5, 0.5], points: n },
      labels: Array.from({ length: n }, (_, i) => `${i}`),
      groups: new Array<number>(n).fill(0),
      groupNames: ['tokens'],
    });
    expect(trace(pcaScatter(many, 2, 'PCA'))).toMatchObject({ mode: 'markers', type: 'scattergl' });
  });

  it('3-D scatter uses the third component', () => {
    const three = view({
      projection: { scores: Float32Array.from([1, 2, 3]), k: 3, explainedRatio: [0.5, 0.3, 0.1], points: 1 },
      labels: ['0 a'],
      groups: [0],
      groupNames: ['text 1'],
    });
    expect(trace(pcaScatter(three, 3, 'PCA'))).toMatchObject({ type: 'scatter3d', z: [3] });
  });

  it('paths: per group one trace joining each token through the layers, gaps between tokens', () => {
    // Two layers, two tokens, k = 2; scores are layer-major: layer 0 (a, b), then layer 1 (a, b).
    const paths = view({
      projection: {
        scores: Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3]),
        k: 2,
        explainedRatio: [0.5, 0.2],
        points: 2,
      },
      labels: ['0 a', '1 b'],
      groups: [0, 0],
      groupNames: ['tokens'],
      layers: 2,
    });
    const t = trace(pcaPaths(paths, 'paths'));
    expect(t.x).toEqual([0, 2, null, 1, 3, null]);
    expect(t.y).toEqual([0, 2, null, 1, 3, null]);
    expect((t.marker as { color: unknown }).color).toEqual([0, 1, null, 0, 1, null]);
    expect(t.customdata).toEqual([
      '0 a · layer 0',
      '0 a · layer 1',
      '',
      '1 b · layer 0',
      '1 b · layer 1',
      '',
    ]);
    // Each path is labelled where it ends.
    expect(t.text).toEqual(['', '0 a', '', '', '1 b', '']);
  });
});
