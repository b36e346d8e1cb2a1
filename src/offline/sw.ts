/**
 * The service worker (built on its own into sw.js by scripts/vite/serviceWorker.ts, which writes the build's
 * plan in place of PLAN). What it keeps and how it answers is in plan.ts.
 *
 * Updates: a new build is a new sw.js. The first one takes over at once (there is nothing to replace). A later
 * one installs beside the running version and waits, so a page never mixes two builds' files; the page shows
 * "new version — reload" and, when asked, sends `skip-waiting`.
 */
import {
  DATA_CACHE,
  isolated,
  MANIFEST_PATH,
  REVISION_HEADER,
  routeOf,
  RUNTIME_CACHE,
  shellCacheName,
  staleRuntime,
  staleShellCaches,
  type OfflinePlan,
  type ToServiceWorker,
} from './plan.ts';

declare const PLAN: OfflinePlan;
const plan = PLAN;
const sw = self as unknown as ServiceWorkerGlobalScope;
const scope = sw.registration.scope;
const at = (path: string) => new URL(path.slice(1), scope).href;

/** A shell file: copied from an older version's cache when its revision is the same, else downloaded. */
async function keepShellFile(cache: Cache, file: OfflinePlan['shell'][number]): Promise<void> {
  const url = at(file.url);
  const old = await caches.match(url);
  if (old?.headers.get(REVISION_HEADER) === file.revision) return cache.put(url, old);
  // `no-cache`: the page itself (index.html) must not come from an HTTP cache older than this build.
  const response = await fetch(url, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`${file.url}: HTTP ${response.status}`);
  const headers = new Headers(response.headers);
  headers.set(REVISION_HEADER, file.revision);
  await cache.put(url, new Response(await response.arrayBuffer(), { status: 200, headers }));
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(shellCacheName(plan));
      await Promise.all(plan.shell.map((file) => keepShellFile(cache, file)));
      // Nothing runs yet: take over now (the page reloads once if it needs the isolation headers).
      if (!sw.registration.active) await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      await Promise.all(staleShellCaches(plan, await caches.keys()).map((name) => caches.delete(name)));
      const runtime = await caches.open(RUNTIME_CACHE);
      const kept = (await runtime.keys()).map((r) => '/' + r.url.slice(scope.length));
      await Promise.all(staleRuntime(plan, kept).map((path) => runtime.delete(at(path))));
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('message', (event) => {
  const message = event.data as ToServiceWorker;
  if (message?.type === 'skip-waiting') event.waitUntil(sw.skipWaiting());
});

/** From `cacheName` if kept there, else from the network (kept when `keep` and whole). */
async function cacheFirst(cacheName: string, request: Request, keep: boolean): Promise<Response> {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(request.url);
  if (hit) return hit;
  const response = await fetch(request);
  if (keep && response.status === 200) await cache.put(request.url, response.clone());
  return response;
}

/** From the network, the copy kept for when it cannot be reached. */
async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(DATA_CACHE);
  try {
    const response = await fetch(request, { cache: 'no-cache' });
    if (response.ok) await cache.put(at(MANIFEST_PATH), response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(at(MANIFEST_PATH));
    if (kept) return kept;
    throw error;
  }
}

async function answer(request: Request, route: ReturnType<typeof routeOf>): Promise<Response> {
  switch (route.kind) {
    case 'page':
      // The page of this version (its scripts are this version's too); the network only if it was never kept.
      return (
        (await caches.open(shellCacheName(plan)).then((c) => c.match(at('/index.html')))) ?? fetch(request)
      );
    case 'shell':
      return cacheFirst(shellCacheName(plan), request, false);
    case 'runtime':
      return cacheFirst(RUNTIME_CACHE, request, true);
    case 'manifest':
      return networkFirst(request);
    default:
      return fetch(request);
  }
}

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  const route = routeOf(plan, scope, {
    url: request.url,
    method: request.method,
    navigate: request.mode === 'navigate',
    destination: request.destination,
  });
  if (route.kind === 'pass') return;
  event.respondWith(answer(request, route).then(isolated));
});
