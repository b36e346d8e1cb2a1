/** Starts the playground: the engine worker, the controller that feeds the store, and the React tree. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { automationApi } from './app/automation.ts';
import { Controller } from './app/controller.ts';
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

// The service worker keeps the app for offline visits and, on a host that sends no isolation headers, adds them.
const offline: Promise<OfflineStart> = startOffline({
  window,
  container: 'serviceWorker' in navigator ? navigator.serviceWorker : undefined,
  scriptUrl: import.meta.env.PROD ? new URL('sw.js', document.baseURI).href : undefined,
  onUpdate: (applyUpdate) => useStore.setState({ applyUpdate }),
}).catch((error: unknown) => ({
  // Whatever went wrong with the service worker, the app starts.
  reloading: false,
  isolation: { isolated: window.crossOriginIsolated, reason: `the service worker failed (${String(error)})` },
}));
const settled = (start: OfflineStart) =>
  !start.reloading && useStore.setState({ isolation: start.isolation });

function startApp(): void {
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
  void controller.start();
  setTimeout(() =>
    createRoot(document.getElementById('root')!).render(
      <StrictMode>
        <ControllerContext value={controller}>
          <App />
        </ControllerContext>
      </StrictMode>,
    ),
  );
}

if (window.crossOriginIsolated) {
  // Isolated already (the server sends the headers): nothing waits for the service worker.
  startApp();
  void offline.then(settled);
} else {
  // The page may reload once, served by the service worker with the headers; until then it says so.
  const boot = document.getElementById('boot');
  if (boot) boot.textContent = 'Setting up the page so ALBERT can run on several threads; it reloads once…';
  void offline.then((start) => {
    if (start.reloading) return;
    settled(start);
    startApp();
  });
}
