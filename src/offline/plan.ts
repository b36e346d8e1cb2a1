/**
 * What the service worker (sw.ts) keeps and how it answers, as plain data and functions that run anywhere: the
 * build writes the plan into sw.js (scripts/vite/serviceWorker.ts), and the unit tests check the decisions.
 *
 * - The app shell (the page, its scripts and styles, the plotly bundle, onnxruntime's loaders) is kept when the
 *   service worker installs, so a reload without network starts the app.
 * - onnxruntime's WebAssembly (14 MB plain, 28 MB WebGPU build) is kept when first used: only the build this
 *   browser runs is downloaded, never both. The engine worker also keeps the one it loaded (keepRuntime.ts), since
 *   on a first visit it may have loaded it before the service worker took over.
 * - The models manifest is asked of the network first, the last copy kept for offline visits. Model files are the
 *   engine worker's to keep (cachedSource.ts), not the service worker's.
 * - The page, its scripts and its workers carry the cross-origin isolation headers, so a static host that sends
 *   none still gives an isolated page and multi-threaded WASM, as coi-serviceworker does. Other files of this
 *   origin (the models) pass the worker by: they need no headers.
 */

/** The shell's files with a revision each (a hashed file's is its name; index.html's its content hash). */
export interface OfflinePlan {
  /** Changes whenever any file of the build changes: a new sw.js, hence an update. */
  version: string;
  shell: { url: string; revision: string }[];
  /** Kept when first fetched, and across updates while the build still ships them. */
  runtime: string[];
}

export const SHELL_CACHE_PREFIX = 'albert-playground-shell-';
/** onnxruntime's WebAssembly, shared by every version that ships the same files. */
export const RUNTIME_CACHE = 'albert-playground-runtime-v1';
/** The last models manifest seen. */
export const DATA_CACHE = 'albert-playground-data-v1';
/** The header that records a kept shell file's revision, so an update copies unchanged files instead of fetching. */
export const REVISION_HEADER = 'X-Albert-Revision';

export const MANIFEST_PATH = '/models/manifest.json';

/** The headers that make a page cross-origin isolated (the same as deploy/nginx/albert-playground.conf sends). */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Messages between the page and the service worker. */
export type ToServiceWorker = { type: 'skip-waiting' };

export const shellCacheName = (plan: OfflinePlan) => SHELL_CACHE_PREFIX + plan.version;

/** How one request is answered. */
export type Route =
  | { kind: 'pass' }
  | { kind: 'page' }
  | { kind: 'shell'; path: string }
  | { kind: 'runtime'; path: string }
  | { kind: 'manifest' }
  | { kind: 'network' };

/**
 * The route of a request of `method` for `url`, made by navigation or not, by a service worker whose scope
 * starts at `scope`. Requests to other origins (the hub) pass untouched, and so do this origin's other files
 * (the models) unless they load a worker: only documents and workers need the isolation headers, and a model
 * file streamed through the service worker would cost memory for nothing.
 */
export function routeOf(
  plan: OfflinePlan,
  scope: string,
  request: { url: string; method: string; navigate: boolean; destination?: string },
): Route {
  const url = new URL(request.url);
  const base = new URL(scope);
  if (url.origin !== base.origin || request.method !== 'GET' || !url.pathname.startsWith(base.pathname))
    return { kind: 'pass' };
  const path = '/' + url.pathname.slice(base.pathname.length);
  if (request.navigate)
    return path === '/' || path === '/index.html' ? { kind: 'page' } : { kind: 'network' };
  if (plan.shell.some((f) => f.url === path)) return { kind: 'shell', path };
  if (plan.runtime.includes(path)) return { kind: 'runtime', path };
  if (path === MANIFEST_PATH) return { kind: 'manifest' };
  return request.destination === 'worker' || request.destination === 'sharedworker'
    ? { kind: 'network' }
    : { kind: 'pass' };
}

/**
 * `response` with the isolation headers added. Opaque and redirect answers cannot be rebuilt and go as they are;
 * the body streams through unread.
 */
export function isolated(response: Response): Response {
  if (response.status === 0 || response.type === 'opaqueredirect') return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** The shell cache names an activated version `plan` no longer needs. */
export const staleShellCaches = (plan: OfflinePlan, names: string[]) =>
  names.filter((n) => n.startsWith(SHELL_CACHE_PREFIX) && n !== shellCacheName(plan));

/** The paths kept in the runtime cache that `plan` no longer ships (an update replaced onnxruntime). */
export const staleRuntime = (plan: OfflinePlan, kept: string[]) =>
  kept.filter((p) => !plan.runtime.includes(p));
