/**
 * The selected token's vector at the selected layer: its numbers (copyable), norm and a sparkline. The layer
 * control runs from 0 (the embedding projection's output) to L (the last layer).
 */
import { useMemo } from 'react';
import { shownVectors, useStore } from '../state/store.ts';
import { formatMs, showPiece, vectorNorm, vectorText } from './format.ts';

function Sparkline({ values }: { values: Float32Array }) {
  const width = 600;
  const height = 60;
  const points = useMemo(() => {
    let max = 0;
    for (const v of values) max = Math.max(max, Math.abs(v));
    const scale = max ? height / 2 / max : 0;
    return Array.from(
      values,
      (v, i) =>
        `${((i / Math.max(values.length - 1, 1)) * width).toFixed(1)},${(height / 2 - v * scale).toFixed(1)}`,
    ).join(' ');
  }, [values]);
  return (
    <svg
      className="sparkline"
      data-testid="vector.sparkline"
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      role="img"
      aria-label="the vector's values by dimension"
    >
      <line x1="0" x2={width} y1={height / 2} y2={height / 2} className="axis" />
      <polyline points={points} />
    </svg>
  );
}

export function LayerControl() {
  const info = useStore((s) => s.info);
  const layer = useStore((s) => s.layer);
  const setLayer = useStore((s) => s.setLayer);
  if (!info) return null;
  return (
    <label className="layer-control">
      Layer{' '}
      <input
        type="range"
        data-testid="layer.slider"
        min={0}
        max={info.layers}
        value={layer}
        onChange={(e) => setLayer(Number(e.target.value))}
      />{' '}
      <output data-testid="layer.value">
        {layer === 0 ? '0 — embedding projection' : `${layer} of ${info.layers}`}
      </output>
    </label>
  );
}

const stages = (timings: Record<string, number>) =>
  Object.entries(timings)
    .map(([stage, ms]) => `${stage.replace(/Ms$/, '')} ${formatMs(ms)}`)
    .join(', ');

export function VectorPanel() {
  const run = useStore((s) => s.run);
  const loadTimings = useStore((s) => s.info?.timings);
  const graphCached = useStore((s) => s.info?.graphCached === true);
  const layer = useStore((s) => s.layer);
  const selected = useStore((s) => s.selectedToken);
  const hidden = useStore(shownVectors);
  const factorized = useStore((s) => s.layer === 0 && s.showFactorized);
  const vector = useMemo(() => {
    if (!hidden) return undefined;
    const width = hidden.dims[1]!;
    return hidden.data.subarray(selected * width, (selected + 1) * width);
  }, [hidden, selected]);
  if (!run) return null;
  const text = vector ? vectorText(vector) : '';
  return (
    <section className="vector" data-testid="vector.panel">
      <h2>
        <span data-testid="vector.title">
          {showPiece(run.tokens[selected] ?? '')} (token {selected}, id {run.ids[selected]}) at{' '}
          {factorized ? 'the factorized embedding' : `layer ${layer}`}
        </span>
      </h2>
      {vector ? (
        <>
          <p>
            {vector.length} dimensions · norm{' '}
            <span data-testid="vector.norm">{vectorNorm(vector).toFixed(4)}</span>{' '}
            <button
              type="button"
              data-testid="vector.copy"
              onClick={() => void navigator.clipboard?.writeText(text)}
            >
              Copy numbers
            </button>
          </p>
          <Sparkline values={vector} />
          <pre className="numbers" data-testid="vector.values">
            {text}
          </pre>
        </>
      ) : (
        <p>fetching layer {layer}…</p>
      )}
      <p className="timings" data-testid="timings">
        Run: {stages(run.timings)}
        {run.mapsOnDevice && (
          <span data-testid="timings.maps-on-device">
            {' '}
            (attention maps left on the GPU until a view shows them)
          </span>
        )}
        {loadTimings && <> · model load: {stages(loadTimings)}</>}
        {graphCached && (
          <span data-testid="timings.graph-cached"> (graph kept in this browser from an earlier visit)</span>
        )}
      </p>
    </section>
  );
}
