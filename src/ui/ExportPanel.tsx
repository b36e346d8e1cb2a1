/**
 * Downloads of the current run for other tools: JSON of what is on screen; all hidden states or all attention
 * maps as NumPy .npy; the Embedding Projector's TSV pair for the selected layer. The worker, which holds the
 * numbers, writes every file; the page says what is shown and saves what comes back.
 */
import { useState } from 'react';
import type { ExportFile } from '../engine/export/runFiles.ts';
import { useStore, type AppState } from '../state/store.ts';
import type { ExportKind, ShownRequest } from '../worker/protocol.ts';
import { useController } from './controllerContext.ts';
import { saveFile } from './download.ts';

/** What the page shows, for the worker to write with its own numbers. */
function shownRequest(s: AppState): ShownRequest {
  const hide = { specials: s.hideSpecials, padding: s.hidePadding };
  const cell = s.attentionCell?.runId === s.run?.runId ? s.attentionCell : undefined;
  return {
    view: s.view,
    layer: s.layer,
    selectedToken: s.selectedToken,
    factorized: s.showFactorized,
    ...(s.view === 'attention' && {
      attention: {
        head: s.head,
        hide,
        ...(cell && typeof s.head === 'number' && { cell: { query: cell.query, key: cell.key } }),
      },
    }),
    ...(s.view === 'projection' && {
      projection: {
        mode: s.pcaMode,
        compare: s.compareTexts
          .split('\n')
          .map((t) => t.trim())
          .filter(Boolean),
        hide,
      },
    }),
  };
}

export function ExportPanel() {
  const controller = useController();
  const run = useStore((s) => s.run);
  const layer = useStore((s) => s.layer);
  const attentionUnavailable = useStore((s) => s.info?.attentionUnavailable);
  const [error, setError] = useState<string>();
  if (!run) return null;

  // Every file is written in the worker, which holds the numbers; the page only saves it.
  const fromWorker = (what: ExportKind) => async () => {
    setError(undefined);
    try {
      const shown = what === 'shown-json' ? shownRequest(useStore.getState()) : undefined;
      const files: ExportFile[] = await controller.client.export(run.runId, what, layer, shown);
      files.forEach(saveFile);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section className="exports" data-testid="export.panel">
      <h2>Export</h2>
      <button type="button" data-testid="export.json" onClick={() => void fromWorker('shown-json')()}>
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
