/**
 * Colour scales as 256-entry RGB lookup tables, so drawing a cell is one table read rather than an
 * interpolation: that is what lets a 512 × 768 map draw in a few milliseconds.
 *
 * The diverging table is built as two 128-entry halves that each end in pure white. A value at the middle of
 * a symmetric range lands at t = 0.5, between entries 127 and 128; both are white, so 0 draws white whichever
 * way the index rounds.
 */

/** The two scales the app uses: signed values (hidden states) and weights in [0, 1] (attention). */
export type ColorScale = 'diverging' | 'sequential';

/** An RGB triple, each channel 0..255. */
export type Rgb = [number, number, number];

const hex = (s: string): Rgb => [
  parseInt(s.slice(1, 3), 16),
  parseInt(s.slice(3, 5), 16),
  parseInt(s.slice(5, 7), 16),
];

// ColorBrewer RdBu, reversed (blue for negative), with its near-white centre made pure white.
const blueHalf = ['#053061', '#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#ffffff'].map(hex);
const redHalf = ['#ffffff', '#fddbc7', '#f4a582', '#d6604d', '#b2182b', '#67001f'].map(hex);
// ColorBrewer Blues (plotly's 'Blues'), starting at pure white so zero weight is invisible.
const blues = [
  '#ffffff',
  '#deebf7',
  '#c6dbef',
  '#9ecae1',
  '#6baed6',
  '#4292c6',
  '#2171b5',
  '#08519c',
  '#08306b',
].map(hex);

/** Fills `count` table entries from `offset`, interpolating evenly spaced stops linearly in RGB. */
function fillRamp(lut: Uint8Array, offset: number, count: number, stops: Rgb[]): void {
  for (let i = 0; i < count; i++) {
    const at = (i / (count - 1)) * (stops.length - 1);
    const k = Math.min(Math.floor(at), stops.length - 2);
    const f = at - k;
    const a = stops[k]!;
    const b = stops[k + 1]!;
    for (let c = 0; c < 3; c++) lut[(offset + i) * 3 + c] = Math.round(a[c]! + (b[c]! - a[c]!) * f);
  }
}

const luts = new Map<ColorScale, Uint8Array>();

/** The scale's 256 colours as packed RGB (768 bytes); built once per scale and shared, so do not mutate. */
export function colorScaleLut(scale: ColorScale): Uint8Array {
  let lut = luts.get(scale);
  if (!lut) {
    lut = new Uint8Array(256 * 3);
    if (scale === 'diverging') {
      fillRamp(lut, 0, 128, blueHalf);
      fillRamp(lut, 128, 128, redHalf);
    } else {
      fillRamp(lut, 0, 256, blues);
    }
    luts.set(scale, lut);
  }
  return lut;
}

/** The table index for a position t in [0, 1]; shared with the pixel loop so legend and cells agree. */
export const lutIndex = (t: number): number => Math.round(Math.min(1, Math.max(0, t)) * 255);

/** The colour at t in [0, 1] (clamped), exactly as a cell with that position in the range is drawn. */
export function colorAt(scale: ColorScale, t: number): Rgb {
  const lut = colorScaleLut(scale);
  const i = lutIndex(Number.isNaN(t) ? 0 : t) * 3;
  return [lut[i]!, lut[i + 1]!, lut[i + 2]!];
}

/** The colour at t as `#rrggbb`, valid in CSS, SVG and canvas fill styles. */
export function cssColor(scale: ColorScale, t: number): string {
  return `#${colorAt(scale, t)
    .map((c) => c.toString(16).padStart(2, '0'))
    .join('')}`;
}
