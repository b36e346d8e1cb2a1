import { describe, expect, it } from 'vitest';
import { exp, log, pow, withPortableMath } from './portableMath.ts';
import { seeded } from './random.ts';

/** Relative distance, in units of 2^−52 (the engine's Math is the reference; each is within an ulp or so). */
const ulps = (a: number, b: number) => Math.abs(a - b) / (Math.abs(b) * 2 ** -52 || Number.MIN_VALUE);

describe('portable exp, log and pow', () => {
  const random = seeded(1);
  const xs = Array.from({ length: 20_000 }, () => (random() - 0.5) * 1400);
  const positives = Array.from({ length: 20_000 }, () => 10 ** ((random() - 0.5) * 600));

  it('agree with Math to within 4 units in the last place across their ranges', () => {
    expect(Math.max(...xs.map((x) => ulps(exp(x), Math.exp(x))))).toBeLessThanOrEqual(4);
    expect(Math.max(...positives.map((x) => ulps(log(x), Math.log(x))))).toBeLessThanOrEqual(4);
    // pow goes through exp(y log x): its error grows with |y log x| (≤ 40 here, as in UMAP's gradients).
    const pairs = Array.from(
      { length: 5000 },
      () => [10 ** ((random() - 0.5) * 6), (random() - 0.5) * 8] as const,
    );
    expect(Math.max(...pairs.map(([x, y]) => ulps(pow(x, y), Math.pow(x, y))))).toBeLessThanOrEqual(64);
  });

  it('handle the special values as Math does', () => {
    for (const x of [0, -0, Infinity, -Infinity, NaN, 800, -800]) expect(exp(x)).toBe(Math.exp(x));
    for (const x of [1, -1, 1e-310, -708, 709]) expect(ulps(exp(x), Math.exp(x))).toBeLessThanOrEqual(4);
    for (const x of [0, 1, Infinity, -1, NaN]) expect(log(x)).toBe(Math.log(x));
    expect(ulps(log(5e-324), Math.log(5e-324))).toBeLessThanOrEqual(4);
    expect(ulps(log(2.5e-310), Math.log(2.5e-310))).toBeLessThanOrEqual(4);
    const cases: [number, number][] = [
      [2, 10],
      [3, -2],
      [-2, 3],
      [-2, 0.5],
      [0, 2],
      [0, -1],
      [5, 0],
      [NaN, 0],
      [Infinity, 2],
      [Infinity, -2],
      [0.5, Infinity],
      [2, -Infinity],
    ];
    for (const [x, y] of cases) expect(pow(x, y)).toBe(Math.pow(x, y));
  });

  it('replace Math only while the work runs', () => {
    const own = Math.exp;
    expect(withPortableMath(() => Math.exp === exp && Math.log === log && Math.pow === pow)).toBe(true);
    expect(Math.exp).toBe(own);
    expect(() =>
      withPortableMath(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(Math.exp).toBe(own);
  });
});
