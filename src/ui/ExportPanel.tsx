/**
 * Downloads of the current run for other tools: JSON of what is on screen; all hidden states or all attention
 * maps as NumPy .npy (built in the worker, which holds them); the Embedding Projector's TSV pair for the
 * selected layer.
 */
import { useState } from 'react';
import { precisionReport } from '../engine/fidelity.ts';
import { nested } from '../engine/nested.ts';
import type { ExportFile } from '../engine/export/runFiles.ts';
import { tokenNorms } from '../engine/analysis.ts';
import { shownVectors, useStore, type AppState } from '../state/store.ts';
import { useController } from './controllerContext.ts';
import { saveFile } from './download.ts';

/** The open view's own numbers: the attention map (and a cell's arithmetic) or the projected points. */
function shownViewData(s: AppState): Record<string, unknown> {
  if (s.view === 'attention' && s.shownAttention) {
    const { layer, head, hidden, tokens, map } = s.shownAttention;
    const a = s.shownArithmetic;
    return {
      attention: { layer, head, hidden, tokens, weights: nested(map) },
      arithmetic: a && {
        layer: a.layer,
        head: a.head,
        query: a.query,
        key: a.key,
        scores: Array.from(a.scores),
        probabilities: Array.from(a.probabilities),
        share: a.share,
      },
    };
  }
  if (s.view === 'projection' && s.shownProjection) {
    const { mode, layer, compare, view } = s.shownProjection;
    const { scores, k, explainedRatio, points } = view.projection;
    return {
      projection: {
        mode,
        layer: mode === 'paths' ? 'all' : layer,
        compare,
        explainedRatio,
        groupNames: view.groupNames,
        points: view.labels.map((label, p) => ({
          label,
          group: view.groups[p],
          // One coordinate row per layer for paths.
          coordinates: Array.from({ length: view.layers }, (_, l) =>
            Array.from(scores.subarray((l * points + p) * k, (l * points + p + 1) * k)),
          ),
        })),
      },
    };
  }
  return {};
}

export function ExportPanel() {
  const controller = useController();
  const run = useStore((s) => s.run);
  const layer = useStore((s) => s.layer);
  const attentionUnavailable = useStore((s) => s.info?.attentionUnavailable);
  const [error, setError] = useState<string>();
  if (!run) return null;

  const fromWorker = (what: 'hidden-npy' | 'attentions-npy' | 'projector') => async () => {
    setError(undefined);
    try {
      const files: ExportFile[] = await controller.client.export(run.runId, what, layer);
      files.forEach(saveFile);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const shownJson = () => {
    const s = useStore.getState();
    const vectors = shownVectors(s);
    const shown = {
      model: s.info?.model,
      modelFile: s.info?.modelFile,
      dtype: s.info?.dtype ?? null,
      // Where the numbers come from: float32, or a quantized/fp16 file with its typical distance from fp32.
      precision: s.info && precisionReport(s.info.precision),
      backend: run.backend,
      text: run.text,
      pair: run.pair,
      tokens: run.tokens,
      ids: run.ids,
      tokenTypeIds: run.tokenTypeIds,
      offsets: run.offsets,
      special: run.special,
      truncated: run.truncated,
      droppedTokens: run.droppedTokens,
      padding: run.padding,
      layer,
      selectedToken: s.selectedToken,
      view: s.view,
      ...shownViewData(s),
      vectors: s.layer === 0 && s.showFactorized ? 'factorized embedding' : `hidden state of layer ${layer}`,
      hiddenStates: vectors ? nested(vectors) : undefined,
      norms: vectors ? Array.from(tokenNorms(vectors)) : undefined,
      layerCosines: run.layerCosines ? nested(run.layerCosines) : undefined,
    };
    saveFile({
      name: `albert-layer${layer}.json`,
      mime: 'application/json',
      bytes: JSON.stringify(shown, null, 1),
    });
  };
  return (
    <section className="exports" data-testid="export.panel">
      <h2>Export</h2>
      <button type="button" data-testid="export.json" onClick={shownJson}>
        JSON of what is shown
      </button>
      <button type="button" data-testid="export.hidden-npy" onClick={() => void fromWorker('hidden-npy')()}>
        All hidden states (.npy)
      </button>
      <button
        type="button"
        data-testid="export.attentions-npy"
        disabled={attentionUnavailable !== undefined}
        title={attentionUnavailable}
        onClick={() => void fromWorker('attentions-npy')()}
      >
        All attention maps (.npy)
      </button>
      <button type="button" data-testid="export.projector" onClick={() => void fromWorker('projector')()}>
        Embedding Projector TSV (layer {layer})
      </button>
      {error && (
        <p className="error" role="alert">
          Could not export: {error}
        </p>
      )}
    </section>
  );
}
