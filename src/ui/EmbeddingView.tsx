/**
 * "Token embeddings": the tokens × dimensions heatmap at the selected layer, each token's norm, and how much
 * each layer turns the selected token (cosine between consecutive layers).
 */
import { useMemo } from 'react';
import { tokenNorms } from '../engine/analysis.ts';
import { useStore } from '../state/store.ts';
import { embeddingHeatmap, layerCosineLines, normBars } from './charts/embeddings.ts';
import { Plot } from './charts/Plot.tsx';

export function EmbeddingView() {
  const run = useStore((s) => s.run);
  const layer = useStore((s) => s.layer);
  const selected = useStore((s) => s.selectedToken);
  const hidden = useStore((s) => s.hiddenStates[s.layer]);
  const heatmap = useMemo(
    () =>
      hidden &&
      run &&
      embeddingHeatmap(hidden, run.tokens, `Token vectors at layer ${layer} (${hidden.dims[1]} dimensions)`),
    [hidden, run, layer],
  );
  const norms = useMemo(
    () =>
      hidden &&
      run &&
      normBars(tokenNorms(hidden), run.tokens, `Norm of each token's vector at layer ${layer}`),
    [hidden, run, layer],
  );
  const cosines = useMemo(
    () => run?.layerCosines && layerCosineLines(run.layerCosines, run.tokens, selected),
    [run, selected],
  );
  if (!run || !heatmap || !norms) return null;
  return (
    <section className="embedding-view" data-testid="view.embeddings">
      <h2>Token embeddings</h2>
      <Plot
        figure={heatmap}
        testId="chart.embedding-heatmap"
        height={Math.min(900, 120 + 18 * run.tokens.length)}
      />
      <Plot figure={norms} testId="chart.norms" height={260} />
      {cosines && <Plot figure={cosines} testId="chart.layer-cosines" height={260} />}
    </section>
  );
}
