/** The service worker's decisions: which requests it answers and how, the headers it adds, what it drops. */
import { describe, expect, it } from 'vitest';
import {
  isolated,
  ISOLATION_HEADERS,
  routeOf,
  shellCacheName,
  staleRuntime,
  staleShellCaches,
  type OfflinePlan,
} from './plan.ts';

const plan: OfflinePlan = {
  version: 'v2',
  shell: [
    { url: '/index.html', revision: 'abc' },
    { url: '/assets/index-AbCd1234.js', revision: 'assets/index-AbCd1234.js' },
  ],
  runtime: ['/assets/ort-wasm-simd-threaded-XyZ12345.wasm'],
};
const scope = 'https://play.example.org/';
const route = (url: string, navigate = false, method = 'GET') =>
  routeOf(plan, scope, { url, method, navigate });

describe('routeOf', () => {
  it('answers the page from the shell for navigations to the app, with or without a query', () => {
    expect(route('https://play.example.org/', true)).toEqual({ kind: 'page' });
    expect(route('https://play.example.org/?text=hi&model=x', true)).toEqual({ kind: 'page' });
    expect(route('https://play.example.org/index.html', true)).toEqual({ kind: 'page' });
    // A model file opened in a tab is not the app.
    expect(route('https://play.example.org/models/manifest.json', true)).toEqual({ kind: 'network' });
  });

  it('serves shell and runtime files from their caches, the manifest network-first, other workers with headers', () => {
    expect(route('https://play.example.org/assets/index-AbCd1234.js')).toEqual({
      kind: 'shell',
      path: '/assets/index-AbCd1234.js',
    });
    expect(route('https://play.example.org/assets/ort-wasm-simd-threaded-XyZ12345.wasm')).toEqual({
      kind: 'runtime',
      path: '/assets/ort-wasm-simd-threaded-XyZ12345.wasm',
    });
    expect(route('https://play.example.org/models/manifest.json')).toEqual({ kind: 'manifest' });
    // Model files stream past the worker (they need no headers, the engine keeps them); a worker script gets
    // the headers it needs to run in an isolated page.
    expect(route('https://play.example.org/models/albert/onnx/model.onnx')).toEqual({ kind: 'pass' });
    expect(
      routeOf(plan, scope, {
        url: 'https://play.example.org/assets/index-Old00000.js',
        method: 'GET',
        navigate: false,
        destination: 'worker',
      }),
    ).toEqual({ kind: 'network' });
  });

  it('leaves other origins (the hub), other methods and paths outside its scope alone', () => {
    expect(route('https://huggingface.co/albert/albert-base-v2/resolve/main/config.json')).toEqual({
      kind: 'pass',
    });
    expect(route('https://play.example.org/assets/index-AbCd1234.js', false, 'HEAD')).toEqual({
      kind: 'pass',
    });
    const nested = routeOf(plan, 'https://host.example.org/playground/', {
      url: 'https://host.example.org/other/',
      method: 'GET',
      navigate: true,
    });
    expect(nested).toEqual({ kind: 'pass' });
    // Under a sub-path (a project site), paths are the site's own.
    expect(
      routeOf(plan, 'https://host.example.org/playground/', {
        url: 'https://host.example.org/playground/assets/index-AbCd1234.js',
        method: 'GET',
        navigate: false,
      }),
    ).toEqual({ kind: 'shell', path: '/assets/index-AbCd1234.js' });
  });
});

describe('isolated', () => {
  it('adds COOP, COEP and CORP, keeps status, type and body, and replaces a weaker COEP', async () => {
    const answer = isolated(
      new Response('body', {
        status: 203,
        statusText: 'Partial',
        headers: { 'Content-Type': 'text/javascript', 'Cross-Origin-Embedder-Policy': 'unsafe-none' },
      }),
    );
    for (const [name, value] of Object.entries(ISOLATION_HEADERS))
      expect(answer.headers.get(name)).toBe(value);
    expect(answer.status).toBe(203);
    expect(answer.statusText).toBe('Partial');
    expect(answer.headers.get('content-type')).toBe('text/javascript');
    expect(await answer.text()).toBe('body');
  });

  it('passes an opaque answer through as it is (it cannot be rebuilt)', () => {
    const opaque = Response.error();
    expect(isolated(opaque)).toBe(opaque);
  });
});

describe('cleaning up after an update', () => {
  it('drops older shells, keeps this version and caches that are not shells', () => {
    const names = [
      shellCacheName({ ...plan, version: 'v1' }),
      shellCacheName(plan),
      'albert-playground-models-v1',
    ];
    expect(staleShellCaches(plan, names)).toEqual(['albert-playground-shell-v1']);
  });

  it('drops runtime files this build no longer ships', () => {
    expect(
      staleRuntime(plan, ['/assets/ort-wasm-simd-threaded-XyZ12345.wasm', '/assets/ort-old-11111111.wasm']),
    ).toEqual(['/assets/ort-old-11111111.wasm']);
  });
});
