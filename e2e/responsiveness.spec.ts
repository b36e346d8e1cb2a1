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

/**
 * On a shared 2-core machine another process can stall the page now and then; what the app itself does would
 * show in every round. So a round of user actions runs up to three times, and one round must be clean.
 */
async function roundsUntilClean(round: () => Promise<number[]>): Promise<number[][]> {
  const rounds: number[][] = [];
  const clean = () => rounds.some((t) => t.every((d) => d <= 50));
  for (let r = 0; r < 3 && !clean(); r++) rounds.push(await round());
  return rounds;
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
  const rounds = await roundsUntilClean(async () => {
    const before = (await longTasksSoFar()).length;
    for (const [words, count] of [
      [`${text} end`, '129'],
      [text, '128'],
    ] as const) {
      await app.typeText(words);
      await expect(page.getByTestId('tokens.count')).toHaveText(count);
      await expect(page.getByTestId('chart.attention')).toHaveAttribute('data-rows', count);
    }
    return (await longTasksSoFar()).slice(before);
  });
  console.log(`long tasks per round of two 128-token runs: ${JSON.stringify(rounds)}`);
  expect(rounds.some((t) => t.every((d) => d <= 50))).toBe(true);
});

test('switching layer and head in the attention view makes no main-thread task over 50 ms', async ({
  page,
}) => {
  const app = await Playground.tiny(page);
  const text = Array.from({ length: 510 }, (_, i) => ['hello', 'world', 'cat', 'dog'][i % 4]).join(' ');
  await app.typeText(text);
  await expect(page.getByTestId('tokens.count')).toHaveText('512');
  await app.showView('attention');
  await expect(page.getByTestId('chart.attention')).toHaveAttribute('data-rows', '512');
  await expect(page.getByTestId('attention.overview.thumb')).toHaveCount(12);
  const title = page.getByTestId('chart.attention').locator('.heatmap-title');
  const headLayer = page.getByTestId('attention.heads').locator('.thumbnails-layer');
  // Keys, not Playwright's fill(): its selector engine runs in the page's thread and would be measured.
  await page.getByTestId('attention.head').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(title).toHaveText('Layer 3, head 1');
  const longTasksSoFar = await watchLongTasks(page);
  /** Four layer switches and four head switches; the long tasks they caused. */
  const round = async () => {
    const before = (await longTasksSoFar()).length;
    await page.getByTestId('layer.slider').focus();
    for (const [key, layer] of [
      ['ArrowLeft', 2],
      ['ArrowRight', 3],
      ['ArrowLeft', 2],
      ['ArrowRight', 3],
    ] as const) {
      await page.keyboard.press(key);
      await expect(title).toHaveText(`Layer ${layer}, head 1`);
      await expect(headLayer).toHaveText(`layer ${layer}`);
    }
    await page.getByTestId('attention.head').focus();
    for (const [key, head] of [
      ['ArrowUp', 0],
      ['ArrowDown', 1],
      ['ArrowDown', 2],
      ['ArrowUp', 1],
    ] as const) {
      await page.keyboard.press(key);
      await expect(title).toHaveText(`Layer 3, head ${head}`);
    }
    // Let a late task (a thumbnail arriving) land before reading.
    await page.waitForTimeout(300);
    return (await longTasksSoFar()).slice(before);
  };
  const rounds = await roundsUntilClean(round);
  console.log(`long tasks per round of 4 layer and 4 head switches at 512 tokens: ${JSON.stringify(rounds)}`);
  expect(rounds.some((t) => t.every((d) => d <= 50))).toBe(true);

  // The norm chart (one stepped path) and the PCA scatter (WebGL above 80 points) follow the layer too.
  for (const view of ['embeddings', 'projection'] as const) {
    await app.showView(view);
    const chart = page.getByTestId(view === 'embeddings' ? 'chart.norms' : 'chart.projection');
    await expect(chart.locator('.main-svg').first()).toBeVisible();
    await page.waitForTimeout(500);
    const redraws = await roundsUntilClean(async () => {
      const before = (await longTasksSoFar()).length;
      await page.getByTestId('layer.slider').focus();
      for (const [key, layer] of [
        ['ArrowLeft', 2],
        ['ArrowRight', 3],
      ] as const) {
        await page.keyboard.press(key);
        await expect(chart.locator('.gtitle')).toContainText(`layer ${layer}`);
      }
      await page.waitForTimeout(300);
      return (await longTasksSoFar()).slice(before);
    });
    console.log(`${view} view, rounds of 2 layer switches at 512 tokens: ${JSON.stringify(redraws)}`);
    expect(redraws.some((t) => t.every((d) => d <= 50))).toBe(true);
  }
});
