import { describe, expect, it } from 'vitest';
import { crossSegmentAttention, perLayerSimilarity, tokenAlignment } from './similarity.ts';

const t = (rows: number[][]) => ({
  data: Float32Array.from(rows.flat()),
  dims: [rows.length, rows[0]!.length],
});

describe('similarity', () => {
  it('per layer, per pooling, by hand', () => {
    // A = tokens (1,0), (0,1); B = tokens (1,0), (1,0).
    const a = t([
      [1, 0],
      [0, 1],
    ]);
    const b = t([
      [1, 0],
      [1, 0],
    ]);
    const s = perLayerSimilarity([a, b], [b, b]);
    // mean: (0.5,0.5)·(1,0) / (√0.5 · 1) = √0.5; cls: (1,0)·(1,0) = 1; max: (1,1)·(1,0)/√2 = √0.5.
    expect(s.mean[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(s.cls[0]).toBeCloseTo(1, 6);
    expect(s.max[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(s.mean[1]).toBeCloseTo(1, 6);
  });

  it('alignment: best matches and BERTScore precision, recall, F1 on a constructed case', () => {
    // A's tokens: x, y, and a special at row 0 left out. B's tokens: x, x+y direction, z.
    const a = t([
      [9, 9, 9],
      [1, 0, 0],
      [0, 1, 0],
    ]);
    const b = t([
      [1, 0, 0],
      [1, 1, 0],
      [0, 0, 1],
    ]);
    const al = tokenAlignment(a, b, [1, 2], [0, 1, 2]);
    const r = Math.SQRT1_2;
    expect(Array.from(al.cosines.data)).toEqual([1, r, 0, 0, r, 0].map((v) => expect.closeTo(v, 6)));
    expect(al.bestForRow).toEqual([0, 1]); // x ↔ x; y ↔ x+y
    expect(al.bestForCol).toEqual([0, 0, 0]); // z matches nothing: cosine 0 everywhere, first wins
    // Recall: A's best cosines 1 and √½; precision: B's best cosines 1, √½, 0.
    expect(al.recall).toBeCloseTo((1 + r) / 2, 6);
    expect(al.precision).toBeCloseTo((1 + r) / 3, 6);
    expect(al.f1).toBeCloseTo((2 * al.precision * al.recall) / (al.precision + al.recall), 9);
  });

  it('cross-segment attention: the share each segment’s queries give the other', () => {
    // 1 layer, 1 head, tokens A A B. Rows: queries.
    const att = { data: Float32Array.from([0.5, 0.3, 0.2, 0.1, 0.1, 0.8, 0.6, 0.0, 0.4]), dims: [1, 3, 3] };
    const { aToB, bToA } = crossSegmentAttention([att], [0, 0, 1]);
    expect(aToB.data[0]).toBeCloseTo((0.2 + 0.8) / 2, 6);
    expect(bToA.data[0]).toBeCloseTo(0.6, 6);
    expect(aToB.dims).toEqual([1, 1]);
  });
});
