/**
 * Where the model comes from: a folder served with the site, a Hugging Face hub id (or any folder URL), or a
 * folder on this computer (picker or drag and drop); which ONNX file (dtype) and which backend. Shows per-file
 * download progress (a stalled file says it is waiting; loading can be cancelled) and the browser cache of hub
 * models. The panel folds to one line naming the model; on a phone it starts folded, so the text comes first.
 */
import { useEffect, useState, type DragEvent } from 'react';
import { BROWSER_BACKEND_REQUESTS, type BackendRequest } from '../engine/types.ts';
import { choiceFromParam, choiceIdentity } from '../shared/models.ts';
import { useStore, type ModelSlice } from '../state/store.ts';
import { useController } from './controllerContext.ts';
import { folderFromDrop, folderFromInput, type PickedFolder } from './folderDrop.ts';
import { formatBytes } from '../shared/format.ts';
import { Catalogue } from './model/Catalogue.tsx';
import { WeightsSelect } from './model/WeightsSelect.tsx';
import { usePhone } from './useMediaQuery.ts';

/** How long no byte may arrive, while a file is unfinished, before the panel says it is waiting. */
const QUIET_MS = 3000;

/**
 * Whole seconds since the last progress while some file is unfinished (its last report states a total it has
 * not reached), else 0: a stalled server shows as waiting instead of a frozen bar.
 */
