/**
 * "How ALBERT works": the parameter counts are the loaded config's (computed in Node from the same config file),
 * each stage opens the view and layer that show it, and the open panel passes axe-core.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { parameterCounts } from '../src/engine/parameters.ts';
import { tinyConfig } from '../src/engine/testing/fixtures.ts';
import { Playground } from './fixtures/playground.ts';

test('how ALBERT works: counts from the loaded config, and each stage opens its view and layer', async ({
  page,
}) => {
  const app = await Playground.tiny(page);
  const counts = parameterCounts(tinyConfig() as Parameters<typeof parameterCounts>[0]);
  const panel = page.getByTestId('how.panel');
  await panel.locator('summary').click();
  await expect(page.getByTestId('how.total')).toHaveText(counts.total.toLocaleString('en-US'));
  await expect(page.getByTestId('how.bert')).toHaveText(counts.unsharedBert.toLocaleString('en-US'));
  await expect(page.getByTestId('how.layer')).toHaveText('One Transformer layer, applied 3 times');
  expect(await new AxeBuilder({ page }).include('[data-testid="how.panel"]').analyze()).toMatchObject({
    violations: [],
  });

  await page.getByTestId('how.layer').click();
  await expect(page.getByTestId('view.attention')).toBeVisible();
  await expect(page.getByTestId('layer.value')).toHaveText('1 of 3');
  await page.getByTestId('how.factorized').click();
  await expect(page.getByTestId('view.embeddings')).toBeVisible();
  await expect(page.getByTestId('layer.value')).toHaveText('0 — embedding projection');
  await expect(page.getByTestId('embeddings.factorized')).toBeChecked();
  await page.getByTestId('how.hidden').click();
  await expect(page.getByTestId('layer.value')).toHaveText('3 of 3');
  await expect(page.getByTestId('embeddings.factorized')).not.toBeChecked();
  await app.shot('how-albert-works');
});
