/**
 * A heatmap drawn on one canvas with one pixel per cell, scaled up by CSS: a redraw is a putImageData of
 * precomputed colours, a few milliseconds even for 512 × 768, where plotly spent hundreds on the main thread.
 * Labels, legend, tooltip and selection are plain HTML around it; the cell under the mouse comes from the
 * canvas's on-screen box, so any CSS scale works. PNG and SVG downloads draw the shared `heatmapScene`.
 */
import { useMemo, useState, type MouseEvent } from 'react';
import { filenameFromTestId, downloadHeatmap } from './exportHeatmap.ts';
import { HeatmapLegend } from './HeatmapLegend.tsx';
import { cellAtPoint, heatmapPixels } from './image.ts';
import { defaultCellSize, fitLabel, labelIndices, textWidth } from './labels.ts';
import type { HeatmapSpec } from './scene.ts';
import { useCanvasPixels } from './useCanvasPixels.ts';
import { useDark } from '../../useMediaQuery.ts';

/** Props of the heatmap; `hover` gives the tooltip's text (newlines show as line breaks). */
export interface HeatmapCanvasProps {
  spec: HeatmapSpec;
  testId: string;
  hover: (row: number, col: number, value: number) => string;
  onCellClick?: (row: number, col: number) => void;
  /** The outlined cell; a negative col outlines the whole row (a selected token). */
  selected?: { row: number; col: number };
  /** Tallest the cells may be drawn, in CSS px (default 640); more rows than fit get thinner cells. */
  maxHeight?: number;
  /** Download name without extension; by default the test id with non-word characters as '-'. */
  filename?: string;
}

interface Pointer {
  row: number;
  col: number;
  x: number;
  y: number;
  boxWidth: number;
  boxHeight: number;
}

const labelPx = 11;
const pct = (part: number, whole: number) => `${(part / whole) * 100}%`;

/** Where the tooltip goes: beside the cursor, flipped left or up near the far edges so it stays in view. */
function tooltipStyle(p: Pointer) {
  const gap = 14;
  return {
    ...(p.x > p.boxWidth * 0.6 ? { right: p.boxWidth - p.x + gap } : { left: p.x + gap }),
    ...(p.y > p.boxHeight * 0.7 ? { bottom: p.boxHeight - p.y + gap } : { top: p.y + gap }),
  };
}

