/** Starts the playground: the engine worker, the controller that feeds the store, and the React tree. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { automationApi } from './app/automation.ts';
import { Controller, FIRST_RESULT } from './app/controller.ts';
import { startOffline, type OfflineStart } from './offline/register.ts';
import type { ManifestEntry } from './shared/models.ts';
import { useStore } from './state/store.ts';
import { ControllerContext } from './ui/controllerContext.ts';
import { App } from './ui/App.tsx';
import { EngineClient } from './worker/client.ts';
import type { WorkerPort } from './worker/protocol.ts';
import './ui/styles.css';

const connect = () =>
  new Worker(new URL('./worker/engine.worker.ts', import.meta.url), {
    type: 'module',
  }) as unknown as WorkerPort;

async function fetchManifest(): Promise<ManifestEntry[]> {
  const response = await fetch('/models/manifest.json');
  if (!response.ok) return [];
  return ((await response.json()) as { models: ManifestEntry[] }).models;
}

/**
 * The service worker keeps the app for offline visits and, on a host that sends no isolation headers, adds them
 * (src/offline/register.ts). Whatever goes wrong with it, the app starts.
 */
const startServiceWorker = (): Promise<OfflineStart> =>
  startOffline({
    window,
    container: 'serviceWorker' in navigator ? navigator.serviceWorker : undefined,
    scriptUrl: import.meta.env.PROD ? new URL('sw.js', document.baseURI).href : undefined,
    onUpdate: (applyUpdate) => useStore.setState({ applyUpdate }),
  }).catch((error: unknown) => ({
    reloading: false,
    isolation: {
      isolated: window.crossOriginIsolated,
      reason: `the service worker failed (${String(error)})`,
    },
  }));
const settled = (start: OfflineStart) =>
  !start.reloading && useStore.setState({ isolation: start.isolation });

const resultShown = (lifecycle: string) =>
  performance.getEntriesByName(FIRST_RESULT).length > 0 || lifecycle === 'error';

/**
 * Resolves a moment after the first result is on screen (or the model failed, or 30 s passed): the service
 * worker's download of the app's files then competes with nothing the user waits for.
 */
function afterFirstResult(): Promise<void> {
  return new Promise((resolve) => {
    if (resultShown(useStore.getState().lifecycle)) return void setTimeout(resolve, 1000);
    const settle = () => {
      unsubscribe();
      clearTimeout(deadline);
      setTimeout(resolve, 1000);
    };
    const deadline = setTimeout(settle, 30_000);
    const unsubscribe = useStore.subscribe(({ lifecycle }) => resultShown(lifecycle) && settle());
  });
}

/** Starts the engine and the page; resolves when the first model has loaded (or failed to). */
function startApp(): Promise<void> {
  let controller: Controller;
  const client = new EngineClient(connect, {
    onBackendChanged: (info, notice) => controller.backendChanged(info, notice),
    onRestart: () => controller.restarted(),
  });
  controller = new Controller(client, {
    location: window.location,
    history: window.history,
    storage: window.localStorage,
    online: navigator.onLine,
    manifest: fetchManifest,
  });
  window.albertPlayground = automationApi(controller);

  // The model starts loading first; the page draws in a task of its own, so neither holds the main thread for
  // long (the script's own evaluation is one task, the first render another).
  const started = controller.start();
  setTimeout(() =>
    createRoot(document.getElementById('root')!).render(
      <StrictMode>
        <ControllerContext value={controller}>
          <App />
        </ControllerContext>
      </StrictMode>,
    ),
  );
  return started;
}

if (window.crossOriginIsolated) {
  // Isolated already (the server sends the headers): the service worker registers after the first result, so
  // that its download of the app's files does not compete with the first start.
  void startApp()
    .catch(() => undefined)
    .then(afterFirstResult)
    .then(startServiceWorker)
    .then(settled);
} else {
  // The page may reload once, served by the service worker with the headers; until then it says so.
  const boot = document.getElementById('boot');
  if (boot) boot.textContent = 'Setting up the page so ALBERT can run on several threads; it reloads once…';
  void startServiceWorker().then((start) => {
    if (start.reloading) return;
    settled(start);
    void startApp();
  });
}
