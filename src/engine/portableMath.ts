/**
 * exp, log and pow from +, −, ×, ÷ and exact bit operations only, so that they give the same bits in every
 * JavaScript engine. Engines' own Math.exp/log/pow differ in the last bit (Node 20's V8 and Chromium 156's
 * disagree on about one input in ten), and UMAP's stochastic gradient descent turns such a bit into a different
 * layout after a few hundred epochs. Accurate to a few units in the last place, which is all a layout needs.
 */

const LN2_HI = 6.9314718036912381649e-1; // the top 32 bits of ln 2: k · LN2_HI is exact for |k| < 2^20
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = Math.LOG2E;

const bits = new DataView(new ArrayBuffer(8));

/** 2^k for an integer −1022 ≤ k ≤ 1023, built from its exponent bits (exact). */
function twoTo(k: number): number {
  bits.setUint32(0, (k + 1023) << 20);
  bits.setUint32(4, 0);
  return bits.getFloat64(0);
}

/** x · 2^k, exact unless the result under- or overflows, for any integer k within ±2,100. */
function scale(x: number, k: number): number {
  let y = x;
  let e = k;
  while (e > 1023) {
    y *= twoTo(1023);
    e -= 1023;
  }
  while (e < -1022) {
    y *= twoTo(-1022);
    e += 1022;
  }
  return y * twoTo(e);
}

/** 1/n! for n = 0 … 13 (products of doubles are the same in every engine; divisions are slower). */
const INVERSE_FACTORIALS = Array.from({ length: 14 }, (_, n) => {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return 1 / f;
});

/** e^r for |r| ≤ ln2/2, by its Taylor series in Horner form (the 14th term is below 2^−55 of the sum). */
function expReduced(r: number): number {
  let sum = INVERSE_FACTORIALS[13]!;
  for (let n = 12; n >= 0; n--) sum = INVERSE_FACTORIALS[n]! + r * sum;
  return sum;
}

/** 1/n for odd n = 1 … 21, the atanh series' coefficients. */
const INVERSE_ODDS = Array.from({ length: 11 }, (_, i) => 1 / (2 * i + 1));

export function exp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0;
  const k = Math.round(x * INV_LN2);
  const r = x - k * LN2_HI - k * LN2_LO;
  return scale(expReduced(r), k);
}

/** m and e with x = m · 2^e and √½ ≤ m < √2, for a finite x > 0. */
function split(x: number): { m: number; e: number } {
  let e = 0;
  let y = x;
  if (y < 2.2250738585072014e-308) {
    y *= 2 ** 54; // a subnormal: normalize first
    e = -54;
  }
  bits.setFloat64(0, y);
  const high = bits.getUint32(0);
  e += ((high >>> 20) & 0x7ff) - 1023;
  bits.setUint32(0, (high & 0x800fffff) | (1023 << 20));
  let m = bits.getFloat64(0);
  if (m >= Math.SQRT2) {
    m /= 2;
    e += 1;
  }
  return { m, e };
}

export function log(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  const { m, e } = split(x);
  // log m = 2 atanh(s) with s = (m − 1)/(m + 1), |s| ≤ 0.1716: s^23/23 is below 2^−60.
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let series = INVERSE_ODDS[10]!;
  for (let i = 9; i >= 0; i--) series = INVERSE_ODDS[i]! + s2 * series;
  return e * LN2_HI + (2 * s * series + e * LN2_LO);
}

/** x^n for an integer n, by repeated squaring. */
function powInteger(x: number, n: number): number {
  let result = 1;
  let base = x;
  for (let e = Math.abs(n); e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result *= base;
    base *= base;
  }
  return n < 0 ? 1 / result : result;
}

export function pow(x: number, y: number): number {
  if (y === 0) return 1;
  if (y === 2) return x * x;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (Number.isInteger(y) && Math.abs(y) <= 64) return powInteger(x, y);
  if (x === 0) return y > 0 ? 0 : Infinity;
  if (x < 0) {
    if (!Number.isInteger(y)) return NaN;
    const magnitude = pow(-x, y);
    return y % 2 === 0 ? magnitude : -magnitude;
  }
  if (x === Infinity) return y > 0 ? Infinity : 0;
  if (y === Infinity) return x > 1 ? Infinity : x === 1 ? 1 : 0;
  if (y === -Infinity) return x > 1 ? 0 : x === 1 ? 1 : Infinity;
  return exp(y * log(x));
}

/**
 * Runs `work` with Math.exp, Math.log and Math.pow replaced by the portable ones, for code that calls Math
 * itself (umap-js). `work` must be synchronous: nothing else can run before Math is restored.
 */
export function withPortableMath<T>(work: () => T): T {
  const own = { exp: Math.exp, log: Math.log, pow: Math.pow };
  Object.assign(Math, { exp, log, pow });
  try {
    return work();
  } finally {
    Object.assign(Math, own);
  }
}
