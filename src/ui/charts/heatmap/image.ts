/**
 * Values to pixels: one RGBA pixel per cell through the colour table, in a single loop with no allocation per
 * cell, so a 512 × 768 map costs a few milliseconds rather than plotly's hundreds.
 */
import { colorScaleLut, type ColorScale, type ScaleTheme } from './colors.ts';

/** The values mapped to the two ends of the colour scale; values outside are clamped to the ends. */
export interface ValueRange {
  min: number;
  max: number;
}

/** The colour of a NaN cell: a light grey that no scale produces, so missing values stand out. */
export const nanColor = [221, 221, 221] as const;

/**
 * RGBA pixels, row-major, one per cell of a [rows, cols] matrix, ready for `new ImageData(pixels, cols, rows)`.
 * When max ≤ min every number takes the scale's first colour.
 */
export function heatmapPixels(
  values: Float32Array,
  rows: number,
  cols: number,
  range: ValueRange,
  scale: ColorScale,
  theme: ScaleTheme = 'light',
): Uint8ClampedArray<ArrayBuffer> {
  const n = rows * cols;
  if (values.length < n)
    throw new Error(`heatmap needs ${n} values for ${rows}×${cols}, got ${values.length}`);
  const lut = colorScaleLut(scale, theme);
  const pixels = new Uint8ClampedArray(n * 4);
  const { min } = range;
  const span = range.max - min;
  const toIndex = span > 0 ? 255 / span : 0;
  const [nanR, nanG, nanB] = nanColor;
  for (let i = 0, o = 0; i < n; i++, o += 4) {
    const v = values[i]!;
    if (v !== v) {
      pixels[o] = nanR;
      pixels[o + 1] = nanG;
      pixels[o + 2] = nanB;
    } else {
      let t = (v - min) * toIndex;
      t = t < 0 ? 0 : t > 255 ? 255 : t;
      // Round half up, as lutIndex does, so legend colours and cell colours agree.
      const k = ((t + 0.5) | 0) * 3;
      pixels[o] = lut[k]!;
      pixels[o + 1] = lut[k + 1]!;
      pixels[o + 2] = lut[k + 2]!;
    }
    pixels[o + 3] = 255;
  }
  return pixels;
}

/** A legend bar's pixels: one column of `length` cells, the range's max at the top and min at the bottom. */
export function rampPixels(
  scale: ColorScale,
  length = 256,
  theme: ScaleTheme = 'light',
): Uint8ClampedArray<ArrayBuffer> {
  const ramp = new Float32Array(length);
  for (let i = 0; i < length; i++) ramp[i] = 1 - i / (length - 1);
  return heatmapPixels(ramp, length, 1, { min: 0, max: 1 }, scale, theme);
}

/** ±max |v| over the finite values, so a diverging scale puts 0 at white; 1 when all are 0 (or none finite). */
export function symmetricRange(values: Float32Array): ValueRange {
  let m = 0;
  for (const v of values) {
    const a = Math.abs(v);
    if (a > m && a !== Infinity) m = a;
  }
  if (m === 0) m = 1;
  return { min: -m, max: m };
}

/** Smallest and largest finite value; 0..1 when there is none. */
export function valueRange(values: Float32Array): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : { min: 0, max: 1 };
}

/**
 * The cell under a point (x, y) measured from the drawn image's top-left corner, for an image drawn
 * width × height at any scale; null outside it.
 */
export function cellAtPoint(
  x: number,
  y: number,
  width: number,
  height: number,
  rows: number,
  cols: number,
): { row: number; col: number } | null {
  if (!(x >= 0 && y >= 0 && x < width && y < height)) return null;
  return {
    row: Math.min(rows - 1, Math.floor((y / height) * rows)),
    col: Math.min(cols - 1, Math.floor((x / width) * cols)),
  };
}
