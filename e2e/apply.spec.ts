/**
 * Compare and apply with the bundled random model: two sentences (cosine per pooling and layer, alignment,
 * pair mode), many sentences (batches, search, neighbours, cancel) and few-shot classification — the numbers on
 * screen checked against the engine in Node.
 */
import { expect, test } from '@playwright/test';
import { cosine, pool } from '../src/engine/pooling.ts';
import { parseNpy } from '../src/engine/testing/npyParser.ts';
import { embedInNode } from './fixtures/nodeEngine.ts';
import { Playground } from './fixtures/playground.ts';

/** Pooled vector of a text at a layer, from the CLI's hidden states. */
function pooled(text: string, layer: number, pooling: 'mean' | 'cls' | 'max'): Float32Array {
  const hidden = embedInNode(text).hiddenStates[layer]!;
  return pool({ data: Float32Array.from(hidden.flat()), dims: [hidden.length, hidden[0]!.length] }, pooling);
}

test('compare two sentences: cosine per pooling and layer, the layer curve, alignment, pair mode; in the URL', async ({
  page,
}) => {
  const app = await Playground.tiny(page, 'compare');
  await page.getByTestId('compare.a').fill('the cat sat');
  await page.getByTestId('compare.b').fill('hello world');
  const shown = page.getByTestId('compare.cosine');
  const expectCosine = async (layer: number, pooling: 'mean' | 'cls' | 'max') => {
    const expected = cosine(pooled('the cat sat', layer, pooling), pooled('hello world', layer, pooling));
    await expect.poll(async () => Number(await shown.textContent())).toBeCloseTo(expected, 4);
  };
  await expectCosine(3, 'mean');
  await expect(page.getByTestId('apply.random-note')).toBeVisible();
  await page.getByTestId('apply.pooling').selectOption('cls');
  await expectCosine(3, 'cls');
  await page.getByTestId('layer.slider').fill('1');
  await expectCosine(1, 'cls');
  await expect(page.getByTestId('chart.similarity-layers').locator('.scatterlayer .trace')).toHaveCount(3);

  // Alignment of the words (specials left out): 3 × 2, and F1 is the harmonic mean of what is shown.
  const alignment = page.getByTestId('chart.alignment');
  await expect(alignment).toHaveAttribute('data-rows', '3');
  await expect(alignment).toHaveAttribute('data-cols', '2');
  await expect(alignment.locator('.heatmap-title')).toContainText('layer 1');
  const number = async (id: string) => Number(await page.getByTestId(id).textContent());
  const [p, r, f1] = [
    await number('compare.precision'),
    await number('compare.recall'),
    await number('compare.f1'),
  ];
  expect(f1).toBeCloseTo((2 * p * r) / (p + r), 3);
  await expect(page.getByTestId('compare.matches-a').locator('tr')).toHaveCount(3);

  // Pair mode: layers × heads of attention crossing between the segments.
  await expect(page.getByTestId('chart.cross-a-to-b')).toHaveAttribute('data-rows', '3');
  await expect(page.getByTestId('chart.cross-b-to-a')).toHaveAttribute('data-cols', '4');
  await expect(page).toHaveURL(/mode=compare/);
  await expect(page).toHaveURL(/a=the\+cat\+sat&b=hello\+world/);
  await expect(page).toHaveURL(/pooling=cls/);
  await app.shot('compare');
});

