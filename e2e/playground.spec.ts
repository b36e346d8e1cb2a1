/**
 * The playground with the bundled random model, on WASM and on WebGPU (Chromium's software adapter, asked
 * for): tokens and vectors on screen, the automation API's numbers equal to the engine in Node, text that
 * survives a reload and lives in the URL, text rendered as text, and truncation.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { Tokenizer } from 'tokenizers';
import { nested } from '../src/engine/nested.ts';
import { parseNpy } from '../src/engine/testing/npyParser.ts';
import { embedInNode, maxAbsDiff } from './fixtures/nodeEngine.ts';
import { Playground, TINY } from './fixtures/playground.ts';

const TEXT = 'The quick brown fox';
const PAIR = 'jumps over the lazy dog.';
const expected = embedInNode(TEXT, PAIR);

for (const [backend, tolerance] of [
  ['wasm', 1e-5], // the same kernels as Node; the CLI prints 9 significant digits
  ['webgpu', 1e-4], // other kernels (SwiftShader), float32 throughout
] as const) {
  test(`on ${backend}: type text, see tokens and vectors; the API matches Node`, async ({ page }) => {
    const app = new Playground(page);
    await app.open({ model: TINY, backend });
    await app.waitReady();
    await expect(page.getByTestId('status.backend')).toHaveAttribute('data-backend', backend);
    if (backend === 'webgpu') await expect(page.getByTestId('status.backend')).toContainText('swiftshader');
    await expect(page.getByTestId('message.random-weights')).toBeVisible();

    await app.typeText('hello world');
    expect(await app.pieces()).toEqual(['[CLS]', '▁hello', '▁world', '[SEP]']);
    await expect(app.chips().nth(1)).toContainText('205');
    // Hovering a chip marks its characters in the text.
    await app.chips().nth(2).hover();
    await expect(page.getByTestId('text.mark')).toHaveText(' world');
    // Selecting a token and a layer shows that vector.
    await app.chips().nth(1).click();
    await page.getByTestId('layer.slider').fill('0');
    await expect(page.getByTestId('vector.title')).toHaveText('▁hello (token 1, id 205) at layer 0');
    await expect(page.getByTestId('vector.values')).toHaveText(/^(-?\d[\d.e-]* ){31}-?\d[\d.e-]*$/);
    await app.shot(`ready-${backend}`);

    const result = await page.evaluate(([t, p]) => window.albertPlayground!.embed(t, p), [
      TEXT,
      PAIR,
    ] as const);
    expect(result.backend.name).toBe(backend);
    expect(result.tokens).toEqual(expected.tokens);
    expect(result.tokenTypeIds).toEqual(expected.tokenTypeIds);
    // Typed arrays with their dims, as the worker sent them.
    expect(result.hiddenStates).toHaveLength(4);
    expect(result.hiddenStates[0]!.data).toBeInstanceOf(Float32Array);
    expect(result.hiddenStates[0]!.dims).toEqual([expected.tokens.length, 32]);
    expect(result.attentions[0]!.dims).toEqual([4, expected.tokens.length, expected.tokens.length]);
    expect(maxAbsDiff(result.hiddenStates.map(nested), expected.hiddenStates)).toBeLessThan(tolerance);
    expect(maxAbsDiff(result.attentions.map(nested), expected.attentions)).toBeLessThan(tolerance);
    // The page's own helper nests the same way.
    const first = await page.evaluate(
      ([t, p]) =>
        window.albertPlayground!.embed(t, p).then((r) => window.albertPlayground!.nested(r.hiddenStates[0]!)),
      [TEXT, PAIR] as const,
    );
    expect(maxAbsDiff(first, expected.hiddenStates[0])).toBeLessThan(tolerance);

    // The numbers on screen are layer 0 of "hello world" for ▁hello: the same as Node's.
    const shown = (await page.getByTestId('vector.values').textContent())!.split(' ').map(Number);
    const helloWorld = embedInNode('hello world');
    expect(maxAbsDiff(shown, helloWorld.hiddenStates[0]![1]!)).toBeLessThan(Math.max(tolerance, 1e-5) * 10); // 6 digits on screen

    // The view run's attention maps: on WebGPU they stay on the GPU while no view shows them, and are read
    // when the attention view opens, with the numbers Node computes.
    await expect(page.getByTestId('timings.maps-on-device')).toHaveCount(backend === 'webgpu' ? 1 : 0);
    await page.getByTestId('layer.slider').fill('3');
    await app.showView('attention');
    await page.getByTestId('attention.head').selectOption('2');
    await expect(page.getByTestId('chart.attention').locator('.heatmap-title')).toHaveText('Layer 3, head 2');
    const cell = await app.hoverCell('chart.attention', 1, 2);
    expect(cell).toMatch(/^query 1 ▁hello → key 2 ▁world: /);
    expect(Number(cell.split(': ')[1])).toBeCloseTo(helloWorld.attentions[2]![2]![1]![2]!, 4);
  });
}

test('the page tokenizes as Hugging Face’s fast (Rust) tokenizer: a trailing space is a ▁ token, zero-width and emoji as Rust', async ({
  page,
}) => {
  const rust = await Tokenizer.fromFile(`public${TINY}tokenizer.json`);
  const app = await Playground.tiny(page);
  for (const text of ['hello world\n', 'hello world ', 'a\u200bb\u200cc\u200dd\ufeffe', '😀 👩‍👩‍👧‍👦 🇫🇷']) {
    await app.typeText(text);
    const ids = (await app.chips().locator('.id').allTextContents()).map(Number);
    expect(ids, JSON.stringify(text)).toEqual((await rust.encode(text)).getIds());
  }
  // The chip before [SEP] of "hello world " is the lone ▁ the Rust tokenizer keeps.
  await app.typeText('hello world ');
  expect((await app.pieces()).slice(-2)).toEqual(['▁', '[SEP]']);
});

test('with the bundled model, every request the page and its worker make stays on the site', async ({
  page,
  baseURL,
}) => {
  const requests: string[] = [];
  page.context().on('request', (r) => requests.push(r.url()));
  const app = new Playground(page);
  await app.open({ model: TINY });
  await app.waitReady();
  await app.typeText('hello world');
  expect(requests.some((url) => url.endsWith('/onnx/model.onnx'))).toBe(true);
  expect(requests.some((url) => url.endsWith('.wasm'))).toBe(true);
  expect(requests.filter((url) => !url.startsWith(`${baseURL}/`))).toEqual([]);
});

const fetched = (requests: string[], build: RegExp) => requests.some((url) => build.test(url));

test('the worker fetches only the onnxruntime build it runs: plain WASM, or the WebGPU (JSEP) build for WebGPU', async ({
  page,
}) => {
  for (const [backend, wanted, unwanted] of [
    // The WebAssembly, not the loaders: the service worker keeps both builds' small .mjs loaders with the shell.
    ['wasm', /ort-wasm-simd-threaded-[\w-]+\.wasm$/, /\.jsep[-\w]*\.wasm$/],
    ['webgpu', /ort-wasm-simd-threaded\.jsep[-\w]*\.wasm$/, /ort-wasm-simd-threaded-[\w-]+\.wasm$/],
  ] as const) {
    const requests: string[] = [];
    const listen = (r: { url(): string }) => requests.push(r.url());
    page.context().on('request', listen);
    const app = new Playground(page);
    await app.open({ model: TINY, backend });
    await app.waitReady();
    await expect(page.getByTestId('status.backend')).toHaveAttribute('data-backend', backend);
    page.context().off('request', listen);
    expect(fetched(requests, wanted), `${backend}: ${requests.join(' ')}`).toBe(true);
    expect(fetched(requests, unwanted), `${backend}: ${requests.join(' ')}`).toBe(false);
  }
});

test('exports: .npy of every hidden state and attention map, Projector TSV and JSON, equal to the engine', async ({
  page,
}) => {
  const app = await Playground.tiny(page);
  await app.typeText('hello world');
  const download = (testId: string) => app.download(testId);
  const expectedRun = await page.evaluate(() => window.albertPlayground!.embed('hello world'));

  const hidden = await download('export.hidden-npy');
  expect(hidden.name).toBe('hidden_states.npy');
  const h = parseNpy(new Uint8Array(hidden.bytes));
  expect(h.shape).toEqual([4, 4, 32]);
  expect(
    maxAbsDiff(
      h.values,
      expectedRun.hiddenStates.flatMap((t) => Array.from(t.data)),
    ),
  ).toBe(0);

  const attentions = await download('export.attentions-npy');
  const a = parseNpy(new Uint8Array(attentions.bytes));
  expect(a.shape).toEqual([3, 4, 4, 4]);
  expect(
    maxAbsDiff(
      a.values,
      expectedRun.attentions.flatMap((t) => Array.from(t.data)),
    ),
  ).toBe(0);

  await page.getByTestId('layer.slider').fill('2');
  const [vectors, metadata] = await Promise.all([
    page.waitForEvent('download', (d) => d.suggestedFilename().startsWith('vectors')),
    page.waitForEvent('download', (d) => d.suggestedFilename().startsWith('metadata')),
    page.getByTestId('export.projector').click(),
  ]);
  expect(vectors.suggestedFilename()).toBe('vectors_layer2.tsv');
  const rows = readFileSync((await vectors.path())!, 'utf8')
    .trimEnd()
    .split('\n')
    .map((r) => r.split('\t').map(Number));
  expect(maxAbsDiff(rows, nested(expectedRun.hiddenStates[2]!))).toBeLessThan(1e-6);
  expect(readFileSync((await metadata.path())!, 'utf8')).toBe(
    'token\tposition\ttext\n[CLS]\t0\thello world\n▁hello\t1\thello world\n▁world\t2\thello world\n[SEP]\t3\thello world\n',
  );

  const json = JSON.parse((await download('export.json')).bytes.toString('utf8'));
  expect(json).toMatchObject({
    text: 'hello world',
    tokens: ['[CLS]', '▁hello', '▁world', '[SEP]'],
    layer: 2,
  });
  expect(maxAbsDiff(json.hiddenStates, nested(expectedRun.hiddenStates[2]!))).toBe(0);
});

test('the text survives a reload and lives in the URL; a pair gets segment B', async ({ page }) => {
  const app = await Playground.tiny(page);
  await app.typeText('paris is the capital of france');
  await page.getByTestId('text.pair-toggle').check();
  await page.getByTestId('text.pair').fill('the cat sat');
  await expect(app.chips()).toHaveCount(12);
  await expect(app.chips().nth(8)).toHaveClass(/segment-1/);
  await expect(page).toHaveURL(/text=paris\+is\+the\+capital/);
  await expect(page).toHaveURL(/pair=the\+cat\+sat/);
  await page.reload();
  await app.waitReady();
  await expect(app.textBox()).toHaveValue('paris is the capital of france');
  await expect(page.getByTestId('text.pair')).toHaveValue('the cat sat');
  // A link reproduces the view in a fresh context (no local storage).
  const url = page.url();
  const other = await page.context().browser()!.newPage();
  await other.goto(url);
  const copy = new Playground(other);
  await copy.waitReady();
  await expect(copy.textBox()).toHaveValue('paris is the capital of france');
  expect(await copy.pieces()).toEqual(await app.pieces());
  await other.close();
});

test('text is rendered as text; long texts are truncated with a notice', async ({ page }) => {
  const app = await Playground.tiny(page);
  await page.evaluate(() => ((window as unknown as { pwned: boolean }).pwned = false));
  await app.typeText('<img src=x onerror="window.pwned=true"> 😀 [MASK]');
  await expect(page.locator('img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { pwned: boolean }).pwned)).toBe(false);
  await expect(app.chips().filter({ hasText: '😀' })).toHaveCount(1);
  await expect(app.chips().filter({ hasText: '[MASK]' })).toHaveClass(/special/);

  await app.typeText('hello world '.repeat(300).trim());
  await expect(page.getByTestId('tokens.truncated')).toHaveText(
    'The text is longer than the model\'s 512 tokens: the last 90 tokens were dropped. Choose "windows" under Long texts to keep every token.',
  );
  await expect(page.getByTestId('tokens.count')).toHaveText('512');
  await app.shot('truncated');
});
