/** The chart builders: engine tensors in, plotly data out, with the numbers, labels and scales a view needs. */
import type { Data as PlotData } from 'plotly.js-dist-min';
import { describe, expect, it } from 'vitest';
import { attentionArithmetic, attentionHeatmap } from './attention.ts';
import { embeddingHeatmap, layerCosineLines, normBars } from './embeddings.ts';
import { pcaPaths, pcaScatter } from './projection.ts';

const trace = (figure: { data: unknown[] }, i = 0) =>
  figure.data[i] as Partial<PlotData> & Record<string, unknown>;
const tokens = ['[CLS]', '▁the', '▁the', '[SEP]'];

describe('embedding charts', () => {
  const hidden = { data: Float32Array.from([0.5, -2, 1, 0, 0, 0, 3, -1]), dims: [4, 2] };

  it('heatmap: one row per token (repeated pieces stay apart), diverging scale centred on 0', () => {
    const t = trace(embeddingHeatmap(hidden, tokens, 'layer 3'));
    expect(t.type).toBe('heatmap');
    expect(t.z).toEqual([
      [0.5, -2],
      [1, 0],
      [0, 0],
      [3, -1],
    ]);
    expect(t.y).toEqual(['0 [CLS]', '1 ▁the', '2 ▁the', '3 [SEP]']);
    expect([t.zmid, t.zmin, t.zmax]).toEqual([0, -3, 3]);
    expect(t.hovertemplate).toMatch(/token %\{y\}.*dimension %\{x\}.*value %\{z/);
  });

  it('norm bars', () => {
    expect(trace(normBars(Float32Array.from([1, 2, 3, 4]), tokens, 'norms')).y).toEqual([1, 2, 3, 4]);
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
  it('heatmap with queries down and keys across', () => {
    const map = { data: Float32Array.from([1, 0, 0.25, 0.75]), dims: [2, 2] };
    const t = trace(attentionHeatmap(map, ['a', 'b'], 'layer 1 head 0'));
    expect(t.z).toEqual([
      [1, 0],
      [0.25, 0.75],
    ]);
    expect(t.x).toEqual(['0 a', '1 b']);
    // With specials hidden, labels keep the text's numbering.
    expect(trace(attentionHeatmap(map, ['a', 'b'], 't', [1, 2])).y).toEqual(['1 a', '2 b']);
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

describe('projection charts', () => {
  const points = { scores: Float32Array.from([1, 2, 3, 4, 5, 6]), k: 2, explainedRatio: [0.6, 0.25] };

  it('2-D scatter: one trace per group, labelled points, explained variance on the axes', () => {
    const figure = pcaScatter(points, ['a', 'b', 'c'], [0, 1, 0], ['segment A', 'segment B'], 2);
    expect(figure.data).toHaveLength(2);
    expect(trace(figure)).toMatchObject({
      type: 'scatter',
      x: [1, 5],
      y: [2, 6],
      text: ['a', 'c'],
      name: 'segment A',
    });
    expect(figure.layout.xaxis?.title).toEqual({ text: 'PC1 (60.0%)' });
    expect(figure.layout.yaxis?.title).toEqual({ text: 'PC2 (25.0%)' });
  });

  it('3-D scatter uses the third component', () => {
    const three = { scores: Float32Array.from([1, 2, 3]), k: 3, explainedRatio: [0.5, 0.3, 0.1] };
    expect(trace(pcaScatter(three, ['a'], [0], ['text 1'], 3))).toMatchObject({ type: 'scatter3d', z: [3] });
  });

  it('paths: one line per token through the layers', () => {
    const layerScores = [Float32Array.from([0, 0, 1, 1]), Float32Array.from([2, 2, 3, 3])];
    const figure = pcaPaths(layerScores, 2, ['a', 'b'], [0.5, 0.2]);
    expect(trace(figure, 1)).toMatchObject({ x: [1, 3], y: [1, 3], name: 'b' });
  });
});