test('many sentences: batches with progress, matrix in cluster order, neighbours, search, PCA; cancel keeps what ran', async ({
  page,
}) => {
  const app = await Playground.tiny(page, 'lines');
  await page.getByTestId('lines.example').click();
  await page.getByTestId('lines.run').click();
  const matrix = page.getByTestId('chart.lines-matrix');
  await expect(matrix).toHaveAttribute('data-rows', '16');
  await expect(page.getByTestId('lines.neighbours').locator('tr')).toHaveCount(16);
  await expect(page.getByTestId('chart.lines-pca').locator('.main-svg').first()).toBeVisible();
  // A query equal to a line ranks that line first, with cosine 1.
  await page.getByTestId('lines.query').fill('Dogs love to play fetch in the park.');
  const first = page.getByTestId('lines.ranking').locator('li').first();
  await expect(first).toContainText('3 Dogs love to play fetch in the park.');
  await expect(first.locator('b')).toHaveText('1.0000');
  // The layer control redraws from the kept vectors.
  await page.getByTestId('layer.slider').fill('2');
  await expect(matrix.locator('.heatmap-title')).toContainText('at layer 2');
  await app.shot('many-sentences');
  // Downloads: the sentence vectors as .npy (lines × hidden) and the shown results as JSON.
  const npy = parseNpy(new Uint8Array((await app.download('lines.download-npy')).bytes));
  expect(npy.shape).toEqual([16, 32]);
  const lineOne = pooled('The cat sat on the mat.', 2, 'mean');
  expect(Math.max(...Array.from(lineOne, (v, d) => Math.abs(v - npy.values[d]!)))).toBeLessThan(1e-5);
  const json = JSON.parse((await app.download('lines.download-json')).bytes.toString('utf8'));
  expect(json).toMatchObject({
    layer: 2,
    // This model has no pooling of its own: the default, and the file says so.
    pooling: { mode: 'mean', normalize: false, source: 'default' },
    query: 'Dogs love to play fetch in the park.',
  });
  expect(json.similarity).toHaveLength(16);
  expect(json.ranking[0].index).toBe(2);

  // The same path for scripts: pooled vectors from the worker's batches equal Node's single runs. (The worker
  // keeps one set of lines, so this replaces the page's.)
  const api = await page.evaluate(() =>
    window.albertPlayground!.embedLines(['hello world', 'the cat sat on the mat'], {
      batchSize: 2,
      pooling: 'max',
      layer: 2,
    }),
  );
  // A typed array with its dims, [lines, hidden].
  expect(api.vectors.dims).toEqual([2, 32]);
  expect(api.vectors.data).toBeInstanceOf(Float32Array);
  for (const [i, text] of ['hello world', 'the cat sat on the mat'].entries()) {
    const expected = pooled(text, 2, 'max'); // one CLI run per text
    const row = Array.from(api.vectors.data.subarray(i * 32, (i + 1) * 32));
    expect(Math.max(...row.map((v, d) => Math.abs(v - expected[d]!)))).toBeLessThan(1e-5);
  }

  // 2,000 lines: cancel once progress shows; what ran stays browsable.
  const many = Array.from(
    { length: 2000 },
    (_, i) => `line ${i} the cat sat on the mat and the dog ran`,
  ).join('\n');
  await app.paste('lines.input', many);
  await page.getByTestId('lines.run').click();
  await expect(page.getByTestId('apply.progress')).toBeVisible();
  await page.getByTestId('apply.cancel').click();
  await expect(page.getByTestId('lines.cancelled')).toContainText('of 2000 lines');
  const done = Number((await page.getByTestId('lines.cancelled').textContent())!.match(/after (\d+)/)![1]);
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(2000);
  await expect(matrix).toHaveAttribute('data-rows', String(done));
});

test('few-shot classification with the example reviews: centroid and k-NN scores equal Node’s', async ({
  page,
}) => {
  const app = await Playground.tiny(page, 'classify');
  await expect(page.getByTestId('classify.summary')).toContainText(
    '10 examples of 2 labels (positive, negative); 4 texts',
  );
  await page.getByTestId('classify.run').click();
  const rows = page.getByTestId('classify.row');
  await expect(rows).toHaveCount(4);
  await expect(page.getByTestId('apply.random-note')).toContainText('classifications mean nothing');
  // The first text's cosine with the positive centroid, computed here from Node's vectors.
  const examples = (await page.getByTestId('classify.examples').inputValue()).split('\n');
  const positives = examples.filter((l) => l.startsWith('positive:')).map((l) => l.slice(9).trim());
  const vectors = positives.map((t) => pooled(t, 3, 'mean'));
  const centroid = vectors[0]!.map((_, d) => vectors.reduce((s, v) => s + v[d]!, 0) / vectors.length);
  const text = (await page.getByTestId('classify.texts').inputValue()).split('\n')[0]!;
  const expected = cosine(pooled(text, 3, 'mean'), centroid);
  await expect(rows.first().locator('td').nth(2)).toHaveText(expected.toFixed(4));
  // Another layer and pooling rescore the vectors the worker kept (no new run: worker/apply.test.ts), with the
  // numbers of that layer and pooling.
  await page.getByTestId('layer.slider').fill('1');
  await page.getByTestId('apply.pooling').selectOption('cls');
  const clsVectors = positives.map((t) => pooled(t, 1, 'cls'));
  const clsCentroid = clsVectors[0]!.map(
    (_, d) => clsVectors.reduce((s, v) => s + v[d]!, 0) / clsVectors.length,
  );
  await expect(page.getByTestId('classify.results').locator('caption')).toContainText('At layer 1');
  await expect(rows.first().locator('td').nth(2)).toHaveText(
    cosine(pooled(text, 1, 'cls'), clsCentroid).toFixed(4),
  );
  // k changes the vote; a malformed line is reported.
  await page.getByTestId('classify.k').fill('1');
  await expect(rows.first().locator('td').last().locator('div')).toHaveCount(1);
  await page.getByTestId('classify.examples').fill(`${examples.join('\n')}\nthis line has no label`);
  await expect(page.getByTestId('classify.bad-lines')).toContainText('Line 11 is not');
  await app.shot('classify');
});
