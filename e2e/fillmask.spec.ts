/**
 * Fill-mask with the bundled random model: the top 10 pieces at each [MASK], their probabilities as the engine
 * computes them in Node, and the plain message when the model file is a feature-extraction export.
 */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator } from '@playwright/test';
import { fillMaskInNode } from './fixtures/nodeEngine.ts';
import { Playground, TINY } from './fixtures/playground.ts';

const TINY_DIR = 'public/models/albert-tiny-random';

/** The tiny model with a feature-extraction export (no masked-LM head) as its onnx/model.onnx. */
function featureExtractionCopy(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'albert-fe-')), 'albert-tiny-feature-extraction');
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json'])
    copyFileSync(join(TINY_DIR, f), join(dir, f));
  copyFileSync(
    join(TINY_DIR, 'onnx/variants/feature-extraction-opset14-fp32.onnx'),
    join(dir, 'onnx/model.onnx'),
  );
  return dir;
}

/** Each row of a mask group: id, the exact probability, and the percent on screen. */
async function rowsOf(group: Locator) {
  const rows = group.getByTestId('fillmask.row');
  return Promise.all(
    (await rows.all()).map(async (row) => ({
      id: Number(await row.getAttribute('data-id')),
      probability: Number(await row.getAttribute('data-probability')),
      shown: Number((await row.getByTestId('fillmask.probability').textContent())!.replace('%', '')) / 100,
    })),
  );
}

test('fill-mask: the top 10 pieces at each [MASK], as the engine computes them in Node', async ({ page }) => {
  const app = await Playground.tiny(page);
  const text = 'the [MASK] sat on the mat';
  await app.typeText(text);
  await expect(app.chips().nth(2)).toHaveClass(/special/);
  const panel = page.getByTestId('fillmask.panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('fillmask.random')).toBeVisible();
  const groups = panel.getByTestId('fillmask.position');
  await expect(groups).toHaveCount(1);
  await expect(groups.first()).toContainText('Position 2');
  await expect(groups.first().getByTestId('fillmask.row')).toHaveCount(10);

  const rows = await rowsOf(groups.first());
  const [expected] = await fillMaskInNode(text);
  expect(rows.map((r) => r.id)).toEqual(expected!.top.map((t) => t.id));
  rows.forEach((r, i) => {
    if (i > 0) expect(r.probability).toBeLessThanOrEqual(rows[i - 1]!.probability);
    expect(Math.abs(r.shown - expected!.top[i]!.probability)).toBeLessThan(1e-4);
    expect(Math.abs(r.probability - expected!.top[i]!.probability)).toBeLessThan(1e-4);
  });
  expect(rows.reduce((s, r) => s + r.probability, 0)).toBeLessThanOrEqual(1);
  await expect(groups.first().getByTestId('fillmask.row').first()).toContainText(expected!.top[0]!.token);
  await app.shot('fill-mask');

  // Two masks: two groups, each with its own ten.
  await app.typeText('the [MASK] sat on the [MASK].');
  await expect(groups).toHaveCount(2);
  await expect(groups.nth(1)).toContainText('Position 6');
  for (const group of await groups.all()) await expect(group.getByTestId('fillmask.row')).toHaveCount(10);

  // No [MASK], no panel.
  await app.typeText('the cat sat on the mat');
  await expect(panel).toHaveCount(0);
});

test('fill-mask: a feature-extraction export says plainly that it has no masked-LM head', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open({ model: TINY, backend: 'wasm', text: 'the [MASK] sat on the mat' });
  await app.waitReady();
  await expect(page.getByTestId('fillmask.position')).toHaveCount(1);
  // The app picks onnx/model.onnx of a folder: a folder whose model.onnx is a feature-extraction export.
  await page.getByTestId('model.folder').setInputFiles(featureExtractionCopy());
  await app.waitReady();
  await expect(page.getByTestId('fillmask.no-head')).toHaveText(
    'This model file has no masked-LM head (a feature-extraction export), so it cannot fill [MASK]; load a ' +
      'fill-mask export (onnx/model.onnx of Xenova/albert-base-v2)',
  );
  await expect(page.getByTestId('fillmask.position')).toHaveCount(0);
  await app.shot('fill-mask-no-head');
});
