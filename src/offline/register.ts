/**
 * The page's side of the service worker (sw.ts): registers it, reloads once when the page needs the worker's
 * isolation headers to get SharedArrayBuffer (a static host that sends no COOP/COEP), says why isolation could
 * not be had, and offers a new deploy as "new version — reload".
 */
import { messageOf } from '../engine/errors.ts';
import type { ToServiceWorker } from './plan.ts';

/** Whether the page is cross-origin isolated, and why not when it is not (for the status badge). */
export interface Isolation {
  isolated: boolean;
  reason?: string;
}

export interface OfflineEnvironment {
  window: Pick<Window, 'crossOriginIsolated' | 'isSecureContext' | 'location' | 'sessionStorage'>;
  /** navigator.serviceWorker, absent where the browser offers none (an insecure page, some private modes). */
  container: ServiceWorkerContainer | undefined;
  /** The built site has a service worker; the dev server (which sends the headers itself) has none. */
  scriptUrl: string | undefined;
  /** Called when a new version is installed and waiting; `apply` switches to it and reloads the page. */
  onUpdate(apply: () => void): void;
  /** How long a first visit waits for the worker before starting without isolation (INSTALL_TIMEOUT_MS). */
  installTimeoutMs?: number;
}

/**
 * A first visit on a host without the headers waits this long for the service worker (it downloads the app's
 * 6 MB of scripts, most of them from the HTTP cache the page just filled) before starting without isolation.
 */
export const INSTALL_TIMEOUT_MS = 15_000;

/** Set for the one reload the isolation may cost, so a browser that will not isolate never reloads in a loop. */
export const RELOADED_KEY = 'albert-playground.isolation-reload';

export type OfflineStart = { reloading: true } | { reloading: false; isolation: Isolation };

const notIsolated = (reason: string): OfflineStart => ({
  reloading: false,
  isolation: { isolated: false, reason },
});

/**
 * Registers the service worker and decides whether the page must reload once to be isolated. When it resolves
 * with `reloading`, the page is about to reload and the app should not start.
 */
export async function startOffline(env: OfflineEnvironment): Promise<OfflineStart> {
  const { window: win, container } = env;
  const isolated = win.crossOriginIsolated;
  if (!env.scriptUrl)
    return isolated
      ? { reloading: false, isolation: { isolated } }
      : notIsolated('the server sends no isolation headers');
  if (!container)
    return isolated
      ? { reloading: false, isolation: { isolated } }
      : notIsolated(
          win.isSecureContext
            ? 'the server sends no isolation headers, and this browser allows no service worker here to add them'
            : 'the page is served over plain HTTP, where no service worker can add the isolation headers',
        );
  let registration: ServiceWorkerRegistration;
  try {
    // Typed as always a registration, but a browser that blocks service workers may answer with none.
    const answer = (await container.register(env.scriptUrl, { scope: './' })) as
      ServiceWorkerRegistration | undefined;
    if (!answer) throw new Error('the browser refused it');
    registration = answer;
  } catch (error) {
    return isolated
      ? { reloading: false, isolation: { isolated } }
      : notIsolated(
          `the service worker that would add the isolation headers failed to start (${messageOf(error)})`,
        );
  }
  watchUpdates(registration, container, env);
  if (isolated) {
    win.sessionStorage.removeItem(RELOADED_KEY);
    return { reloading: false, isolation: { isolated } };
  }
  if (win.sessionStorage.getItem(RELOADED_KEY))
    return notIsolated(
      container.controller
        ? 'the browser did not isolate the page even with the isolation headers its service worker added'
        : 'the service worker did not take over the page after one reload',
    );
  // Not yet served by the worker: once it is active (at once if it already is, as after a hard reload), reload.
  const timeoutMs = env.installTimeoutMs ?? INSTALL_TIMEOUT_MS;
  const active = await becameActive(registration, timeoutMs);
  if (active !== true)
    return notIsolated(
      active === 'failed'
        ? 'the service worker that would add the isolation headers failed to install'
        : `the service worker that would add the isolation headers did not start within ${Math.round(timeoutMs / 1000)} s (the next visit may be isolated)`,
    );
  win.sessionStorage.setItem(RELOADED_KEY, '1');
  win.location.reload();
  return { reloading: true };
}

/**
 * Resolves true once the registration has an active worker, `failed` if the one installing fails, `late` after
 * `timeoutMs` (a browser that blocks service workers may leave one installing for ever; the app starts anyway).
 */
function becameActive(
  registration: ServiceWorkerRegistration,
  timeoutMs: number,
): Promise<true | 'failed' | 'late'> {
  if (registration.active) return Promise.resolve(true);
  const worker = registration.installing ?? registration.waiting;
  if (!worker) return Promise.resolve('failed');
  return new Promise((resolve) => {
    setTimeout(() => resolve('late'), timeoutMs);
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve(true);
      else if (worker.state === 'redundant') resolve('failed');
    });
  });
}

/** Tells the page of a new version waiting behind the running one, and reloads into it when asked. */
function watchUpdates(
  registration: ServiceWorkerRegistration,
  container: ServiceWorkerContainer,
  env: OfflineEnvironment,
): void {
  let switching = false;
  const offer = () => {
    const waiting = registration.waiting;
    // A first install (no controller yet) takes over by itself; only a version behind a running one waits.
    if (!waiting || !container.controller) return;
    env.onUpdate(() => {
      switching = true;
      waiting.postMessage({ type: 'skip-waiting' } satisfies ToServiceWorker);
    });
  };
  offer();
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => installing.state === 'installed' && offer());
  });
  container.addEventListener('controllerchange', () => switching && env.window.location.reload());
}
