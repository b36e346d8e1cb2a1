/**
 * The exported heatmap's layout as plain primitives. The SVG writer and the canvas painter (render.ts) both
 * draw this one scene, so the PNG and SVG downloads cannot drift apart. Sizes come from estimates (a character
 * is 0.6 em wide), not font metrics, so the layout is pure and testable in Node.
 */
import { cssColor, type ColorScale } from './colors.ts';
import { heatmapPixels, type ValueRange } from './image.ts';
import { defaultCellSize, fitLabel, formatTick, labelIndices, textWidth } from './labels.ts';

/** What a heatmap shows: a row-major [rows, cols] matrix, its labels, and how values map to colour. */
export interface HeatmapSpec {
  values: Float32Array;
  rows: number;
  cols: number;
  rowLabels: string[];
  /** When absent, columns are numbered 0..cols-1 with a tick every few columns. */
  colLabels?: string[];
  title: string;
  xTitle: string;
  yTitle: string;
  legendTitle: string;
  range: ValueRange;
  scale: ColorScale;
  /** Exported cell size in px; by default chosen so the map is ~640 px and labels fit. */
  cellWidth?: number;
  cellHeight?: number;
}

/** Text is placed by its vertical centre (SVG dominant-baseline central, canvas textBaseline middle). */
export interface SceneText {
  kind: 'text';
  x: number;
  y: number;
  text: string;
  anchor: 'start' | 'middle' | 'end';
  size: number;
  /** Degrees clockwise about (x, y); -90 reads bottom to top. */
  rotate?: number;
  bold?: boolean;
}
/** The cells: one pixel per cell, stretched over width × height without smoothing. */
export interface SceneImage {
  kind: 'image';
  x: number;
  y: number;
  width: number;
  height: number;
  pixels: Uint8ClampedArray<ArrayBuffer>;
  cols: number;
  rows: number;
}
export interface SceneRect {
  kind: 'rect';
  x: number;
  y: number;
  w: number;
  h: number;
  fill: string;
}
export interface SceneLine {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  stroke: string;
}
/** One drawable thing; items are drawn in order. */
export type ScenePrimitive = SceneText | SceneImage | SceneRect | SceneLine;
/** A whole figure in px, its background included. */
export interface Scene {
  width: number;
  height: number;
  items: ScenePrimitive[];
}

