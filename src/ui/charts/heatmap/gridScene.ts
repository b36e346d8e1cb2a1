/**
 * Small multiples as one figure for download: a title, then a grid of cell images with a label over each
 * column and beside each row (heads across, layers down), drawn by the same painters as the heatmap.
 */
import type { Scene, ScenePrimitive } from './scene.ts';

export interface GridCell {
  pixels: Uint8ClampedArray<ArrayBuffer>;
  rows: number;
  cols: number;
}

export interface GridSpec {
  title: string;
  rowLabels: string[];
  colLabels: string[];
  /** cells[row][col] */
  cells: GridCell[][];
  /** Side of each drawn cell image, px. */
  cellPx: number;
}

const GAP = 6;
const TITLE = 28;
const HEADER = 18;
const LABEL_WIDTH = 64;
const FONT = 11;

export function gridScene(spec: GridSpec): Scene {
  const { cellPx, cells } = spec;
  const columns = Math.max(0, ...cells.map((r) => r.length));
  const items: ScenePrimitive[] = [
    { kind: 'text', x: 8, y: TITLE / 2, text: spec.title, anchor: 'start', size: 14, bold: true },
  ];
  const left = LABEL_WIDTH;
  const top = TITLE + HEADER;
  spec.colLabels.slice(0, columns).forEach((label, c) =>
    items.push({
      kind: 'text',
      x: left + c * (cellPx + GAP) + cellPx / 2,
      y: TITLE + HEADER / 2,
      text: label,
      anchor: 'middle',
      size: FONT,
    }),
  );
  cells.forEach((row, r) => {
    const y = top + r * (cellPx + GAP);
    items.push({
      kind: 'text',
      x: left - 6,
      y: y + cellPx / 2,
      text: spec.rowLabels[r] ?? '',
      anchor: 'end',
      size: FONT,
    });
    row.forEach((cell, c) => {
      const x = left + c * (cellPx + GAP);
      items.push({ kind: 'rect', x: x - 0.5, y: y - 0.5, w: cellPx + 1, h: cellPx + 1, fill: '#d7dde3' });
      items.push({ kind: 'image', x, y, width: cellPx, height: cellPx, ...cell });
    });
  });
  return {
    width: left + columns * (cellPx + GAP) + GAP,
    height: top + cells.length * (cellPx + GAP) + GAP,
    items,
  };
}
