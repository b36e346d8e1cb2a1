/**
 * What the browser benchmarks share: a production build of the app into a folder of their own (never dist/, so
 * a bench does not race an e2e run), the base-shape random model copied into it, `vite preview` serving it with
 * the COOP/COEP headers WASM threads need, and Debian's Chromium with the e2e suite's launch arguments.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import playwrightConfig from '../../playwright.config.ts';
import { writeManifest } from './manifest.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the base-shape model is served from in a bench build. */
export const BASE_MODEL_PATH = '/models/albert-base-random/';

/** Runs a command in `root`, its output on stderr; throws on failure. */
function run(root: string, args: string[], what: string): void {
  const result = spawnSync('npx', args, {
    cwd: root,
    stdio: ['ignore', 2, 2],
    // As the e2e build: the hub is a local address that is never contacted here.
    env: { ...process.env, VITE_HF_ENDPOINT: 'http://127.0.0.1:4174' },
  });
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status ?? result.signal})`);
}

/** Writes the base-shape random model to .cache/models/albert-base-random unless it is there; returns its folder. */
export function ensureBaseModel(root: string, log: (m: string) => void): string {
  const dir = join(root, '.cache/models/albert-base-random');
  if (!existsSync(join(dir, 'onnx/model.onnx'))) {
    log(`${dir} is missing; generating it (npx tsx scripts/fixtures.ts --shape base)`);
    run(root, ['tsx', 'scripts/fixtures.ts', '--shape', 'base'], 'generating the base-shape model');
  }
  return dir;
}

/**
 * Builds the app into `outDir` (unless `reuse` and it is there) and copies the base-shape model into it, listed
 * in the build's models manifest as a site that serves it would list it.
 */
export function buildApp(root: string, outDir: string, modelDir: string, reuse: boolean): void {
  if (!reuse || !existsSync(join(outDir, 'index.html')))
    run(root, ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], 'vite build');
  const copy = join(outDir, 'models/albert-base-random');
  rmSync(copy, { recursive: true, force: true });
  cpSync(modelDir, copy, { recursive: true });
  writeManifest(join(outDir, 'models'));
}

/** Builds more pages with their own Vite config into the same folder, under their base. */
export function buildPages(root: string, config: string, outDir: string): void {
  run(
    root,
    ['vite', 'build', '-c', config, '--outDir', outDir, '--logLevel', 'warn'],
    `vite build -c ${config}`,
  );
}

/** `vite preview` of `outDir` on `port`, once it answers. */
export async function servePreview(root: string, outDir: string, port: number): Promise<ChildProcess> {
  const server = spawn(
    'npx',
    ['vite', 'preview', '--outDir', outDir, '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    { cwd: root, stdio: ['ignore', 'ignore', 2], detached: true },
  );
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    if (server.exitCode !== null)
      throw new Error(`vite preview exited (${server.exitCode}); is port ${port} taken?`);
    const up = await fetch(`http://127.0.0.1:${port}/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return server;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  stopPreview(server);
  throw new Error(`vite preview did not answer on port ${port} within 60 s`);
}

/** Ends the preview server and the processes npx started for it (its own process group). */
export function stopPreview(server: ChildProcess): void {
  if (server.pid !== undefined && server.exitCode === null) {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

/** A fresh Chromium (a process of its own, so its memory and cold start are its own). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: playwrightConfig.use?.launchOptions?.args ?? ['--headless=new', '--no-sandbox'],
  });
}
