/**
 * A thin React wrapper around plotly: loads plotly on first use (4.8 MB, kept out of the first paint), draws
 * with Plotly.react so updates reuse the plot, offers the chart as PNG and SVG, and purges it on unmount.
 */
import { useEffect, useRef, useState } from 'react';
import type { Figure } from './types.ts';
import 'virtual:plotly.css';

type PlotlyModule = typeof import('plotly.js-dist-min');
let plotly: Promise<PlotlyModule> | undefined;
// The bundle is CommonJS: its API may arrive as the default export.
const loadPlotly = () =>
  (plotly ??= import('plotly.js-dist-min').then(
    (m) => (m as unknown as { default?: PlotlyModule }).default ?? m,
  ));

export function Plot({ figure, testId, height = 320 }: { figure: Figure; testId: string; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string>();
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
        return Plotly.react(
          ref.current,
          figure.data,
          { height, autosize: true, margin: { l: 60, r: 20, t: 40, b: 40 }, ...figure.layout },
          {
            responsive: true,
            displaylogo: false,
            toImageButtonOptions: { filename },
          },
        );
      })
      .catch((e: unknown) => setError((e as Error).message));
    return () => {
      cancelled = true;
    };
  }, [figure, height, filename]);
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
