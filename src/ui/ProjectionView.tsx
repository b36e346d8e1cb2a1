/**
 * "PCA projection" (or UMAP): the token vectors at the selected layer in 2-D or 3-D, or every token's path through the
 * layers in one shared basis; other texts (one per line) can join on the same axes, coloured by text. The
 * decomposition runs in the worker; only coordinates cross.
 */
import { useEffect, useMemo, useState } from 'react';
import { PCA_MODES, useHidden, useStore, type PcaMode } from '../state/store.ts';
import { pcaPaths, pcaScatter, umapScatter } from './charts/projection.ts';
import { Plot } from './charts/Plot.tsx';
import { useController } from './controllerContext.ts';
import { useFetched } from './useFetched.ts';
import { MethodControls, UmapStatus, useMethod, useUmapLayout } from './Umap.tsx';

const MODE_LABELS: Record<PcaMode, string> = { '2d': '2-D', '3d': '3-D', paths: 'Paths through the layers' };
const TYPING_DELAY_MS = 400;

/** The compare box edits a draft and publishes it once typing pauses, so each keystroke does not run the model. */
function CompareTexts() {
  const stored = useStore((s) => s.compareTexts);
  const setCompareTexts = useStore((s) => s.setCompareTexts);
  const [draft, setDraft] = useState(stored);
  useEffect(() => setDraft(stored), [stored]);
  useEffect(() => {
    if (draft === stored) return;
    const timer = setTimeout(() => setCompareTexts(draft), TYPING_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, stored, setCompareTexts]);
  return (
    <label className="compare-texts">
      Compare texts (one per line; each is run on its own and drawn on the same axes, coloured by text)
      <textarea
        data-testid="projection.compare"
        rows={3}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        placeholder={'A second sentence\nA third one'}
      />
    </label>
  );
}

export function ProjectionView() {
  const { client } = useController();
  const run = useStore((s) => s.run);
  const layer = useStore((s) => s.layer);
  const mode = useStore((s) => s.pcaMode);
  const setMode = useStore((s) => s.setPcaMode);
  const hide = useHidden();
  const hideSpecials = hide.specials;
  const setHideSpecials = useStore((s) => s.setHideSpecials);
  const compareTexts = useStore((s) => s.compareTexts);
  const compare = useMemo(
    () =>
      compareTexts
        .split('\n')
        .map((t) => t.trim())
        .filter(Boolean),
    [compareTexts],
  );
  const method = useMethod();
  const umap = method.method === 'umap';
  const umapK = mode === '3d' ? 3 : 2;
  const layout = useUmapLayout(
    run && umap ? { kind: 'tokens', runId: run.runId, layer, compare, hide } : undefined,
    run && umap ? JSON.stringify([run.runId, layer, hide, compare]) : undefined,
    method.settings,
    umapK,
  );
  const umapFigure = useMemo(
    () =>
      layout.view &&
      umapScatter(
        layout.view,
        layout.view.umap.k === 3 ? 3 : 2,
        `UMAP of the token vectors${layout.view.cancelled ? ' (cancelled)' : ''}`,
      ),
    [layout.view],
  );
  const key =
    run && !umap
      ? JSON.stringify([run.runId, mode === 'paths' ? 'all' : layer, mode, hide, compare])
      : undefined;
  const fetched = useFetched(key, () =>
    client.projection({
      runId: run!.runId,
      mode: mode === 'paths' ? 'paths' : 'layer',
      layer,
      k: mode === '3d' ? 3 : 2,
      compare,
      hide,
    }),
  );
  const figure = useMemo(() => {
    const view = fetched.value;
    if (!view) return undefined;
    const [, at, shownMode] = JSON.parse(fetched.valueKey!) as [number, number | 'all', PcaMode];
    if (shownMode === 'paths')
      return pcaPaths(
        view,
        'Paths: each token from layer 0 to the last, in one PCA basis fitted over all layers',
      );
    return pcaScatter(view, shownMode === '3d' ? 3 : 2, `PCA of the token vectors at layer ${at}`);
  }, [fetched.value, fetched.valueKey]);
  if (!run) return null;
  return (
    <section className="projection-view" data-testid="view.projection">
      <div className="row" role="radiogroup" aria-label="projection">
        {PCA_MODES.map((m) => (
          <label key={m}>
            <input
              type="radio"
              name="pca-mode"
              data-testid={`projection.mode-${m}`}
              checked={mode === m}
              onChange={() => setMode(m)}
            />{' '}
            {MODE_LABELS[m]}
          </label>
        ))}
        <label>
          <input
            type="checkbox"
            data-testid="projection.hide-specials"
            checked={hideSpecials}
            onChange={(e) => setHideSpecials(e.target.checked)}
          />{' '}
          Leave out [CLS]/[SEP] (they often sit far from the rest and dominate the axes)
        </label>
      </div>
      <CompareTexts />
      <MethodControls testId="projection" {...method} />
      {umap ? (
        <>
          {mode === 'paths' && (
            <p className="hint">
              Paths are drawn with PCA (one basis over all layers); UMAP lays out this layer.
            </p>
          )}
          <UmapStatus layout={layout} />
          {umapFigure && (
            <Plot figure={umapFigure} testId="chart.projection" height={umapK === 3 ? 560 : 480} />
          )}
        </>
      ) : fetched.error ? (
        <p className="error" data-testid="projection.error">
          Could not project: {fetched.error}
        </p>
      ) : figure ? (
        <Plot figure={figure} testId="chart.projection" height={mode === '3d' ? 560 : 480} />
      ) : (
        <p>projecting…</p>
      )}
      {!umap && fetched.value && (
        <p className="hint" data-testid="projection.variance">
          Explained variance:{' '}
          {fetched.value.projection.explainedRatio
            .map((r, i) => `PC${i + 1} ${(r * 100).toFixed(1)}%`)
            .join(', ')}
          {fetched.pending ? ' (updating…)' : ''}
        </p>
      )}
    </section>
  );
}
