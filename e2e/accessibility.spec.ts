/**
 * axe-core on every mode of the page and every view of "Inspect a text", with the bundled model and a text run:
 * no violation of any impact (headings in order, labels, contrast, names of controls).
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { Playground } from './fixtures/playground.ts';

async function violations(page: Page) {
  const { violations: found } = await new AxeBuilder({ page }).analyze();
  return found.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

for (const view of ['embeddings', 'attention', 'projection'] as const) {
  test(`no accessibility violations: inspect a text, ${view} view`, async ({ page }) => {
    const app = await Playground.tiny(page);
    await app.typeText('The quick brown fox jumps over the lazy dog.');
    await app.showView(view);
    await expect(page.getByTestId(`view.${view}`)).toBeVisible();
    // The view's charts drawn (plotly's SVG included), so they are checked too.
    await page.waitForLoadState('networkidle');
    expect(await violations(page)).toEqual([]);
  });
}

for (const mode of ['compare', 'lines', 'classify', 'tag', 'probe'] as const) {
  test(`no accessibility violations: ${mode} mode`, async ({ page }) => {
    await Playground.tiny(page, mode);
    await expect(page.getByTestId(`mode.${mode}`)).toHaveAttribute('aria-current', 'page');
    expect(await violations(page)).toEqual([]);
  });
}
