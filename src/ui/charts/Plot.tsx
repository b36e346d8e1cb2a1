/**
 * A thin React wrapper around plotly: loads plotly on first use (4.8 MB, kept out of the first paint), draws
 * with Plotly.react so updates reuse the plot, offers the chart as PNG and SVG, and purges it on unmount. On a
 * dark page it draws on dark paper, and redraws when the system's theme changes.
 */
import { useEffect, useRef, useState } from 'react';
import { useDark } from '../useMediaQuery.ts';
import { themedLayout } from './theme.ts';
import type { Figure } from './types.ts';
import 'virtual:plotly.css';

type PlotlyModule = typeof import('plotly.js-dist-min');
let plotly: Promise<PlotlyModule> | undefined;
// The bundle is CommonJS: its API may arrive as the default export.
const loadPlotly = () =>
  (plotly ??= import('plotly.js-dist-min').then(
    (m) => (m as unknown as { default?: PlotlyModule }).default ?? m,
  ));

/** A plotly div's event hook (plotly adds it to the node it draws in). */
interface PlotlyNode extends HTMLDivElement {
  on?(event: 'plotly_click', handler: (e: { points: { x: unknown }[] }) => void): void;
  removeAllListeners?(event: string): void;
}

/** `onPointClick` gets the x value of a clicked point (a layer, in the per-layer charts). */
export function Plot({
  figure,
  testId,
  height = 320,
  onPointClick,
}: {
  figure: Figure;
  testId: string;
  height?: number;
  onPointClick?: (x: number) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string>();
  const dark = useDark();
  const filename = testId.replace(/\W+/g, '-');
  const download = (format: 'png' | 'svg') => () => {
    const node = ref.current;
    if (!node) return;
    void loadPlotly()
      .then((Plotly) => Plotly.downloadImage(node, { format, filename, width: node.clientWidth, height }))
      .catch((e: unknown) => setError((e as Error).message));
  };
  useEffect(() => {
    let cancelled = false;
    // Draw in a task of its own, after the rest of the page has updated (a layer switch repaints the heatmap
    // in the event's task); a figure replaced before then is never drawn.
    const nextTask = new Promise((resolve) => setTimeout(resolve, 0));
    void Promise.all([loadPlotly(), nextTask])
      .then(([Plotly]) => {
        if (cancelled || !ref.current) return;
        const node: PlotlyNode = ref.current;
        return Plotly.react(
          node,
          figure.data,
          themedLayout(
            { height, autosize: true, margin: { l: 60, r: 20, t: 40, b: 40 }, ...figure.layout },
            dark,
          ),
          {
            responsive: true,
            displaylogo: false,
            toImageButtonOptions: { filename },
          },
        ).then(() => {
          node.removeAllListeners?.('plotly_click');
          if (onPointClick) node.on?.('plotly_click', (e) => onPointClick(Number(e.points[0]?.x)));
        });
      })
      .catch((e: unknown) => setError((e as Error).message));
    return () => {
      cancelled = true;
    };
  }, [figure, height, filename, onPointClick, dark]);
  useEffect(() => {
    const node = ref.current;
    return () => {
      if (node) void loadPlotly().then((Plotly) => Plotly.purge(node));
    };
  }, []);
  return (
    <div className="plot" data-testid={testId}>
      {error ? <p className="error">Could not draw this chart: {error}</p> : <div ref={ref} />}
      <div className="chart-downloads">
        <button type="button" data-testid={`${testId}.png`} onClick={download('png')}>
          PNG
        </button>
        <button type="button" data-testid={`${testId}.svg`} onClick={download('svg')}>
          SVG
        </button>
      </div>
    </div>
  );
}
