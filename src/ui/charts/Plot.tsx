/**
 * A thin React wrapper around plotly: loads plotly on first use (4.8 MB, kept out of the first paint), draws
 * with Plotly.react so updates reuse the plot, and purges it on unmount.
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
  useEffect(() => {
    let cancelled = false;
    void loadPlotly()
      .then((Plotly) => {
        if (cancelled || !ref.current) return;
        return Plotly.react(
          ref.current,
          figure.data,
          { height, autosize: true, margin: { l: 60, r: 20, t: 40, b: 40 }, ...figure.layout },
          {
            responsive: true,
            displaylogo: false,
            toImageButtonOptions: { filename: testId.replace(/\W+/g, '-') },
          },
        );
      })
      .catch((e: unknown) => setError((e as Error).message));
    return () => {
      cancelled = true;
    };
  }, [figure, height, testId]);
  useEffect(() => {
    const node = ref.current;
    return () => {
      if (node) void loadPlotly().then((Plotly) => Plotly.purge(node));
    };
  }, []);
  return (
    <div className="plot" data-testid={testId}>
      {error ? <p className="error">Could not draw this chart: {error}</p> : <div ref={ref} />}
    </div>
  );
}
