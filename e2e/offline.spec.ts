/**
 * The service worker, tried on a plain static host (e2e/fixtures/staticServer.ts), as users meet it:
 * - a host that sends no isolation headers still gives an isolated page with several WASM threads, at the cost of
 *   one reload, and where no service worker may run the badge says what that costs;
 * - after one visit, the site with its server gone still starts and runs the model it kept;
 * - a new deploy is offered as "new version — reload", and reloading switches to it with the text kept.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { buildServiceWorker } from '../scripts/vite/serviceWorker.ts';
import { RUNTIME_CACHE } from '../src/offline/plan.ts';
import { MODEL_CACHE } from '../src/worker/cachedSource.ts';
import { serveStatic, type StaticHost } from './fixtures/staticServer.ts';
import { Playground, TINY } from './fixtures/playground.ts';

const DIST = resolve('dist');
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
const query = `?model=${encodeURIComponent(TINY)}&backend=wasm`;

let host: StaticHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});

/** Counts the page's navigations (the first load included). */
function navigations(page: Page): () => number {
  let count = 0;
  page.on('load', () => count++);
  return () => count;
}

const threadsWord = (n: number) => `WASM · ${n} thread${n === 1 ? '' : 's'}`;

/**
 * The tiny model opened from a plain static host (no headers): its page object, its load counter, whether it
 * ended cross-origin isolated, and the threads the engine uses when it is.
 */
async function openOnPlainHost(page: Page) {
  host = await serveStatic(DIST);
  const loads = navigations(page);
  const app = new Playground(page);
  await page.goto(`${host.origin}/${query}`);
  await app.waitReady();
  const { isolated, threads } = await page.evaluate(() => ({
    isolated: crossOriginIsolated,
    threads: Math.min(4, navigator.hardwareConcurrency || 1),
  }));
  return { app, loads, isolated, threads };
}

/** Resolves once the service worker serves the page, and the runtime and model files are kept. */
async function keptForOffline(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await expect
    .poll(
      () =>
        page.evaluate(
          async ([runtime, models]) => [
            (await (await caches.open(runtime!)).keys()).length,
            (await (await caches.open(models!)).keys()).filter((r) => r.url.endsWith('.onnx')).length,
          ],
          [RUNTIME_CACHE, MODEL_CACHE],
        ),
      { timeout: 30_000 },
    )
    .toEqual([1, 1]);
}

test('a static host without isolation headers: one reload, then an isolated page with several WASM threads', async ({
  page,
}) => {
  const { app, loads, isolated, threads } = await openOnPlainHost(page);
  expect(isolated).toBe(true);
  expect(threads, 'this test needs a machine with two cores or more').toBeGreaterThan(1);
  await expect(page.getByTestId('status.backend')).toContainText(threadsWord(threads));
  await expect(page.getByTestId('status.isolation')).toHaveCount(0);
  expect(loads()).toBe(2);
  // The host itself still sends no headers: the service worker added them.
  const document = await fetch(`${host!.origin}/`);
  expect(document.headers.get('cross-origin-embedder-policy')).toBeNull();

  // Later visits are served by the worker from the start: no second reload.
  await page.reload();
  await app.waitReady();
  expect(loads()).toBe(3);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await app.typeText('hello world');
  expect(await app.pieces()).toEqual(['[CLS]', '▁hello', '▁world', '[SEP]']);
});

test.describe('where no service worker may run', () => {
  test.use({ serviceWorkers: 'block' });

  test('the badge says the page is not isolated, why, and what it costs; the model still runs', async ({
    page,
  }) => {
    const { app, loads, isolated, threads } = await openOnPlainHost(page);
    expect(isolated).toBe(false);
    await expect(page.getByTestId('status.backend')).toContainText(threadsWord(1));
    const badge = page.getByTestId('status.isolation');
    await expect(badge).toContainText('Not cross-origin isolated');
    await expect(badge).toContainText('service worker');
    await expect(badge).toContainText(`1 thread instead of ${threads}, up to ${threads}× slower`);
    expect(loads()).toBe(1);
    await app.typeText('hello world');
    expect(await app.pieces()).toEqual(['[CLS]', '▁hello', '▁world', '[SEP]']);
  });
});

test('after one visit, with the server gone and the browser offline, a reload starts the app and runs the kept model', async ({
  page,
  context,
}) => {
  // A host that sends the headers: the first visit is not reloaded, so the page and the engine start before the
  // service worker takes over, and the WebAssembly must still be kept.
  host = await serveStatic(DIST, ISOLATION);
  const app = new Playground(page);
  await page.goto(`${host.origin}/${query}`);
  await app.waitReady();
  await keptForOffline(page);

  await host.stop();
  host = undefined;
  await context.setOffline(true);
  await page.reload();
  await app.waitReady();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('message.error')).toHaveCount(0);
  await app.typeText('hello world');
  expect(await app.pieces()).toEqual(['[CLS]', '▁hello', '▁world', '[SEP]']);
  // A chart needs plotly, which the worker kept with the shell.
  await app.showView('projection');
  await expect(page.getByTestId('chart.projection').locator('.gtitle')).toHaveText(
    /^PCA of the token vectors at layer \d+$/,
  );
});

test('a new deploy is offered as a new version; reloading switches to it and keeps the text', async ({
  page,
}) => {
  const site = mkdtempSync(join(tmpdir(), 'albert-site-'));
  try {
    // The deployed site: a copy of the build (the models, which the service worker leaves alone, shared).
    for (const file of ['index.html', 'sw.js', 'assets'])
      cpSync(join(DIST, file), join(site, file), { recursive: true });
    symlinkSync(join(DIST, 'models'), join(site, 'models'));
    host = await serveStatic(site, ISOLATION);
    const app = new Playground(page);
    await page.goto(`${host.origin}/${query}`);
    await app.waitReady();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await app.typeText('kept across the update');
    await expect(page.getByTestId('message.update')).toHaveCount(0);

    // A new deploy: a changed page, hence a new service worker.
    const page1 = readFileSync(join(site, 'index.html'), 'utf8');
    writeFileSync(
      join(site, 'index.html'),
      page1.replace('<title>ALBERT Playground</title>', '<title>ALBERT Playground (new)</title>'),
    );
    await buildServiceWorker(site);

    // The browser looks for a new worker on each visit; until the user switches, the running version answers.
    await page.reload();
    await app.waitReady();
    await expect(page.getByTestId('message.update')).toContainText(
      'A new version of the playground is ready',
    );
    expect(await page.title()).toBe('ALBERT Playground');

    await page.getByTestId('message.update.reload').click();
    await expect(page).toHaveTitle('ALBERT Playground (new)');
    await app.waitReady();
    await expect(page.getByTestId('message.update')).toHaveCount(0);
    await expect(app.textBox()).toHaveValue('kept across the update');
  } finally {
    rmSync(site, { recursive: true, force: true });
  }
});
