/**
 * The Chromium half of `npm run bench:batch`: a production build served by `vite preview` (which sends the
 * COOP/COEP headers that WASM threads need), Debian's Chromium driven by Playwright with the e2e suite's launch
 * arguments, and the app's own worker doing the work through `window.albertPlayground.embedLines`.
 *
 * The build goes to .cache/bench-batch/dist rather than dist/, so that the bench never races an e2e run for
 * the same folder; the base-shape model (which lives in .cache, not public/) is copied into its models/.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import playwrightConfig from '../playwright.config.ts';

const PORT = 4290;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MODEL_PATH = '/models/albert-base-random/';

export interface BrowserBench {
  /** What the page ran on, e.g. "wasm, 2 threads". */
  backend: string;
  /** Embeds `lines` in the worker; `ms` is the page's own wall time for the job (vectors fetched after). */
  embed(lines: string[], batchSize: number, layer: number): Promise<{ ms: number; vectors: Float32Array }>;
  close(): Promise<void>;
}

function build(root: string, outDir: string): void {
  console.error(`bench-batch: building the app into ${outDir}`);
  const result = spawnSync(
    'npx',
    ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: ['ignore', 2, 2],
      // As the e2e build: the hub is a local address that is never contacted here.
      env: { ...process.env, VITE_HF_ENDPOINT: 'http://127.0.0.1:4174' },
    },
  );
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status ?? result.signal})`);
}

async function serve(root: string, outDir: string): Promise<ChildProcess> {
  const server = spawn(
    'npx',
    ['vite', 'preview', '--outDir', outDir, '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'],
    { cwd: root, stdio: ['ignore', 'ignore', 2], detached: true },
  );
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    if (server.exitCode !== null)
      throw new Error(`vite preview exited (${server.exitCode}); is port ${PORT} taken?`);
    const up = await fetch(`${ORIGIN}/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return server;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  stop(server);
  throw new Error(`vite preview did not answer on ${ORIGIN} within 60 s`);
}

/** Ends the preview server and the processes npx started for it (its own process group). */
function stop(server: ChildProcess): void {
  if (server.pid !== undefined && server.exitCode === null) {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

export async function openBrowserBench(options: {
  root: string;
  modelDir: string;
  reuseBuild: boolean;
}): Promise<BrowserBench> {
  const outDir = join(options.root, '.cache/bench-batch/dist');
  if (!options.reuseBuild || !existsSync(join(outDir, 'index.html'))) build(options.root, outDir);
  const modelCopy = join(outDir, 'models/albert-base-random');
  rmSync(modelCopy, { recursive: true, force: true });
  cpSync(options.modelDir, modelCopy, { recursive: true });

  const server = await serve(options.root, outDir);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: playwrightConfig.use?.launchOptions?.args ?? ['--headless=new', '--no-sandbox'],
    });
    const page: Page = await browser.newPage();
    page.on('pageerror', (error) => console.error(`  page error: ${error.message}`));
    await page.goto(`${ORIGIN}/?model=${encodeURIComponent(MODEL_PATH)}&backend=wasm`);
    await page.waitForFunction(() => window.albertPlayground !== undefined, undefined, { timeout: 60_000 });
    const ready = await page.evaluate(() => window.albertPlayground!.ready());
    const isolated = await page.evaluate(() => self.crossOriginIsolated);
    const backend = `${ready.backend.name}, ${ready.backend.threads ?? 1} threads${isolated ? '' : ', not cross-origin isolated'}`;
    console.error(`bench-batch: Chromium ready on ${ready.model} (${backend})`);
    const opened = browser;
    return {
      backend,
      async embed(lines, batchSize, layer) {
        // Runs in the page, which sees only what is passed to it.
        const result = await page.evaluate(
          (job) => window.albertPlayground!.embedLines(job.lines, { ...job.options, pooling: 'mean' }),
          { lines, options: { batchSize, layer } },
        );
        return { ms: result.ms, vectors: result.vectors.data };
      },
      async close() {
        await opened.close();
        stop(server);
      },
    };
  } catch (error) {
    await browser?.close();
    stop(server);
    throw error;
  }
}
