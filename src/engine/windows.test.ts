/**
 * Windows over long texts: the plan and the stitching as pure functions, then the engine's windowed run
 * against each window's text run on its own in Node (the independent reference: a plain `engine.run`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbertEngine, type AlbertRun } from './albert.ts';
import { pool } from './pooling.ts';
import { meanVector, pieceOwners, planWindows, runWindows, stitch, type WindowedRun } from './windows.ts';
import { tinyEngine } from './testing/tinyEngine.ts';

describe('planWindows', () => {
  it('cuts 1,000 pieces into windows of 510 that overlap by 128, the last one shorter', () => {
    expect(planWindows(1000, 510, 128)).toEqual([
      { start: 0, end: 510 },
      { start: 382, end: 892 },
      { start: 764, end: 1000 },
    ]);
  });

  it('keeps a text that fits as one window, and an empty text as one empty window', () => {
    expect(planWindows(510, 510, 128)).toEqual([{ start: 0, end: 510 }]);
    expect(planWindows(0, 510, 128)).toEqual([{ start: 0, end: 0 }]);
  });

  it('with no overlap, windows tile the text', () => {
    expect(planWindows(25, 10, 0)).toEqual([
      { start: 0, end: 10 },
      { start: 10, end: 20 },
      { start: 20, end: 25 },
    ]);
  });

  it.each([
    [510, 'smaller than the 510'],
    [-1, '0 or more'],
    [1.5, 'whole number'],
  ])('refuses overlap %d', (overlap, message) => {
    expect(() => planWindows(1000, 510, overlap)).toThrow(message);
  });
});

describe('pieceOwners', () => {
  it('hands over in the middle of the overlap, ties to the earlier window', () => {
    // Overlap 6..9: 6 and 7 are farther from window 0's edge than from window 1's, 8 and 9 the other way.
    const owners = pieceOwners(
      [
        { start: 0, end: 10 },
        { start: 6, end: 16 },
      ],
      16,
    );
    expect([...owners]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
    // An odd overlap (5..9, 5 pieces): 7 is 2 from both edges and stays with window 0.
    expect(
      [
        ...pieceOwners(
          [
            { start: 0, end: 10 },
            { start: 5, end: 15 },
          ],
          15,
        ),
      ].slice(5, 10),
    ).toEqual([0, 0, 0, 1, 1]);
  });
});

/** Window w's row r holds 100w + r, so every stitched row says where it came from. */
const tensor = (w: number) => ({
  data: Float32Array.from({ length: 6 }, (_, r) => 100 * w + r),
  dims: [6, 1],
});

describe('stitch', () => {
  it('takes [CLS] from the first window, each piece from its owner, [SEP] from the last', () => {
    const slices = [
      { start: 0, end: 4 },
      { start: 2, end: 6 },
    ];
    const stitched = stitch([tensor(0), tensor(1)], slices, pieceOwners(slices, 6), 1, 1);
    expect(stitched.dims).toEqual([8, 1]);
    // [CLS]=w0 row 0; pieces 0..2 from w0 rows 1..3; pieces 3..5 from w1 rows 2..4; [SEP]=w1 row 5.
    expect([...stitched.data]).toEqual([0, 1, 2, 3, 102, 103, 104, 105]);
  });
});

/** Whole words that are one piece each in the bundled model, so any slice of pieces is a text of its own. */
const WORDS = 'brown fox jumps over the lazy dog'.split(' ');
const longText = (pieces: number) =>
  Array.from({ length: pieces }, (_, i) => WORDS[i % WORDS.length]).join(' ');

/**
 * Largest |difference| between windowed and independent numbers. Measured 0: the same ids through the same
 * session give the same floats. Bound 1e-6 (float32 rounding, should a backend order sums differently).
 */
const TOLERANCE = 1e-6;

function maxRowDiff(
  a: AlbertRun['hiddenStates'][number],
  row: number,
  b: AlbertRun['hiddenStates'][number],
  bRow: number,
) {
  const width = a.dims[1]!;
  let max = 0;
  for (let d = 0; d < width; d++)
    max = Math.max(max, Math.abs(a.data[row * width + d]! - b.data[bRow * width + d]!));
  return max;
}

describe('runWindows on the bundled model', () => {
  let engine: AlbertEngine;
  let windowed: WindowedRun;
  const text = longText(1200);
  beforeAll(async () => {
    engine = await tinyEngine();
    windowed = await runWindows(engine, text, { overlap: 128 });
  });
  afterAll(() => engine.dispose());

  it('runs 1,200 pieces as 3 windows of up to 512 tokens and keeps every token', () => {
    const { run, windows } = windowed;
    expect(engine.tokenizer.maxLength).toBe(512);
    expect(windows).toMatchObject({ count: 3, overlap: 128, maxLength: 512 });
    expect(windows.spans).toEqual([
      [1, 511],
      [383, 893],
      [765, 1201],
    ]);
    expect(run.tokens).toHaveLength(1202);
    expect(run.truncated).toBe(false);
    expect(run.tokens[0]).toBe('[CLS]');
    expect(run.tokens.at(-1)).toBe('[SEP]');
    expect(run.hiddenStates).toHaveLength(4);
    expect(run.attentions).toEqual([]);
  });

  it("equals, token by token and at every layer, the owning window's text run on its own", async () => {
    const { run, windows } = windowed;
    const last = run.tokens.length - 1;
    let worst = 0;
    const alone: AlbertRun[] = [];
    for (let w = 0; w < windows.count; w++) {
      const [start, end] = windows.spans[w]!;
      const own = run.offsets.slice(start, end) as [number, number][];
      const reference = await engine.run(text.slice(own[0]![0], own.at(-1)![1]));
      alone.push(reference);
      // The window's text gives the same pieces: the comparison is of the same input.
      expect(reference.ids).toEqual([run.ids[0], ...run.ids.slice(start, end), run.ids[last]]);
      windows.owners.forEach((owner, token) => {
        if (owner !== w) return;
        // [CLS] is row 0 of the first window, [SEP] the last row of the last; a piece sits after [CLS].
        const row = token === 0 ? 0 : token === last ? reference.ids.length - 1 : token - start + 1;
        run.hiddenStates.forEach(
          (h, l) => (worst = Math.max(worst, maxRowDiff(h, token, reference.hiddenStates[l]!, row))),
        );
      });
    }
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
    // The document vector: the mean over windows of each window's mean-pooled vector.
    const width = engine.config.hidden_size;
    expect(windowed.documentVectors.dims).toEqual([4, width]);
    for (let l = 0; l < 4; l++) {
      const expected = meanVector(alone.map((r) => pool(r.hiddenStates[l]!, 'mean')));
      const got = windowed.documentVectors.data.subarray(l * width, (l + 1) * width);
      expect(Math.max(...got.map((x, d) => Math.abs(x - expected[d]!)))).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('runs a text that fits as the plain run, one window', async () => {
    const short = longText(40);
    const { run, windows, documentVectors } = await runWindows(engine, short, { overlap: 128 });
    const plain = await engine.run(short);
    expect(windows.count).toBe(1);
    expect(run.ids).toEqual(plain.ids);
    run.hiddenStates.forEach((h, l) => expect(h.data).toEqual(plain.hiddenStates[l]!.data));
    expect(documentVectors.data.subarray(3 * 32)).toEqual(pool(plain.hiddenStates[3]!, 'mean'));
  });
});
