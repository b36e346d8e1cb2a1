import { describe, expect, it } from 'vitest';
import {
  alignmentSpec,
  crossAttentionSpec,
  lineLabel,
  linesMatrixSpec,
  linesProjection,
  similarityLines,
} from './compare.ts';

describe('compare charts', () => {
  it('similarity lines: one per pooling over the layers, the chosen one bold, the layer marked', () => {
    const f = similarityLines({ mean: [0.9, 0.8], cls: [0.5, 0.4], max: [0.95, 0.9] }, 1, 'cls');
    expect(f.data).toHaveLength(3);
    expect(f.data[1]).toMatchObject({ name: '[CLS] pooling', x: [0, 1], y: [0.5, 0.4], line: { width: 3 } });
    expect(f.layout.shapes?.[0]).toMatchObject({ x0: 1, x1: 1 });
  });

  it('alignment heatmap: A down, B across, −1..1', () => {
    const spec = alignmentSpec(
      {
        rows: [1, 2],
        cols: [1],
        cosines: { data: Float32Array.from([0.5, -0.2]), dims: [2, 1] },
        bestForRow: [0, 0],
        bestForCol: [0],
        precision: 0.5,
        recall: 0.15,
        f1: 0.23,
      },
      ['[CLS]', '▁a', '▁b', '[SEP]'],
      ['[CLS]', '▁c', '[SEP]'],
      4,
    );
    expect([spec.rows, spec.cols, spec.range]).toEqual([2, 1, { min: -1, max: 1 }]);
    expect(spec.rowLabels).toEqual(['1 ▁a', '2 ▁b']);
    expect(spec.colLabels).toEqual(['1 ▁c']);
  });

  it('cross-segment attention: layers × heads, scaled to the largest share', () => {
    const spec = crossAttentionSpec({ data: Float32Array.from([0.1, 0.4, 0.2, 0.3]), dims: [2, 2] }, 'A → B');
    expect(spec.rowLabels).toEqual(['layer 1', 'layer 2']);
    expect(spec.range).toEqual({ min: 0, max: Math.fround(0.4) });
  });

  it('lines matrix in cluster order; labels number the lines from 1', () => {
    const view = {
      count: 3,
      layer: 2,
      matrix: { data: Float32Array.from([1, 0.1, 0.9, 0.1, 1, 0.2, 0.9, 0.2, 1]), dims: [3, 3] },
      order: [0, 2, 1],
      neighbours: [],
      projection: { scores: new Float32Array(6), k: 2, explainedRatio: [0.7, 0.2], points: 3 },
    };
    const spec = linesMatrixSpec(view, ['alpha', 'beta', 'gamma']);
    expect(spec.rowLabels).toEqual(['1 alpha', '3 gamma', '2 beta']);
    expect(Array.from(spec.values).map((v) => Math.round(v * 10) / 10)).toEqual([
      1, 0.9, 0.1, 0.9, 1, 0.2, 0.1, 0.2, 1,
    ]);
    expect(linesProjection(view, ['alpha', 'beta', 'gamma']).labels).toEqual([
      '1 alpha',
      '2 beta',
      '3 gamma',
    ]);
    expect(lineLabel('x'.repeat(50), 0, 10)).toBe(`1 ${'x'.repeat(9)}…`);
  });
});
