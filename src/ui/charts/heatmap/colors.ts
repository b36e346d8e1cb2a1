/**
 * Colour scales as 256-entry RGB lookup tables, so drawing a cell is one table read rather than an
 * interpolation: that is what lets a 512 × 768 map draw in a few milliseconds.
 *
 * The diverging table is built as two 128-entry halves that each end in pure white. A value at the middle of
 * a symmetric range lands at t = 0.5, between entries 127 and 128; both are white, so 0 draws white whichever
 * way the index rounds.
 *
 * On a dark page the scales turn inside out: zero is the page's dark surface and large values are bright, so
 * a map does not glare as a white block and its weak cells stay distinguishable from strong ones. Downloads
 * are documents, drawn light on white whatever the page's theme.
 */

/** The two scales the app uses: signed values (hidden states) and weights in [0, 1] (attention). */
export type ColorScale = 'diverging' | 'sequential';

/** Which page the colours are for: light (the default, and every download) or dark. */
export type ScaleTheme = 'light' | 'dark';

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

// The dark page's surface (styles.css --surface) at the zero end; the same hues grow brighter away from it.
const darkZero = '#1b2128';
const darkBlueHalf = ['#d1e5f0', '#92c5de', '#4393c3', '#2166ac', '#183f6c', darkZero].map(hex);
const darkRedHalf = [darkZero, '#74202a', '#b2182b', '#d6604d', '#f4a582', '#fddbc7'].map(hex);
const darkBlues = [
  darkZero,
  '#0c2f5c',
  '#08519c',
  '#2171b5',
  '#4292c6',
  '#6baed6',
  '#9ecae1',
  '#c6dbef',
  '#eff6fc',
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

const luts = new Map<string, Uint8Array>();

/** The scale's 256 colours as packed RGB (768 bytes); built once per scale and theme and shared: do not mutate. */
export function colorScaleLut(scale: ColorScale, theme: ScaleTheme = 'light'): Uint8Array {
  const key = `${scale}/${theme}`;
  let lut = luts.get(key);
  if (!lut) {
    lut = new Uint8Array(256 * 3);
    const dark = theme === 'dark';
    if (scale === 'diverging') {
      fillRamp(lut, 0, 128, dark ? darkBlueHalf : blueHalf);
      fillRamp(lut, 128, 128, dark ? darkRedHalf : redHalf);
    } else {
      fillRamp(lut, 0, 256, dark ? darkBlues : blues);
    }
    luts.set(key, lut);
  }
  return lut;
}

/** The table index for a position t in [0, 1]; shared with the pixel loop so legend and cells agree. */
export const lutIndex = (t: number): number => Math.round(Math.min(1, Math.max(0, t)) * 255);

/** The colour at t in [0, 1] (clamped), exactly as a cell with that position in the range is drawn. */
export function colorAt(scale: ColorScale, t: number, theme: ScaleTheme = 'light'): Rgb {
  const lut = colorScaleLut(scale, theme);
  const i = lutIndex(Number.isNaN(t) ? 0 : t) * 3;
  return [lut[i]!, lut[i + 1]!, lut[i + 2]!];
}

/** The colour at t as `#rrggbb`, valid in CSS, SVG and canvas fill styles. */
export function cssColor(scale: ColorScale, t: number): string {
  return `#${colorAt(scale, t)
    .map((c) => c.toString(16).padStart(2, '0'))
    .join('')}`;
}
