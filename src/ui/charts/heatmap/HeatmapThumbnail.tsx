/**
 * One small map for a grid of small multiples (every head of a layer): a button holding a pixelated canvas
 * and a caption, pressed when selected.
 */
import { useMemo } from 'react';
import type { ColorScale } from './colors.ts';
import { heatmapPixels, type ValueRange } from './image.ts';
import { useCanvasPixels } from './useCanvasPixels.ts';
import { useDark } from '../../useMediaQuery.ts';

/** Props of a thumbnail; `size` is the drawn width in CSS px (height follows the rows : cols ratio). */
export interface HeatmapThumbnailProps {
  values: Float32Array;
  rows: number;
  cols: number;
  range: ValueRange;
  scale: ColorScale;
  label: string;
  selected: boolean;
  onClick: () => void;
  testId: string;
  size: number;
}

/** A clickable miniature heatmap, one pixel per cell scaled up without smoothing. */
export function HeatmapThumbnail(props: HeatmapThumbnailProps) {
  const { values, rows, cols, range, scale, label, selected, onClick, testId, size } = props;
  const { min, max } = range;
  const theme = useDark() ? 'dark' : 'light';
  const pixels = useMemo(
    () => heatmapPixels(values, rows, cols, { min, max }, scale, theme),
    [values, rows, cols, min, max, scale, theme],
  );
  const ref = useCanvasPixels(pixels, cols, rows);
  return (
    <button
      type="button"
      className={selected ? 'heatmap-thumb selected' : 'heatmap-thumb'}
      data-testid={testId}
      aria-label={label}
      title={label}
      aria-pressed={selected}
      onClick={onClick}
    >
      <canvas
        ref={ref}
        className="heatmap-thumb-canvas"
        style={{ width: size, height: Math.max(1, Math.round((size * rows) / Math.max(cols, 1))) }}
      />
      <span className="heatmap-thumb-caption">{label}</span>
    </button>
  );
}
