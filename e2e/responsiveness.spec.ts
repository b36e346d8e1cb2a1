/**
 * The main thread stays free (no task over 50 ms, the browser's "long task") while the model runs in the worker
 * and while views follow the layer and head controls on a long text. Playwright's trace recorder snapshots the
 * DOM in the page's thread, so it is off here; and the tests press keys instead of fill(), whose selector
 * engine also runs in the page's thread.
 */
import { expect, test, type Page } from '@playwright/test';
import { Playground, TINY } from './fixtures/playground.ts';

test.use({ trace: 'off' });

async function watchLongTasks(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe(
      {
        type: 'longtask',
      },
    );
  });
  return () => page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
}

test('no main-thread task over 50 ms while 128-token texts run and the attention view follows', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open({ model: TINY, backend: 'wasm', view: 'attention' });
  await app.waitReady();
  // 126 one-piece words: [CLS] + 126 + [SEP] = 128 tokens.
  const text = Array.from({ length: 126 }, (_, i) => ['hello', 'world', 'cat', 'dog'][i % 4]).join(' ');
  const longTasksSoFar = await watchLongTasks(page);
  for (let i = 0; i < 3; i++) {
    await app.typeText(i % 2 ? text : `${text} end`);
    await expect(page.getByTestId('tokens.count')).toHaveText(i % 2 ? '128' : '129');
    await expect(page.getByTestId('chart.attention')).toHaveAttribute('data-rows', i % 2 ? '128' : '129');
  }
  const longTasks = await longTasksSoFar();
  console.log(`long tasks during three 128-token runs: ${JSON.stringify(longTasks)}`);
  expect(longTasks.filter((d) => d > 50)).toEqual([]);
});

test('switching layer and head in the attention view makes no main-thread task over 50 ms', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open({ model: TINY, backend: 'wasm' });
  await app.waitReady();
  const text = Array.from({ length: 510 }, (_, i) => ['hello', 'world', 'cat', 'dog'][i % 4]).join(' ');
  await app.typeText(text);
  await expect(page.getByTestId('tokens.count')).toHaveText('512');
  await app.showView('attention');
  await expect(page.getByTestId('chart.attention')).toHaveAttribute('data-rows', '512');
  await expect(page.getByTestId('attention.overview.thumb')).toHaveCount(12);
  const longTasksSoFar = await watchLongTasks(page);
  const title = page.getByTestId('chart.attention').locator('.heatmap-title');
  // Keys, not Playwright's fill(): its selector engine runs in the page's thread and would be measured.
  await page.getByTestId('layer.slider').focus();
  for (const [key, layer] of [
    ['ArrowLeft', 2],
    ['ArrowLeft', 1],
    ['ArrowRight', 2],
  ] as const) {
    await page.keyboard.press(key);
    await expect(title).toHaveText(`Layer ${layer}, mean over heads`);
    await expect(page.getByTestId('attention.heads').locator('.thumbnails-layer')).toHaveText(
      `layer ${layer}`,
    );
  }
  await page.getByTestId('attention.head').focus();
  for (const head of [0, 1, 2]) {
    await page.keyboard.press('ArrowDown');
    await expect(title).toHaveText(`Layer 2, head ${head}`);
  }
  // Let a late task (a thumbnail arriving) land before reading.
  await page.waitForTimeout(300);
  const longTasks = await longTasksSoFar();
  console.log(`long tasks while switching 3 layers and 3 heads at 512 tokens: ${JSON.stringify(longTasks)}`);
  expect(longTasks.filter((d) => d > 50)).toEqual([]);

  // The plotly views redraw a whole plot per layer: measured and reported, not held to 50 ms (see README).
  for (const view of ['embeddings', 'projection'] as const) {
    await app.showView(view);
    const chart = page.getByTestId(view === 'embeddings' ? 'chart.norms' : 'chart.projection');
    await expect(chart.locator('.main-svg').first()).toBeVisible();
    await page.waitForTimeout(500);
    const before = (await longTasksSoFar()).length;
    await page.getByTestId('layer.slider').focus();
    for (const [key, layer] of [
      ['ArrowLeft', 1],
      ['ArrowRight', 2],
    ] as const) {
      await page.keyboard.press(key);
      await expect(chart.locator('.gtitle')).toContainText(`layer ${layer}`);
    }
    await page.waitForTimeout(300);
    console.log(
      `${view} view, 2 layer switches at 512 tokens: ${JSON.stringify((await longTasksSoFar()).slice(before))}`,
    );
  }
});
