/**
 * "Token embeddings": the tokens × dimensions heatmap at the selected layer (or, at layer 0, the 128-d
 * factorized embedding ALBERT projects up from), each token's norm, and how much each layer turns the selected
 * token (cosine between consecutive layers). Clicking a row selects that token.
 */
import { useCallback, useMemo } from 'react';
import { tokenNorms } from '../engine/analysis.ts';
import { shownVectors, useStore } from '../state/store.ts';
import { embeddingHeatmapSpec, layerCosineLines, normBars } from './charts/embeddings.ts';
import { HeatmapCanvas } from './charts/heatmap/HeatmapCanvas.tsx';
import { Plot } from './charts/Plot.tsx';
import { showPiece } from './format.ts';

export function EmbeddingView() {
  const run = useStore((s) => s.run);
  const info = useStore((s) => s.info);
  const layer = useStore((s) => s.layer);
  const selected = useStore((s) => s.selectedToken);
  const selectToken = useStore((s) => s.selectToken);
  const showFactorized = useStore((s) => s.showFactorized);
  const setShowFactorized = useStore((s) => s.setShowFactorized);
  const vectors = useStore(shownVectors);
  const factorizedShown = layer === 0 && showFactorized;
  const what = factorizedShown ? 'factorized embedding (before the projection)' : `layer ${layer}`;
  const spec = useMemo(
    () =>
      vectors &&
      run &&
      embeddingHeatmapSpec(vectors, run.tokens, `Token vectors at ${what} — ${vectors.dims[1]} dimensions`),
    [vectors, run, what],
  );
  const norms = useMemo(
    () =>
      vectors && run && normBars(tokenNorms(vectors), run.tokens, `Norm of each token's vector at ${what}`),
    [vectors, run, what],
  );
  const cosines = useMemo(
    () => run?.layerCosines && layerCosineLines(run.layerCosines, run.tokens, selected),
    [run, selected],
  );
  const hover = useCallback(
    (row: number, col: number, value: number) =>
      `${row} ${showPiece(run?.tokens[row] ?? '')} · dimension ${col} · ${value.toFixed(4)}`,
    [run],
  );
  if (!run || !info) return null;
  return (
    <section className="embedding-view" data-testid="view.embeddings">
      <label className="factorized-toggle">
        <input
          type="checkbox"
          data-testid="embeddings.factorized"
          checked={showFactorized}
          onChange={(e) => setShowFactorized(e.target.checked)}
        />{' '}
        At layer 0, show the {info.embeddingSize}-d factorized embedding that ALBERT projects up to{' '}
        {info.hiddenSize} dimensions (embedding_hidden_mapping_in)
      </label>
      {showFactorized && layer !== 0 && (
        <p className="hint">
          The factorized embedding sits below layer 0: move the layer control to 0 to see it.
        </p>
      )}
      {spec && norms ? (
        <>
          <HeatmapCanvas
            spec={spec}
            testId="chart.embedding-heatmap"
            hover={hover}
            onCellClick={(row) => selectToken(row)}
            selected={{ row: selected, col: -1 }}
          />
          <Plot figure={norms} testId="chart.norms" height={260} />
        </>
      ) : (
        <p>fetching {what}…</p>
      )}
      {cosines && <Plot figure={cosines} testId="chart.layer-cosines" height={260} />}
    </section>
  );
}
