/** The on-screen colour legend: the scale as a tiny pixelated canvas, with min, middle and max beside it. */
import { useMemo } from 'react';
import type { ColorScale } from './colors.ts';
import { rampPixels, type ValueRange } from './image.ts';
import { legendTicks } from './scene.ts';
import { useCanvasPixels } from './useCanvasPixels.ts';
import { useDark } from '../../useMediaQuery.ts';

/** A vertical colour bar `height` px tall, max at the top, as the cells are coloured. */
export function HeatmapLegend(props: {
  scale: ColorScale;
  range: ValueRange;
  title: string;
  height: number;
  testId: string;
}) {
  const { scale, range, title, height, testId } = props;
  const theme = useDark() ? 'dark' : 'light';
  const pixels = useMemo(() => rampPixels(scale, 256, theme), [scale, theme]);
  const ref = useCanvasPixels(pixels, 1, pixels.length / 4);
  const ticks = legendTicks(range);
  return (
    <div className="heatmap-legend" data-testid={testId}>
      <div className="heatmap-legend-title">{title}</div>
      <div className="heatmap-legend-body">
        <canvas ref={ref} className="heatmap-legend-bar" style={{ height }} aria-hidden="true" />
        <div className="heatmap-legend-ticks" style={{ height }}>
          {ticks.map((t) => (
            <span key={t.at} style={{ top: `${(1 - t.at) * 100}%` }}>
              {t.text}
            </span>
          ))}
        </div>
      </div>
    </div>
  );
}