const margin = 10;
const titleSize = 14;
const axisSize = 12;
const labelSize = 11;
const tickLength = 3;
const ink = '#1d232a';
const legendBar = { width: 12, bands: 64 };
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Lays the heatmap out: title, cells, row and column labels, axis titles and a colour legend. */
export function heatmapScene(spec: HeatmapSpec): Scene {
  const { rows, cols, range } = spec;
  const cw = spec.cellWidth ?? defaultCellSize(cols, spec.colLabels !== undefined, 640);
  const ch = spec.cellHeight ?? defaultCellSize(rows, true, 480);
  const imgW = cols * cw;
  const imgH = rows * ch;
  const items: ScenePrimitive[] = [];
  const text = (t: Omit<SceneText, 'kind' | 'size'> & { size?: number }) =>
    items.push({ kind: 'text', size: labelSize, ...t });
  const line = (x1: number, y1: number, x2: number, y2: number) =>
    items.push({ kind: 'line', x1, y1, x2, y2, stroke: ink });

  const rowShown = labelIndices(rows, ch);
  const rowText = rowShown.map((r) => fitLabel(spec.rowLabels[r] ?? String(r)));
  const rowLabelW = Math.max(0, ...rowText.map((t) => textWidth(t, labelSize)));
  const imgX = margin + axisSize + 6 + rowLabelW + tickLength + 3;
  const imgY = margin + titleSize + 10;

  text({
    x: margin,
    y: margin + titleSize / 2,
    text: spec.title,
    anchor: 'start',
    size: titleSize,
    bold: true,
  });
  items.push({
    kind: 'image',
    x: imgX,
    y: imgY,
    width: imgW,
    height: imgH,
    cols,
    rows,
    pixels: heatmapPixels(spec.values, rows, cols, range, spec.scale),
  });
  text({
    x: margin + axisSize / 2,
    y: imgY + imgH / 2,
    text: spec.yTitle,
    anchor: 'middle',
    size: axisSize,
    rotate: -90,
  });
  rowShown.forEach((r, i) => {
    const y = imgY + (r + 0.5) * ch;
    line(imgX - tickLength, y, imgX, y);
    text({ x: imgX - tickLength - 3, y, text: rowText[i]!, anchor: 'end' });
  });

  const bottom = imgY + imgH;
  const colShown = labelIndices(cols, cw, spec.colLabels ? labelSize + 2 : 40);
  let colZone = labelSize + tickLength + 6;
  colShown.forEach((c) => {
    const x = imgX + (c + 0.5) * cw;
    line(x, bottom, x, bottom + tickLength);
    if (spec.colLabels) {
      const label = fitLabel(spec.colLabels[c] ?? String(c));
      colZone = Math.max(colZone, textWidth(label, labelSize) + tickLength + 6);
      text({ x, y: bottom + tickLength + 3, text: label, anchor: 'end', rotate: -90 });
    } else {
      text({ x, y: bottom + tickLength + 3 + labelSize / 2, text: String(c), anchor: 'middle' });
    }
  });
  const xTitleY = bottom + colZone + 4 + axisSize / 2;
  text({ x: imgX + imgW / 2, y: xTitleY, text: spec.xTitle, anchor: 'middle', size: axisSize });

  const legendX = imgX + imgW + 18;
  text({ x: legendX, y: imgY + labelSize / 2, text: spec.legendTitle, anchor: 'start' });
  const barY = imgY + labelSize + 8;
  const barH = clamp(imgH - labelSize - 8, 120, 240);
  const band = barH / legendBar.bands;
  for (let i = 0; i < legendBar.bands; i++) {
    const fill = cssColor(spec.scale, 1 - (i + 0.5) / legendBar.bands);
    // Bands overlap by half a pixel so no hairline shows between them when scaled.
    const h = i === legendBar.bands - 1 ? band : band + 0.5;
    items.push({ kind: 'rect', x: legendX, y: barY + i * band, w: legendBar.width, h, fill });
  }
  const ticks = legendTicks(range);
  const tickX = legendX + legendBar.width;
  ticks.forEach((t) => {
    const y = barY + (1 - t.at) * barH;
    line(tickX, y, tickX + tickLength, y);
    text({ x: tickX + tickLength + 3, y, text: t.text, anchor: 'start' });
  });
  const legendW = Math.max(
    textWidth(spec.legendTitle, labelSize),
    legendBar.width + tickLength + 3 + Math.max(...ticks.map((t) => textWidth(t.text, labelSize))),
  );
  const width = Math.ceil(Math.max(legendX + legendW, textWidth(spec.title, titleSize) + margin) + margin);
  const height = Math.ceil(Math.max(xTitleY + axisSize / 2, barY + barH + labelSize / 2) + margin);
  items.unshift({ kind: 'rect', x: 0, y: 0, w: width, h: height, fill: '#ffffff' });
  return { width, height, items };
}

/** The legend's min, middle and max, with their position along the bar (0 bottom, 1 top). */
export function legendTicks(range: ValueRange): { at: number; value: number; text: string }[] {
  const span = range.max - range.min;
  // A symmetric range's middle is 0 up to rounding; show it as exactly 0.
  const mid = Math.abs(range.min + range.max) <= 1e-9 * Math.abs(span) ? 0 : (range.min + range.max) / 2;
  return [
    { at: 1, value: range.max },
    { at: 0.5, value: mid },
    { at: 0, value: range.min },
  ].map((t) => ({ ...t, text: formatTick(t.value) }));
}