function useSecondsWaiting(progress: ModelSlice['progress'], loading: boolean): number {
  const unfinished =
    loading && Object.values(progress).some((p) => p.total === undefined || p.loaded < p.total);
  const [last, setLast] = useState({ progress, at: Date.now() });
  const [now, setNow] = useState(Date.now);
  // New progress restarts the count (state adjusted while rendering, as React recommends for derived state).
  if (last.progress !== progress) setLast({ progress, at: Date.now() });
  useEffect(() => {
    if (!unfinished) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [unfinished]);
  return unfinished && now - last.at >= QUIET_MS ? Math.round((now - last.at) / 1000) : 0;
}

function Progress() {
  const controller = useController();
  const progress = useStore((s) => s.progress);
  const lifecycle = useStore((s) => s.lifecycle);
  const waiting = useSecondsWaiting(progress, lifecycle === 'loading');
  if (lifecycle !== 'loading' && lifecycle !== 'warming') return null;
  return (
    <ul className="progress" data-testid="model.progress">
      {lifecycle === 'loading' && (
        <li>
          <button type="button" data-testid="model.cancel" onClick={() => controller.cancelLoad()}>
            Cancel loading
          </button>
        </li>
      )}
      {Object.entries(progress).map(([file, p]) => (
        <li key={file}>
          <span>{file}</span>
          <progress max={p.total ?? 1} value={p.total ? p.loaded : undefined} />
          <span>
            {formatBytes(p.loaded)}
            {p.total ? ` / ${formatBytes(p.total)}` : ''}
          </span>
        </li>
      ))}
      {waiting > 0 && (
        <li data-testid="model.progress-waiting">
          Waiting for the server: nothing has arrived for {waiting} s.
        </li>
      )}
      {lifecycle === 'warming' && <li>warming up (first run compiles the kernels)…</li>}
    </ul>
  );
}

function CacheControl() {
  const controller = useController();
  const cache = useStore((s) => s.cache);
  return (
    <div className="cache" data-testid="model.cache">
      <span data-testid="model.cache-usage">
        Hub models cached in this browser:{' '}
        {cache
          ? `${formatBytes(cache.totalBytes)} in ${cache.models.length} model${cache.models.length === 1 ? '' : 's'}`
          : '…'}
      </span>
      {cache && cache.graphs.graphs > 0 && (
        <span data-testid="model.cache-graphs">
          ; prepared graphs (a second visit skips preparing them): {formatBytes(cache.graphs.bytes)} in{' '}
          {cache.graphs.graphs}
        </span>
      )}
      <button type="button" onClick={() => void controller.refreshCache()}>
        Refresh
      </button>
      <button
        type="button"
        data-testid="model.cache-clear"
        onClick={() => void controller.clearCache()}
        disabled={!cache?.totalBytes && !cache?.graphs.bytes}
      >
        Clear cache
      </button>
    </div>
  );
}

export function ModelPanel() {
  const controller = useController();
  const manifest = useStore((s) => s.manifest);
  const choice = useStore((s) => s.choice);
  const folderFiles = useStore((s) => s.folderFiles);
  const backendRequest = useStore((s) => s.backendRequest);
  const [hubId, setHubId] = useState('');
  const [dragging, setDragging] = useState(false);
  const phone = usePhone();
  const [open, setOpen] = useState(!phone);
  // Turned from phone to wide or back: fold or unfold as that width starts (adjusted while rendering).
  const [wasPhone, setWasPhone] = useState(phone);
  if (wasPhone !== phone) {
    setWasPhone(phone);
    setOpen(!phone);
  }
  const siteEntry = manifest.find((m) => m.path === choice?.param);
  // The folder's own files: as its last load listed them, else as the site's manifest does.
  const files =
    choice && folderFiles?.model === choiceIdentity(choice) ? folderFiles.files : siteEntry?.files;

  const loadFolder = (folder: PickedFolder | undefined) => {
    if (folder)
      void controller.load({
        location: { kind: 'files', ...folder },
        label: `folder "${folder.name}" from this computer`,
      });
  };
  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    loadFolder(await folderFromDrop(event.dataTransfer));
  };

  return (
    <section
      className={`model-panel${dragging ? ' dragging' : ''}`}
      data-testid="model.panel"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => void onDrop(e)}
    >
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary data-testid="model.summary">
          Model: <strong>{siteEntry?.name ?? choice?.label ?? 'none loaded'}</strong>
          {!open && <span className="hint"> · change the model, its weights or backend</span>}
        </summary>
        <div className="row">
          <label>
            Model{' '}
            <select
              data-testid="model.site"
              value={siteEntry?.path ?? ''}
              onChange={(e) => e.target.value && void controller.load(choiceFromParam(e.target.value))}
            >
              {!siteEntry && <option value="">{choice?.label ?? 'choose…'}</option>}
              {manifest.map((m) => (
                <option key={m.path} value={m.path}>
                  {m.name} ({m.layers} layers, {m.hiddenSize}-d{m.randomWeights ? ', random weights' : ''})
                </option>
              ))}
            </select>
          </label>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (hubId.trim()) void controller.load(choiceFromParam(hubId));
            }}
          >
            <input
              data-testid="model.hub-id"
              placeholder="Xenova/albert-base-v2, or a folder on this site"
              value={hubId}
              onChange={(e) => setHubId(e.target.value)}
              aria-label="Hugging Face hub id or folder URL"
            />
            <button type="submit" data-testid="model.hub-load">
              Load
            </button>
          </form>
          <label className="folder">
            Folder on this computer…
            <input
              type="file"
              data-testid="model.folder"
              webkitdirectory=""
              multiple
              onChange={(e) => loadFolder(folderFromInput(e.target.files))}
            />
          </label>
        </div>
        <div className="row">
          <WeightsSelect files={files} />
          <label>
            Backend{' '}
            <select
              data-testid="model.backend"
              value={backendRequest}
              onChange={(e) =>
                choice && void controller.load(choice, { backend: e.target.value as BackendRequest })
              }
            >
              {BROWSER_BACKEND_REQUESTS.map((b) => (
                <option key={b} value={b}>
                  {b === 'auto' ? 'automatic' : b === 'webgpu' ? 'WebGPU' : 'WASM'}
                </option>
              ))}
            </select>
          </label>
          <span className="hint">Drop a model folder anywhere here.</span>
        </div>
        <Catalogue />
        <CacheControl />
      </details>
      <Progress />
    </section>
  );
}
