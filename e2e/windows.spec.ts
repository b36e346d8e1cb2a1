/**
 * Long texts as overlapping windows, with the bundled random model (max_position_embeddings 512) on WASM: a
 * text of 1,050 pieces is truncated by default and says so; as windows, every token is kept, the page says how
 * many windows ran, the attention view says it is per window, and the automation API's stitched numbers equal
 * the CLI's (the engine in Node) on the same text and overlap.
 */
import { expect, test } from '@playwright/test';
import { nested } from '../src/engine/nested.ts';
import { embedInNode, maxAbsDiff, type CliOutput } from './fixtures/nodeEngine.ts';
import { Playground } from './fixtures/playground.ts';

/** 1,050 pieces: every word is one piece in the bundled model. */
const LONG = Array.from({ length: 150 }, () => 'brown fox jumps over the lazy dog').join(' ');
const OVERLAP = 100;
const expected = embedInNode(LONG, undefined, 'public/models/albert-tiny-random', [
  '--windows',
  String(OVERLAP),
  '--no-attentions',
]) as CliOutput & { windows: { count: number; spans: number[][] }; documentVectors: number[][] };

test('a long text runs as windows on the page and through the API, equal to Node', async ({ page }) => {
  const app = await Playground.tiny(page);
  await app.paste('text.input', LONG);
  await app.waitReady();
  // Truncation stays the default, and is told.
  await expect(page.getByTestId('tokens.count')).toHaveText('512');
  await expect(page.getByTestId('tokens.truncated')).toContainText('the last 540 tokens were dropped');
  await expect(page.getByTestId('tokens.truncated')).toContainText('Choose "windows"');

  await app.longTexts('windows', OVERLAP);
  await expect(page.getByTestId('text.windows-note')).toHaveText(
    /^3 windows of up to 512 tokens, overlap 100: each token's vectors come from the window where it is most central/,
  );
  await expect(page.getByTestId('tokens.count')).toHaveText('1052');
  await expect(page.getByTestId('tokens.truncated')).toHaveCount(0);
  expect(new URL(page.url()).searchParams.get('windows')).toBe('100');
  await app.showView('attention');
  await expect(page.getByTestId('attention.windowed')).toContainText(
    'Attention is per window: this text ran as 3 windows',
  );
  await app.shot('windows');
  await app.showView('embeddings');

  const result = await page.evaluate(
    ([text, overlap]) => window.albertPlayground!.embed(text, undefined, { windows: { overlap } }),
    [LONG, OVERLAP] as const,
  );
  expect(result.windows).toMatchObject({ count: 3, overlap: OVERLAP, maxLength: 512 });
  expect(result.windows!.spans).toEqual(expected.windows.spans);
  expect(result.tokens).toEqual(expected.tokens);
  expect(result.attentions).toEqual([]);
  expect(result.attentionUnavailable).toBe('attention is per window: this text ran as 3 windows');
  // The same kernels as Node (WASM); the CLI prints 9 significant digits, hence 1e-5.
  expect(maxAbsDiff(result.hiddenStates.map(nested), expected.hiddenStates)).toBeLessThan(1e-5);
  expect(maxAbsDiff(nested(result.documentVectors!), expected.documentVectors)).toBeLessThan(1e-5);

  // The choice survives a reload through the URL.
  await page.reload();
  await app.waitReady();
  await expect(page.getByTestId('text.long-windows')).toBeChecked();
  await expect(page.getByTestId('text.overlap')).toHaveValue('100');
  await expect(page.getByTestId('text.windows-note')).toContainText('3 windows');
});
