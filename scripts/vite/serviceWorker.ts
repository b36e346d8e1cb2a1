/**
 * Builds the service worker (src/offline/sw.ts) into dist/sw.js once the site is written, with the build's
 * offline plan in it: every file of dist/ except the models (and sw.js), each with a revision. Any change to the
 * site changes sw.js, which is how browsers learn of an update.
 *
 * Our own small worker rather than vite-plugin-pwa/Workbox: the job is a dozen files, one network-first manifest,
 * and rewriting every answer's headers for cross-origin isolation, which Workbox does not do; two service workers
 * cannot share the page's scope, so one worker does both.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'vite';
import type { OfflinePlan } from '../../src/offline/plan.ts';

const ENTRY = fileURLToPath(new URL('../../src/offline/sw.ts', import.meta.url));
export const SERVICE_WORKER_FILE = 'sw.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)).split(sep).join('/'));
}

/** Vite's hashed names end in `-<8 or more base64url characters>.<ext>`: the name is the revision. */
const HASHED = /^assets\/.+-[\w-]{8,}\.[a-z0-9]+$/;

/** The plan of the site in `dir` (its files as written by the build). */
export function offlinePlan(dir: string): OfflinePlan {
  const files = filesUnder(dir)
    .filter((f) => !f.startsWith('models/') && f !== SERVICE_WORKER_FILE && !f.endsWith('.map'))
    .toSorted();
  const revision = (file: string) =>
    HASHED.test(file)
      ? file
      : createHash('sha256')
          .update(readFileSync(join(dir, file)))
          .digest('hex')
          .slice(0, 16);
  const shell = files
    .filter((f) => !f.endsWith('.wasm'))
    .map((f) => ({ url: `/${f}`, revision: revision(f) }));
  const runtime = files.filter((f) => f.endsWith('.wasm')).map((f) => `/${f}`);
  const version = createHash('sha256').update(JSON.stringify({ shell, runtime })).digest('hex').slice(0, 16);
  return { version, shell, runtime };
}

/** Writes `dir`/sw.js for the site already in `dir` (the build does; the update test does for a new "deploy"). */
export async function buildServiceWorker(dir: string): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    define: { PLAN: JSON.stringify(offlinePlan(dir)) },
    build: {
      outDir: dir,
      emptyOutDir: false,
      copyPublicDir: false,
      target: 'es2022',
      lib: {
        entry: ENTRY,
        formats: ['iife'],
        name: 'albertServiceWorker',
        fileName: () => SERVICE_WORKER_FILE,
      },
    },
  });
}

export function serviceWorker(): Plugin {
  let outDir = 'dist';
  return {
    name: 'albert-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle: () => buildServiceWorker(outDir),
  };
}
