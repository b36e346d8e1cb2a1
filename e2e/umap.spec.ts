/**
 * UMAP beside PCA in Chromium, with the bundled random model: the projection view's token vectors, the
 * many-sentences panel's sentence vectors and the automation API, each layout checked against the engine's
 * umapLayout in Node on the very vectors the page laid out (the same umap-js code, the same seeded generator);
 * the charts download as PNG and SVG; the CLI's --umap gives the API's coordinates for the same lines.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { umapLayout } from '../src/engine/umap.ts';
import { EXAMPLE_LINES } from '../src/shared/examples.ts';
import { Playground, TINY } from './fixtures/playground.ts';

/**
 * Node and Chromium run the same JavaScript on the same numbers; only Math.exp/pow/log could differ in the last
 * bit between their V8s (Node 20 and Chromium 156 disagree on one input in ten), and UMAP amplifies that to whole
 * units over 500 epochs; UMAP runs with portable ones (src/engine/portableMath.ts), so the layouts are equal bit
 * for bit: tolerance 0.
 */
const SAME = 0;

/** Node's layout of the page's vectors. */
async function nodeLayout(
  vectors: { data: number[]; dims: number[] },
  options: { neighbours: number; minDist: number; seed: number },
): Promise<number[][]> {
  const [n, d] = vectors.dims as [number, number];
  const { coordinates } = await umapLayout(Float32Array.from(vectors.data), n, d, options);
  return Array.from({ length: n }, (_, i) => [coordinates[i * 2]!, coordinates[i * 2 + 1]!]);
}

function maxDiff(a: number[][], b: number[][]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i]![j]!))));
}

/** The points of the first trace of a plotly chart, as [x, y] rows. */
async function plottedPoints(app: Playground, testId: string): Promise<number[][]> {
  const [trace] = await app.plotted(testId);
  const x = trace!.x as number[];
  const y = trace!.y as number[];
  return x.map((v, i) => [v, y[i]!]);
}

/** The page's own vectors, through the automation API (the worker's numbers, as plain arrays). */
function pageLines(page: Page, lines: string[], layer: number) {
  return page.evaluate(
    async ({ texts, at }) => {
      const r = await window.albertPlayground!.embedLines(texts, {
        batchSize: 16,
        pooling: 'auto',
        layer: at,
      });
      return { data: Array.from(r.vectors.data), dims: r.vectors.dims };
    },
    { texts: lines, at: layer },
  );
}

test('projection view: UMAP of the token vectors with neighbours, min-dist and seed; Node lays out the same; PNG and SVG', async ({
  page,
}) => {
  const app = await Playground.tiny(page);
  const text = 'the cat sat on the mat and the dog ran';
  await app.typeText(text);
  await page.getByTestId('layer.slider').fill('2');
  await app.showView('projection');
  await page.getByTestId('projection.method-umap').check();
  await page.getByTestId('projection.neighbours').fill('4');
  await page.getByTestId('projection.min-dist').fill('0.3');
  await page.getByTestId('projection.seed').fill('7');
  await expect(page.getByTestId('umap.summary')).toHaveText(
    'UMAP of 13 points: neighbours 4, min-dist 0.3, seed 7, 500 of 500 epochs.',
  );
  await expect(page.getByTestId('chart.projection').locator('.gtitle')).toHaveText(
    'UMAP of the token vectors',
  );
  const shown = await plottedPoints(app, 'chart.projection');
  const hidden = await page.evaluate(async (typed) => {
    const r = await window.albertPlayground!.embed(typed, undefined, { layers: [2], attentions: false });
    return { data: Array.from(r.hiddenStates[0]!.data), dims: r.hiddenStates[0]!.dims };
  }, text);
  const expected = await nodeLayout(hidden, { neighbours: 4, minDist: 0.3, seed: 7 });
  // The chart draws float32 coordinates.
  const asFloat32 = expected.map((row) => Array.from(Float32Array.from(row)));
  expect(maxDiff(shown, asFloat32)).toBeLessThanOrEqual(SAME);
  await app.shot('view-projection-umap');

  const png = await app.download('chart.projection.png');
  expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const svg = (await app.download('chart.projection.svg')).bytes.toString('utf8');
  expect(svg).toContain('UMAP 1');
  expect(svg).toContain('UMAP of the token vectors');

  // Back to PCA: the explained variance returns.
  await page.getByTestId('projection.method-pca').check();
  await expect(page.getByTestId('projection.variance')).toHaveText(/^Explained variance: PC1/);
});

