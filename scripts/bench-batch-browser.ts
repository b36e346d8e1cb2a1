/**
 * The Chromium half of `npm run bench:batch`: a production build served by `vite preview` (which sends the
 * COOP/COEP headers that WASM threads need), Debian's Chromium driven by Playwright with the e2e suite's launch
 * arguments, and the app's own worker doing the work through `window.albertPlayground.embedLines`.
 *
 * The build goes to .cache/bench-batch/dist rather than dist/, so that the bench never races an e2e run for
 * the same folder; the base-shape model (which lives in .cache, not public/) is copied into its models/.
 */
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { BASE_MODEL_PATH, buildApp, launchChromium, servePreview, stopPreview } from './lib/preview.ts';

const PORT = 4290;
const ORIGIN = `http://127.0.0.1:${PORT}`;

export interface BrowserBench {
  /** What the page ran on, e.g. "wasm, 2 threads". */
  backend: string;
  /** Embeds `lines` in the worker; `ms` is the page's own wall time for the job (vectors fetched after). */
  embed(lines: string[], batchSize: number, layer: number): Promise<{ ms: number; vectors: Float32Array }>;
  close(): Promise<void>;
}

export async function openBrowserBench(options: {
  root: string;
  modelDir: string;
  reuseBuild: boolean;
}): Promise<BrowserBench> {
  const outDir = join(options.root, '.cache/bench-batch/dist');
  console.error(`bench-batch: building the app into ${outDir}`);
  buildApp(options.root, outDir, options.modelDir, options.reuseBuild);
  const server = await servePreview(options.root, outDir, PORT);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page: Page = await browser.newPage();
    page.on('pageerror', (error) => console.error(`  page error: ${error.message}`));
    await page.goto(`${ORIGIN}/?model=${encodeURIComponent(BASE_MODEL_PATH)}&backend=wasm`);
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
        stopPreview(server);
      },
    };
  } catch (error) {
    await browser?.close();
    stopPreview(server);
    throw error;
  }
}
