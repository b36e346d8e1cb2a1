/**
 * Where models come from and what happens when they fail: the hub (a local imitation at the URL layout
 * `/<owner>/<name>/resolve/main/<file>`, which this build points at) with the browser cache, a folder from
 * the directory picker, the default order, broken models, a lost GPU and a crashed worker.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startFakeHub, type FakeHub } from '../scripts/lib/fakeHub.ts';
import { HUB_PORT, Playground, TINY } from './fixtures/playground.ts';

const TINY_DIR = 'public/models/albert-tiny-random';

function brokenCopy(change: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'albert-broken-'));
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json'])
    copyFileSync(join(TINY_DIR, f), join(dir, f));
  mkdirSync(join(dir, 'onnx'));
  copyFileSync(join(TINY_DIR, 'onnx/model.onnx'), join(dir, 'onnx/model.onnx'));
  change(dir);
  return dir;
}

let hub: FakeHub;
test.beforeAll(async () => {
  hub = await startFakeHub(
    {
      'Xenova/albert-tiny-random': TINY_DIR,
      'broken/truncated-onnx': brokenCopy((dir) => truncateSync(join(dir, 'onnx/model.onnx'), 50_000)),
      'broken/bert': brokenCopy((dir) =>
        writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: 768 })),
      ),
    },
    { port: HUB_PORT },
  );
});
test.afterAll(() => hub.close());

test('a hub model downloads with progress, is cached, and the second visit loads offline', async ({
  page,
}) => {
  const app = new Playground(page);
  hub.requests.length = 0;
  await app.open({ model: 'Xenova/albert-tiny-random', backend: 'wasm' });
  await app.waitReady();
  expect(hub.requests).toEqual(
    expect.arrayContaining([
      'GET /Xenova/albert-tiny-random/resolve/main/config.json',
      'GET /Xenova/albert-tiny-random/resolve/main/onnx/model.onnx',
    ]),
  );
  await expect(page.getByTestId('model.cache-usage')).toContainText('in 1 model');
  await expect(page.getByTestId('timings')).toContainText('model load');
  await expect(page.getByTestId('timings.graph-cached')).toHaveCount(0);
  await app.shot('hub-ready');

  hub.requests.length = 0;
  await page.reload();
  await app.waitReady();
  expect(hub.requests).toEqual([]);
  expect(await app.pieces()).toContain('[CLS]');
  // The graph prepared on the first visit, kept by the file's hash: this visit did no surgery.
  await expect(page.getByTestId('timings.graph-cached')).toBeVisible();
  await expect(page.getByTestId('model.cache-graphs')).toContainText('in 1');

  await page.getByTestId('model.cache-clear').click();
  await expect(page.getByTestId('model.cache-usage')).toContainText('0 B in 0 models');
  await expect(page.getByTestId('model.cache-graphs')).toHaveCount(0);
});

test('a site folder is listed from the manifest (nothing probed); a second visit opens its kept graph without fetching the file', async ({
  page,
}) => {
  const requests: string[] = [];
  page.context().on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
  const app = await Playground.tiny(page);
  expect(requests.filter((r) => r.startsWith('HEAD'))).toEqual([]);
  expect(requests).toContain(`GET ${TINY}onnx/model.onnx`);
  await expect(page.getByTestId('timings.graph-cached')).toHaveCount(0);
  const norm = await page.getByTestId('vector.norm').textContent();
  expect(norm).toMatch(/^\d+\.\d{4}$/);

  requests.length = 0;
  await page.reload();
  await app.waitReady();
  await expect(page.getByTestId('timings.graph-cached')).toBeVisible();
  expect(requests.filter((r) => r.includes('.onnx'))).toEqual([]);
  // The numbers of a fresh surgery: the same text's vector has the norm the first visit showed.
  await expect(page.getByTestId('vector.norm')).toHaveText(norm!);
});

test('a model folder from the directory picker', async ({ page }) => {
  const app = await Playground.tiny(page);
  await page.getByTestId('model.folder').setInputFiles(TINY_DIR);
  await app.waitReady();
  const ready = await page.evaluate(() => window.albertPlayground!.ready());
  expect(ready.model).toBe('local folder "albert-tiny-random"');
  await expect(app.chips().first()).toHaveText(/\[CLS\]/);
});

test("a model's files dropped on the page", async ({ page }) => {
  await Playground.tiny(page);
  const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'].map((path) => ({
    name: path.split('/').pop()!,
    bytes: Array.from(readFileSync(join(TINY_DIR, path))),
  }));
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const f of list) transfer.items.add(new File([new Uint8Array(f.bytes)], f.name));
    return transfer;
  }, files);
  await page.getByTestId('model.panel').dispatchEvent('drop', { dataTransfer });
  await expect(page.getByTestId('message.random-weights')).toBeVisible();
  await expect
    .poll(() => page.evaluate(() => window.albertPlayground!.ready().then((r) => r.model)), {
      timeout: 60_000,
    })
    .toBe('local folder "dropped files"');
});

for (const [name, model, message] of [
  [
    'a missing model',
    '/models/no-such-model/',
    /config\.json not found at .*\/models\/no-such-model\/config\.json \(the server sent a web page instead\)/,
  ],
  [
    'a missing hub repo',
    'nobody/nothing',
    /^Could not load the model: nobody\/nothing was not found on the hub \(HTTP 404\): check the repo id$/,
  ],
  [
    'a truncated ONNX file',
    'broken/truncated-onnx',
    /onnx\/model\.onnx is not a valid ONNX model \(truncated or corrupt download\?\)/,
  ],
  ['a config that is not ALBERT', 'broken/bert', /config\.json describes "bert", not an ALBERT model/],
] as const) {
  test(`${name}: a readable message, and the text is kept`, async ({ page }) => {
    const app = new Playground(page);
    await app.open({ model, text: 'my precious text' });
    await app.waitError();
    await expect(page.getByTestId('message.error')).toHaveText(message);
    await expect(app.textBox()).toHaveValue('my precious text');
    await app.shot(`error-${model.replace(/\W+/g, '-')}`);
  });
}

test('with no model chosen and no albert-base-v2 anywhere, the bundled model loads and every request stays local', async ({
  page,
}) => {
  const requests: string[] = [];
  page.context().on('request', (r) => requests.push(r.url()));
  const app = new Playground(page);
  await app.open();
  await app.waitReady();
  await expect(page.getByTestId('message.banner')).toContainText(
    'Could not load Xenova/albert-base-v2 from the hub',
  );
  await expect(page.getByTestId('message.banner')).toContainText('bundled test model');
  expect(requests.length).toBeGreaterThan(5);
  expect(requests.filter((url) => !url.startsWith('http://127.0.0.1:'))).toEqual([]);
});

test('a lost WebGPU device moves the model to WASM with a notice', async ({ page }) => {
  const app = new Playground(page);
  await app.open({ model: TINY, backend: 'webgpu' });
  await app.waitReady();
  await expect(page.getByTestId('status.backend')).toHaveAttribute('data-backend', 'webgpu');
  await page.evaluate(() => window.albertPlayground!.debug('lose-device'));
  await expect(page.getByTestId('message.notice')).toContainText('the GPU device was lost');
  await expect(page.getByTestId('status.backend')).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByTestId('status.fallback')).toContainText('the GPU device was lost');
  await app.typeText('still working');
  expect(await app.pieces()).toContain('▁work');
  await app.shot('gpu-lost');
});

test('a crashed worker is restarted and the text keeps running', async ({ page }) => {
  const app = await Playground.tiny(page);
  await page.evaluate(() => void window.albertPlayground!.debug('crash'));
  await expect(page.getByTestId('message.notice')).toContainText('restarted');
  await app.typeText('after the crash');
  expect(await app.pieces()).toContain('▁after');
});