test('UMAP and its settings survive a reload and travel in the link', async ({ page }) => {
  const app = await Playground.tiny(page);
  await app.showView('projection');
  await page.getByTestId('projection.method-umap').check();
  await page.getByTestId('projection.neighbours').fill('4');
  await page.getByTestId('projection.min-dist').fill('0.3');
  await page.getByTestId('projection.seed').fill('7');
  const summary = 'neighbours 4, min-dist 0.3, seed 7, 500 of 500 epochs.';
  await expect(page.getByTestId('umap.summary')).toContainText(summary);
  expect(new URL(page.url()).searchParams.get('method')).toBe('umap');
  expect(new URL(page.url()).searchParams.get('umap')).toBe('4,0.3,7');
  await page.reload();
  await app.waitReady();
  await expect(page.getByTestId('projection.method-umap')).toBeChecked();
  await expect(page.getByTestId('projection.neighbours')).toHaveValue('4');
  await expect(page.getByTestId('projection.min-dist')).toHaveValue('0.3');
  await expect(page.getByTestId('projection.seed')).toHaveValue('7');
  await expect(page.getByTestId('umap.summary')).toContainText(summary);
  // A link with settings out of range keeps the defaults (and PCA when the method is unknown).
  await app.open({
    model: TINY,
    backend: 'wasm',
    view: 'projection',
    method: 'x',
    umap: '1,2,3',
  });
  await app.waitReady();
  await expect(page.getByTestId('projection.method-pca')).toBeChecked();
  await page.getByTestId('projection.method-umap').check();
  await expect(page.getByTestId('projection.neighbours')).toHaveValue('15');
});

test('many sentences: UMAP of the sentence vectors beside PCA, as Node lays out the same vectors', async ({
  page,
}) => {
  const app = await Playground.tiny(page);
  await page.getByTestId('layer.slider').fill('3');
  await page.getByTestId('mode.lines').click();
  await page.getByTestId('lines.example').click();
  await page.getByTestId('lines.run').click();
  await expect(page.getByTestId('lines.neighbours').locator('tr')).toHaveCount(16);
  await expect(page.getByTestId('chart.lines-pca').locator('.main-svg').first()).toBeVisible();
  await page.getByTestId('lines.method-umap').check();
  await expect(page.getByTestId('umap.summary')).toHaveText(
    'UMAP of 16 points: neighbours 15, min-dist 0.1, seed 42, 500 of 500 epochs.',
  );
  const shown = await plottedPoints(app, 'chart.lines-umap');
  await app.shot('many-sentences-umap');
  const json = JSON.parse((await app.download('lines.download-json')).bytes.toString('utf8'));
  expect(json.umap).toMatchObject({ neighbours: 15, minDist: 0.1, seed: 42, epochs: 500 });

  const vectors = await pageLines(page, EXAMPLE_LINES, 3);
  const expected = await nodeLayout(vectors, { neighbours: 15, minDist: 0.1, seed: 42 });
  expect(maxDiff(json.umap.coordinates, expected)).toBeLessThanOrEqual(SAME);
  expect(
    maxDiff(
      shown,
      expected.map((row) => Array.from(Float32Array.from(row))),
    ),
  ).toBeLessThanOrEqual(SAME);
  const svg = (await app.download('chart.lines-umap.svg')).bytes.toString('utf8');
  expect(svg).toContain('UMAP of the sentence vectors');
});

