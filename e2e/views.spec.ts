/**
 * The three views with the bundled random model: token embeddings (canvas heatmap, norms, layer cosines, the
 * factorized embedding), attention (one map, the arithmetic of a cell, every head, the whole model) and the
 * PCA projection (2-D, 3-D, paths, compared texts); charts as PNG and SVG; a link that reopens the same
 * picture.
 */
import { expect, test } from '@playwright/test';
import { Playground } from './fixtures/playground.ts';

const value = (tooltip: string) => Number(tooltip.split(/[:·] /).at(-1));

test('token embeddings: heatmap with hover and token selection, norms, layer cosines, the factorized embedding', async ({
  page,
}) => {
  const violations: string[] = [];
  page.on('console', (m) => m.text().includes('Content Security Policy') && violations.push(m.text()));
  const app = await Playground.tiny(page);
  await app.typeText('hello world the cat');
  // The default view, drawn without asking.
  const heatmap = page.getByTestId('chart.embedding-heatmap');
  await expect(heatmap.locator('.heatmap-title')).toHaveText('Token vectors at layer 3 — 32 dimensions');
  await expect(heatmap).toHaveAttribute('data-rows', '6');
  await expect(heatmap).toHaveAttribute('data-cols', '32');
  // Clicking a row selects its token; the tooltip's number is that vector's.
  await app.clickCell('chart.embedding-heatmap', 2, 7);
  await expect(page.getByTestId('vector.title')).toHaveText('▁world (token 2, id 199) at layer 3');
  const tip = await app.hoverCell('chart.embedding-heatmap', 2, 7);
  expect(tip).toMatch(/^2 ▁world · dimension 7 · -?\d+\.\d{4}$/);
  const shown = (await page.getByTestId('vector.values').textContent())!.split(' ').map(Number);
  expect(value(tip)).toBeCloseTo(shown[7]!, 4);
  await expect(page.getByTestId('chart.norms').locator('.bars .point')).toHaveCount(6);
  await expect(page.getByTestId('chart.layer-cosines').locator('.scatterlayer .trace')).toHaveCount(2);
  await page.getByTestId('layer.slider').fill('1');
  await expect(heatmap.locator('.heatmap-title')).toHaveText('Token vectors at layer 1 — 32 dimensions');

  // Layer 0 can show the 16-d factorized embedding instead of its 32-d projection.
  await page.getByTestId('layer.slider').fill('0');
  await page.getByTestId('embeddings.factorized').check();
  await expect(heatmap.locator('.heatmap-title')).toHaveText(
    'Token vectors at factorized embedding (before the projection) — 16 dimensions',
  );
  await expect(heatmap).toHaveAttribute('data-cols', '16');
  await expect(page.getByTestId('vector.title')).toHaveText(
    '▁world (token 2, id 199) at the factorized embedding',
  );
  await expect(page.getByTestId('vector.values')).toHaveText(/^(-?\d[\d.e-]* ){15}-?\d[\d.e-]*$/);
  await app.shot('view-embeddings');

  // Every chart downloads as PNG and SVG.
  const png = await app.download('chart.embedding-heatmap.png');
  expect(png.name).toBe('chart-embedding-heatmap.png');
  expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const svg = (await app.download('chart.embedding-heatmap.svg')).bytes.toString('utf8');
  expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toContain('<image');
  expect(svg).toContain('factorized embedding');
  const normsPng = await app.download('chart.norms.png');
  expect(normsPng.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const normsSvg = (await app.download('chart.norms.svg')).bytes.toString('utf8');
  expect(normsSvg).toContain('<svg');
  expect(normsSvg).toContain('Norm of each token');
  expect(violations).toEqual([]);
});

test('attention: one head or the mean, specials hidden, a cell’s arithmetic, every head, the whole model; the link keeps it', async ({
  page,
}) => {
  const app = await Playground.tiny(page);
  await app.typeText('hello world');
  await app.showView('attention');
  const chart = page.getByTestId('chart.attention');
  const title = chart.locator('.heatmap-title');
  await expect(title).toHaveText('Layer 3, mean over heads');
  await page.getByTestId('attention.head').selectOption('2');
  await expect(title).toHaveText('Layer 3, head 2');

  // Without [CLS]/[SEP] the map covers the two words, and each row still sums to 1.
  await page.getByTestId('attention.hide-specials').check();
  await expect(title).toHaveText('Layer 3, head 2 — [CLS]/[SEP] removed, rows renormalized');
  await expect(chart).toHaveAttribute('data-rows', '2');
  const first = await app.hoverCell('chart.attention', 0, 0);
  expect(first).toMatch(/^query 1 ▁hello → key 1 ▁hello: /);
  expect(value(first) + value(await app.hoverCell('chart.attention', 0, 1))).toBeCloseTo(1, 3);
  await page.getByTestId('attention.hide-specials').uncheck();
  await expect(chart).toHaveAttribute('data-rows', '4');

  // A cell's arithmetic: the model's scores, their softmax, and the cell's share, which is the weight shown.
  const weight = value(await app.hoverCell('chart.attention', 1, 2));
  await app.clickCell('chart.attention', 1, 2);
  const arithmetic = page.getByTestId('attention.arithmetic');
  await expect(arithmetic).toContainText('How layer 3, head 2 weighs “2 ▁world” for “1 ▁hello”');
  await expect(page.getByTestId('attention.arithmetic.table').locator('tbody tr')).toHaveCount(4);
  expect(Number(await page.getByTestId('attention.arithmetic.share').textContent())).toBeCloseTo(weight, 4);
  expect(Number(await page.getByTestId('attention.arithmetic.difference').textContent())).toBeLessThan(1e-5);
  await expect(page.getByTestId('chart.attention.selected')).toBeVisible();
  await app.shot('view-attention');
  // "JSON of what is shown" carries the map and the arithmetic on screen.
  const shownJson = JSON.parse((await app.download('export.json')).bytes.toString('utf8'));
  expect(shownJson).toMatchObject({
    view: 'attention',
    attention: { layer: 3, head: 2, tokens: [0, 1, 2, 3] },
  });
  expect(shownJson.attention.weights[1][2]).toBeCloseTo(weight, 4);
  expect(shownJson.arithmetic).toMatchObject({ layer: 2, head: 2, query: 1, key: 2 });
  expect(shownJson.arithmetic.share).toBeCloseTo(weight, 4);
  expect(shownJson.arithmetic.scores).toHaveLength(4);
  await page.getByTestId('attention.arithmetic.close').click();
  await expect(arithmetic).toHaveCount(0);

  // Every head of the layer, and the whole model; a thumbnail opens its map.
  await expect(page.getByTestId('attention.heads').getByTestId('attention.heads.thumb')).toHaveCount(4);
  const overview = page.getByTestId('attention.overview').getByTestId('attention.overview.thumb');
  await expect(overview).toHaveCount(12);
  await overview.nth(5).click(); // layer 2, head 1
  await expect(page.getByTestId('layer.value')).toHaveText('2 of 3');
  await expect(page.getByTestId('attention.head')).toHaveValue('1');
  await expect(title).toHaveText('Layer 2, head 1');
  await expect(overview.nth(5)).toHaveAttribute('aria-pressed', 'true');
  const overviewSvg = (await app.download('attention.overview.svg')).bytes.toString('utf8');
  expect(overviewSvg.match(/<image /g)).toHaveLength(12);
  expect(overviewSvg).toContain('layer 3');
  const headsPng = await app.download('attention.heads.png');
  expect(headsPng.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');

  // The link reopens the same picture in a fresh page.
  await expect(page).toHaveURL(/view=attention/);
  await expect(page).toHaveURL(/head=1/);
  const other = await page.context().newPage();
  await other.goto(page.url());
  const copy = new Playground(other);
  await copy.waitReady();
  await expect(other.getByTestId('view.attention')).toBeVisible();
  await expect(other.getByTestId('chart.attention').locator('.heatmap-title')).toHaveText('Layer 2, head 1');
  await other.close();

  const svg = (await app.download('chart.attention.svg')).bytes.toString('utf8');
  expect(svg).toContain('Layer 2, head 1');
  expect(svg).toContain('▁hello');
  // Padded as in a batch: the pads are masked out of the map, or shown with the zero weight the mask gives them.
  await page.getByTestId('attention.pad').selectOption('16');
  await expect(page.getByTestId('tokens.count')).toHaveText('16');
  await expect(page.getByTestId('tokens.padding')).toContainText('the last 12 are padding');
  await expect(page).toHaveURL(/pad=16/);
  await expect(chart).toHaveAttribute('data-rows', '4');
  await page.getByTestId('attention.hide-padding').uncheck();
  await expect(chart).toHaveAttribute('data-rows', '16');
  expect(await app.hoverCell('chart.attention', 1, 9)).toMatch(/^query 1 ▁hello → key 9 <pad>: 0\.0000$/);
  await app.shot('view-attention-padded');
  await page.getByTestId('attention.pad').selectOption('0');
  await expect(page.getByTestId('tokens.count')).toHaveText('4');

  await page.getByTestId('layer.slider').fill('0');
  await expect(page.getByTestId('view.attention')).toContainText('Layer 0 is the embedding projection');
});

test('PCA projection: 2-D, 3-D, paths through the layers, and compared texts on the same axes', async ({
  page,
}) => {
  const app = await Playground.tiny(page);
  await app.typeText('hello world');
  await app.showView('projection');
  const traces = () => app.plotted('chart.projection');
  await expect.poll(async () => (await traces()).map((t) => t.x)).toHaveLength(1);
  expect((await traces())[0]).toMatchObject({
    type: 'scatter',
    text: ['0 [CLS]', '1 ▁hello', '2 ▁world', '3 [SEP]'],
  });
  await expect(page.getByTestId('projection.variance')).toHaveText(
    /^Explained variance: PC1 \d+\.\d%, PC2 \d+\.\d%$/,
  );
  // The layer control moves the projection.
  await page.getByTestId('layer.slider').fill('1');
  await expect(page.getByTestId('chart.projection').locator('.gtitle')).toHaveText(
    'PCA of the token vectors at layer 1',
  );
  await page.getByTestId('layer.slider').fill('3');
  await expect(page.getByTestId('chart.projection').locator('.gtitle')).toHaveText(
    'PCA of the token vectors at layer 3',
  );

  await page.getByTestId('projection.hide-specials').check();
  await expect.poll(async () => (await traces())[0]!.text).toEqual(['1 ▁hello', '2 ▁world']);
  await page.getByTestId('projection.mode-3d').check();
  await expect.poll(async () => (await traces())[0]!.type).toBe('scatter3d');
  await page.getByTestId('projection.mode-paths').check();
  // Two tokens through layers 0..3, a gap after each.
  await expect.poll(async () => ((await traces())[0]!.x as unknown[]).length).toBe(10);
  await app.shot('view-projection-paths');

  await page.getByTestId('projection.mode-2d').check();
  await page.getByTestId('projection.compare').fill('the cat\nthe dog');
  await expect
    .poll(async () => (await traces()).map((t) => t.name))
    .toEqual(['text 1: hello world', 'text 2: the cat', 'text 3: the dog']);
  await expect(page).toHaveURL(/compare=the\+cat%0Athe\+dog/);
  await app.shot('view-projection-compare');
  const shownJson = JSON.parse((await app.download('export.json')).bytes.toString('utf8'));
  expect(shownJson.projection).toMatchObject({ mode: '2d', layer: 3, compare: ['the cat', 'the dog'] });
  expect(shownJson.projection.points).toHaveLength(6);
  expect(shownJson.projection.points[2]).toMatchObject({ label: '1 ▁the', group: 1 });
  expect(shownJson.projection.points[2].coordinates[0]).toHaveLength(2);
  const png = await app.download('chart.projection.png');
  expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect((await app.download('chart.projection.svg')).bytes.toString('utf8')).toContain('text 2: the cat');
});
