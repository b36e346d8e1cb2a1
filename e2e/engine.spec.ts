/**
 * index.html runs the bundled tiny model in the engine worker, on WASM and on WebGPU (Chromium's software
 * adapter, asked for explicitly), and gets the numbers the engine gives in Node.
 */
import { expect, test } from '@playwright/test';
import { embedInNode, maxAbsDiff } from './fixtures/nodeEngine.ts';

const TEXT = 'The quick brown fox';
const PAIR = 'jumps over the lazy dog.';
const expected = embedInNode(TEXT, PAIR);

for (const [backend, tolerance] of [
  ['wasm', 1e-5], // same kernels as Node; the CLI prints 9 significant digits
  ['webgpu', 1e-4], // different kernels (SwiftShader), float32 throughout
] as const) {
  test(`the worker runs the tiny model on ${backend} and matches Node`, async ({ page }) => {
    await page.goto(`/?backend=${backend}`);
    const ready = await page.evaluate(() => window.albertPlayground!.ready());
    expect(ready.backend.name).toBe(backend);
    if (backend === 'webgpu') expect(ready.backend.adapter).toContain('fallback');
    const result = await page.evaluate(([t, p]) => window.albertPlayground!.embed(t, p), [
      TEXT,
      PAIR,
    ] as const);
    expect(result.tokens).toEqual(expected.tokens);
    expect(result.ids).toEqual(expected.ids);
    expect(result.tokenTypeIds).toEqual(expected.tokenTypeIds);
    expect(result.hiddenStates).toHaveLength(4);
    expect(result.attentions).toHaveLength(3);
    expect(maxAbsDiff(result.hiddenStates, expected.hiddenStates)).toBeLessThan(tolerance);
    expect(maxAbsDiff(result.attentions, expected.attentions)).toBeLessThan(tolerance);
    await expect(page.getByTestId('engine.status')).toHaveText('ready');
    await expect(page.getByTestId('engine.output')).toContainText(`backend: ${backend}`);
    await page.screenshot({ path: `test-results/engine-${backend}.png` });
  });
}

test('auto skips the software WebGPU adapter and says why', async ({ page }) => {
  await page.goto('/');
  const ready = await page.evaluate(() => window.albertPlayground!.ready());
  expect(ready.backend.name).toBe('wasm');
  expect(ready.backend.fallbackReason).toMatch(/software fallback/);
  expect(ready.backend.threads).toBe(Math.min(4, await page.evaluate(() => navigator.hardwareConcurrency)));
});