test('automation API: umap() of sentences and of one text’s tokens equals Node’s layout; the CLI prints the same', async ({
  page,
}) => {
  await Playground.tiny(page);
  const lines = EXAMPLE_LINES.slice(0, 8);
  const options = { layer: 2, neighbours: 5, minDist: 0.2, seed: 9 };
  const api = await page.evaluate(
    async ({ texts, settings }) => {
      const r = await window.albertPlayground!.umap(texts, settings);
      return { ...r, vectors: { data: Array.from(r.vectors.data), dims: r.vectors.dims } };
    },
    { texts: lines, settings: options },
  );
  expect(api).toMatchObject({ labels: lines, neighbours: 5, minDist: 0.2, seed: 9, epochs: 500 });
  expect(api.vectors.dims).toEqual([8, 32]);
  expect(maxDiff(api.coordinates, await nodeLayout(api.vectors, options))).toBeLessThanOrEqual(SAME);

  const tokens = await page.evaluate(() =>
    window.albertPlayground!.umap('the cat sat on the mat', { layer: 1, neighbours: 3 }),
  );
  expect(tokens.labels).toEqual([
    '0 [CLS]',
    '1 ▁the',
    '2 ▁cat',
    '3 ▁sat',
    '4 ▁on',
    '5 ▁the',
    '6 ▁mat',
    '7 [SEP]',
  ]);
  const tokenVectors = {
    data: Array.from(tokens.vectors.data as ArrayLike<number>),
    dims: tokens.vectors.dims,
  };
  expect(
    maxDiff(tokens.coordinates, await nodeLayout(tokenVectors, { neighbours: 3, minDist: 0.1, seed: 42 })),
  ).toBe(0);

  // The CLI embeds in Node (WASM, one thread) and lays out with the same code.
  const file = join(mkdtempSync(join(tmpdir(), 'albert-umap-e2e-')), 'lines.txt');
  writeFileSync(file, lines.join('\n'));
  const args = ['--model', 'public/models/albert-tiny-random', '--backend', 'wasm', '--threads', '1'];
  const cli = execFileSync(
    'npx',
    [
      'tsx',
      'src/cli/main.ts',
      ...args,
      '--file',
      file,
      '--layer',
      '2',
      '--umap',
      '--neighbours',
      '5',
      '--min-dist',
      '0.2',
      '--seed',
      '9',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const printed = cli
    .trimEnd()
    .split('\n')
    .map((l) => (JSON.parse(l) as { umap: number[] }).umap);
  expect(maxDiff(printed, api.coordinates)).toBeLessThanOrEqual(SAME);
});

test('many sentences: a long UMAP shows its epochs and stops on cancel, drawing the layout as it stood', async ({
  page,
}) => {
  const app = await Playground.tiny(page, 'lines');
  // 1,500 lines: their layout takes seconds, time enough to cancel it.
  const words = ['cat', 'dog', 'market', 'rain', 'soup', 'team', 'bank', 'park', 'river', 'song'];
  const lines = Array.from({ length: 1500 }, (_, i) => `${words[i % 10]} ${words[(i * 7) % 10]} number ${i}`);
  await app.paste('lines.input', lines.join('\n'));
  await page.getByTestId('lines.run').click();
  await expect(page.getByTestId('lines.neighbours').locator('tr')).toHaveCount(50, { timeout: 90_000 });
  await page.getByTestId('lines.method-umap').check();
  await expect(page.getByTestId('umap.progress')).toBeVisible();
  await page.getByTestId('umap.cancel').click();
  const summary = page.getByTestId('umap.summary');
  await expect(summary).toContainText('(cancelled: the layout stopped there)');
  const epochs = Number(/, (\d+) of 500 epochs/.exec((await summary.textContent())!)![1]);
  expect(epochs).toBeLessThan(500);
  await expect(page.getByTestId('chart.lines-umap').locator('.gtitle')).toHaveText(
    'UMAP of the sentence vectors (cancelled)',
  );
});