/** The interactive heatmap of `spec` (see HeatmapCanvasProps). */
export function HeatmapCanvas(props: HeatmapCanvasProps) {
  const { spec, testId, hover, onCellClick, selected, maxHeight = 640 } = props;
  const { values, rows, cols, scale, colLabels, rowLabels } = spec;
  const { min, max } = spec.range;
  const theme = useDark() ? 'dark' : 'light';
  const pixels = useMemo(
    () => heatmapPixels(values, rows, cols, { min, max }, scale, theme),
    [values, rows, cols, min, max, scale, theme],
  );
  const canvasRef = useCanvasPixels(pixels, cols, rows);
  const [pointer, setPointer] = useState<Pointer | null>(null);
  const [error, setError] = useState<string>();

  const cellW = defaultCellSize(cols, colLabels !== undefined, 720);
  const cellH = Math.min(defaultCellSize(rows, true, 480), maxHeight / Math.max(rows, 1));
  const width = Math.round(cols * cellW);
  const height = Math.round(rows * cellH);

  const rowAxis = useMemo(() => {
    const shown = labelIndices(rows, cellH);
    const texts = shown.map((r) => fitLabel(rowLabels[r] ?? String(r)));
    return { shown, texts, width: Math.max(0, ...texts.map((t) => textWidth(t, labelPx))) + 6 };
  }, [rows, cellH, rowLabels]);
  const colAxis = useMemo(() => {
    const shown = labelIndices(cols, cellW, colLabels ? labelPx + 2 : 40);
    const texts = shown.map((c) => (colLabels ? fitLabel(colLabels[c] ?? String(c)) : String(c)));
    const depth = colLabels ? Math.max(0, ...texts.map((t) => textWidth(t, labelPx))) : labelPx * 1.4;
    return { shown, texts, height: depth + 6 };
  }, [cols, cellW, colLabels]);

  const locate = (e: MouseEvent<HTMLCanvasElement>): Pointer | null => {
    const box = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - box.left;
    const y = e.clientY - box.top;
    const cell = cellAtPoint(x, y, box.width, box.height, rows, cols);
    return cell && { ...cell, x, y, boxWidth: box.width, boxHeight: box.height };
  };
  const download = (format: 'png' | 'svg') => {
    setError(undefined);
    downloadHeatmap(spec, format, props.filename ?? filenameFromTestId(testId)).catch((e: unknown) =>
      setError((e as Error).message),
    );
  };

  return (
    <figure className="heatmap" data-testid={testId} data-rows={rows} data-cols={cols}>
      <figcaption className="heatmap-head">
        <span className="heatmap-title">{spec.title}</span>
        <span className="heatmap-actions">
          <button
            type="button"
            data-testid={`${testId}.png`}
            title="Download as PNG"
            onClick={() => download('png')}
          >
            PNG
          </button>
          <button
            type="button"
            data-testid={`${testId}.svg`}
            title="Download as SVG"
            onClick={() => download('svg')}
          >
            SVG
          </button>
        </span>
      </figcaption>
      {/* Focusable: on a narrow screen the body scrolls sideways, and a keyboard must be able to scroll it. */}
      <div className="heatmap-body" tabIndex={0} role="group" aria-label={spec.title}>
        <div className="heatmap-ytitle" style={{ height }}>
          {spec.yTitle}
        </div>
        <div className="heatmap-rowlabels" style={{ width: rowAxis.width, height }}>
          {rowAxis.shown.map((r, i) => (
            <span key={r} style={{ top: pct(r + 0.5, rows) }}>
              {rowAxis.texts[i]}
            </span>
          ))}
        </div>
        <div className="heatmap-main" style={{ flexBasis: width }}>
          <div className="heatmap-plot">
            <canvas
              ref={canvasRef}
              className="heatmap-canvas"
              data-testid={`${testId}.canvas`}
              role="img"
              aria-label={spec.title}
              style={{ height, cursor: onCellClick ? 'pointer' : 'crosshair' }}
              onPointerMove={(e) => setPointer(locate(e))}
              onPointerLeave={() => setPointer(null)}
              onClick={(e) => {
                const cell = locate(e);
                if (cell && onCellClick) onCellClick(cell.row, cell.col);
              }}
            />
            {selected && selected.row < rows && selected.col < cols && (
              <div
                className="heatmap-selected"
                data-testid={`${testId}.selected`}
                style={{
                  // A negative column outlines the whole row (a selected token).
                  left: selected.col < 0 ? 0 : pct(selected.col, cols),
                  top: pct(selected.row, rows),
                  width: selected.col < 0 ? '100%' : pct(1, cols),
                  height: pct(1, rows),
                }}
              />
            )}
            <div
              className="heatmap-tooltip"
              data-testid={`${testId}.tooltip`}
              hidden={!pointer}
              style={pointer ? tooltipStyle(pointer) : undefined}
            >
              {pointer ? hover(pointer.row, pointer.col, values[pointer.row * cols + pointer.col]!) : ''}
            </div>
          </div>
          <div
            className={colLabels ? 'heatmap-collabels rotated' : 'heatmap-collabels'}
            style={{ height: colAxis.height }}
          >
            {colAxis.shown.map((c, i) => (
              <span key={c} style={{ left: pct(c + 0.5, cols) }}>
                {colAxis.texts[i]}
              </span>
            ))}
          </div>
          <div className="heatmap-xtitle">{spec.xTitle}</div>
        </div>
        <HeatmapLegend
          scale={scale}
          range={spec.range}
          title={spec.legendTitle}
          height={Math.min(240, Math.max(100, height))}
          testId={`${testId}.legend`}
        />
      </div>
      {error && (
        <p className="error" role="alert">
          Could not save the image: {error}
        </p>
      )}
    </figure>
  );
}
