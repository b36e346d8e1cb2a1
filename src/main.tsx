/** Starts the playground: the engine worker, the controller that feeds the store, and the React tree. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { automationApi } from './app/automation.ts';
import { Controller } from './app/controller.ts';
import type { ManifestEntry } from './shared/models.ts';
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

// The model starts loading first; the page draws in a task of its own, so neither holds the main thread for long
// (the script's own evaluation is one task, the first render another).
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
