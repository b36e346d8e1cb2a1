/**
 * Label helpers shared by the on-screen heatmap and the exported scene, so both thin and shorten labels the
 * same way: which rows or columns get a label, how long a label may be, how legend numbers read.
 */

/** Labels longer than this are cut with an ellipsis so one long token cannot widen the whole figure. */
export const maxLabelChars = 24;

/** The label, cut to `maxLabelChars` characters (counted by code point, so emoji are not split). */
export function fitLabel(label: string): string {
  const chars = Array.from(label);
  return chars.length <= maxLabelChars ? label : `${chars.slice(0, maxLabelChars - 1).join('')}…`;
}

/** Estimated width in px of text at a font size: 0.6 em per character, good enough for layout. */
export const textWidth = (text: string, size: number): number => Array.from(text).length * size * 0.6;

/** Cells big enough (13–28 px) for every label when a labelled axis has ≤ 80, else an axis ~`target` px long. */
export function defaultCellSize(count: number, labelled: boolean, target: number): number {
  const size = target / Math.max(count, 1);
  const least = labelled && count <= 80 ? 13 : 1;
  return Math.min(28, Math.max(least, size));
}

/** The smallest 1, 2 or 5 × 10^k at or above `step`, so ticks fall on round numbers (0, 20, 40, …). */
export function niceStep(step: number): number {
  if (step <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(step));
  for (const m of [1, 2, 5, 10]) if (m * power >= step) return m * power;
  return 10 * power;
}

/**
 * Which of `count` rows (or columns) get a label: all when each cell is at least `minGap` px and there are at
 * most `maxLabels`, else every k-th from 0, with k a round number large enough that labels do not overlap.
 */
export function labelIndices(count: number, cellSize: number, minGap = 13, maxLabels = 80): number[] {
  const needed = Math.max(1, Math.ceil(minGap / Math.max(cellSize, 1e-6)), Math.ceil(count / maxLabels));
  const step = niceStep(needed);
  const shown: number[] = [];
  for (let i = 0; i < count; i += step) shown.push(i);
  return shown;
}

/** A legend or tooltip number: 3 significant digits, exponent notation when very large or small, "0" for 0. */
export function formatTick(value: number): string {
  if (value === 0 || Object.is(value, -0)) return '0';
  if (!Number.isFinite(value)) return String(value);
  const a = Math.abs(value);
  if (a >= 1e4 || a < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(3)));
}
