/**
 * UMAP beside PCA, for the projection view and the many-sentences panel: the method switch with UMAP's
 * neighbours, min-dist and seed, and a layout job in the worker that starts again (cancelling the one
 * running) whenever what it lays out or a setting changes, with its epochs as progress and a cancel button.
 */
import { useEffect, useState } from 'react';
import type { UmapProgress } from '../engine/umap.ts';
import { UMAP_VALID, type UmapSettings } from '../engine/umapDefaults.ts';
import { PROJECTION_METHODS, useStore } from '../state/store.ts';
import type { UmapSource, UmapView } from '../worker/protocol.ts';
import { useJob } from './apply/useJob.ts';
import { useController } from './controllerContext.ts';
import { useDebounced } from './useDebounced.ts';

/** The method shown and UMAP's settings, from the store (so that they survive a reload and travel in a link). */
export function useMethod() {
  const method = useStore((s) => s.projectionMethod);
  const setMethod = useStore((s) => s.setProjectionMethod);
  const settings = useStore((s) => s.umap);
  const setSettings = useStore((s) => s.setUmap);
  return { method, setMethod, settings, setSettings };
}

/** A number box that applies its value only when `valid` accepts it, so a half-typed "0." changes nothing. */
function NumberBox(props: {
  label: string;
  testId: string;
  value: number;
  step: number;
  valid: (n: number) => boolean;
  onChange: (n: number) => void;
}) {
  const [draft, setDraft] = useState(String(props.value));
  const parsed = draft.trim() === '' ? NaN : Number(draft);
  const ok = props.valid(parsed);
  return (
    <label>
      {props.label}{' '}
      <input
        type="number"
        data-testid={props.testId}
        step={props.step}
        value={draft}
        aria-invalid={!ok}
        style={{ width: '5em' }}
        onChange={(e) => {
          setDraft(e.target.value);
          const n = Number(e.target.value);
          if (e.target.value.trim() !== '' && props.valid(n)) props.onChange(n);
        }}
      />
    </label>
  );
}

/** PCA | UMAP, and with UMAP its three settings. `testId` prefixes the controls' test ids. */
export function MethodControls({
  testId,
  method,
  setMethod,
  settings,
  setSettings,
}: ReturnType<typeof useMethod> & { testId: string }) {
  const set = (patch: Partial<UmapSettings>) => setSettings({ ...settings, ...patch });
  return (
    <div className="row" role="radiogroup" aria-label="method">
      {PROJECTION_METHODS.map((m) => (
        <label key={m}>
          <input
            type="radio"
            name={`${testId}-method`}
            data-testid={`${testId}.method-${m}`}
            checked={method === m}
            onChange={() => setMethod(m)}
          />{' '}
          {m.toUpperCase()}
        </label>
      ))}
      {method === 'umap' && (
        <>
          <NumberBox
            label="neighbours"
            testId={`${testId}.neighbours`}
            value={settings.neighbours}
            step={1}
            valid={UMAP_VALID.neighbours}
            onChange={(neighbours) => set({ neighbours })}
          />
          <NumberBox
            label="min-dist"
            testId={`${testId}.min-dist`}
            value={settings.minDist}
            step={0.05}
            valid={UMAP_VALID.minDist}
            onChange={(minDist) => set({ minDist })}
          />
          <NumberBox
            label="seed"
            testId={`${testId}.seed`}
            value={settings.seed}
            step={1}
            valid={UMAP_VALID.seed}
            onChange={(seed) => set({ seed })}
          />
          <span className="hint">
            UMAP keeps neighbourhoods, not distances: clusters mean something, gaps between them and axes do
            not.
          </span>
        </>
      )}
    </div>
  );
}

/** Settings stop changing for this long before a new layout starts (typing a seed is several keystrokes). */
const SETTLE_MS = 300;

/**
 * The UMAP layout of `source` (nothing while it is undefined); `sourceKey` names what it lays out, so a new
 * layout starts only when that or the settings change.
 */
export function useUmapLayout(
  source: UmapSource | undefined,
  sourceKey: string | undefined,
  settings: UmapSettings,
  k: 2 | 3,
) {
  const { client } = useController();
  const { job, error, start, cancel } = useJob<UmapView, never, UmapProgress>(
    client,
    'Could not lay out with UMAP',
  );
  const [view, setView] = useState<UmapView>();
  const key = source && sourceKey !== undefined ? JSON.stringify([sourceKey, settings, k]) : undefined;
  const settled = useDebounced(key, SETTLE_MS);
  useEffect(() => {
    if (!settled || settled !== key || !source) return;
    cancel();
    start(
      (onProgress) => client.umap({ source, ...settings, k }, onProgress),
      (reply) => setView(reply),
    );
    // A new layout for each settled key; `source` and `settings` are what the key says.
  }, [settled]);
  return { view, job, error, cancel };
}

/** A running layout's epochs with its cancel button; the note of a cancelled one. */
export function UmapStatus({ layout }: { layout: ReturnType<typeof useUmapLayout> }) {
  const { job, error, view } = layout;
  return (
    <>
      {error && <p className="error">{error}</p>}
      {job?.running && (
        <p className="job-progress" data-testid="umap.progress">
          <progress max={job.progress?.epochs ?? 1} value={job.progress?.epoch ?? 0} /> UMAP:{' '}
          {job.progress ? `epoch ${job.progress.epoch} of ${job.progress.epochs}` : 'finding neighbours…'}{' '}
          <button type="button" data-testid="umap.cancel" onClick={layout.cancel}>
            Cancel
          </button>
        </p>
      )}
      {view && !job?.running && (
        <p className="hint" data-testid="umap.summary">
          UMAP of {view.umap.points} points: neighbours {view.umap.neighbours}, min-dist {view.umap.minDist},
          seed {view.umap.seed}, {view.umap.epochs} of {view.umap.totalEpochs} epochs
          {view.cancelled ? ' (cancelled: the layout stopped there)' : ''}.
        </p>
      )}
    </>
  );
}
