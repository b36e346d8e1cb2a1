/**
 * The page on a phone (390 × 844) and in the dark: the text box in the first screen, banners folded to one
 * line, the model panel folded to its name, nothing wider than the screen (wide maps scroll in their own box),
 * a dark page with dark charts, and the four screenshots of the README.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { Playground } from './fixtures/playground.ts';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 860 };
const TEXT = 'The quick brown fox jumps over the lazy dog.';
const VIEWS = ['embeddings', 'attention', 'projection'] as const;
const MODES = ['compare', 'lines', 'classify', 'tag', 'probe'] as const;

/** How far the page itself scrolls sideways: 0 when nothing sticks out past the screen's right edge. */
const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

const linear = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);

/** Relative luminance (0 black .. 1 white) of an element's computed background colour. */
async function luminance(locator: Locator): Promise<number> {
  const colour = await locator.evaluate((el) => getComputedStyle(el).backgroundColor);
  const [r, g, b] = colour.match(/\d+(\.\d+)?/g)!.map(Number);
  return 0.2126 * linear(r!) + 0.7152 * linear(g!) + 0.0722 * linear(b!);
}

/** A plotly chart's paper: the background of the SVG it draws in. */
const paper = (page: Page, testId: string) => page.getByTestId(testId).locator('svg.main-svg').first();

async function axeViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
}

test.describe('on a phone', () => {
  test.use({ viewport: PHONE });

  test('the text box and the first tokens are in the first screen', async ({ page }) => {
    const app = await Playground.tiny(page);
    await app.typeText(TEXT);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    const box = (await app.textBox().boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
    const firstChip = (await app.chips().first().boundingBox())!;
    expect(firstChip.y + firstChip.height).toBeLessThanOrEqual(PHONE.height);
  });

  test('a banner is one line until tapped, then shows in full', async ({ page }) => {
    await Playground.tiny(page);
    const warning = page.getByTestId('message.random-weights');
    const line = warning.locator('summary');
    await expect(warning).not.toHaveAttribute('open');
    const folded = await line.evaluate((el) => ({
      height: el.clientHeight,
      fontSize: parseFloat(getComputedStyle(el).fontSize),
      cut: el.scrollWidth > el.clientWidth,
    }));
    expect(folded.height).toBeLessThan(folded.fontSize * 1.6);
    expect(folded.cut).toBe(true);

    await line.click();
    await expect(warning).toHaveAttribute('open');
    const opened = await line.evaluate((el) => ({
      height: el.clientHeight,
      cut: el.scrollWidth > el.clientWidth,
    }));
    expect(opened.height).toBeGreaterThan(folded.height * 2);
    expect(opened.cut).toBe(false);
    await expect(warning).toContainText('similarities mean nothing');
  });

  test('an error is never folded: it shows in full, as an alert', async ({ page }) => {
    const app = new Playground(page);
    await app.open({ model: '/models/no-such-model/', backend: 'wasm' });
    await app.waitError();
    const error = page.getByRole('alert');
    await expect(error).toContainText('config.json not found at');
    const shown = await error.evaluate((el) => ({
      tag: el.tagName,
      cut: el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight,
      lines: el.clientHeight / parseFloat(getComputedStyle(el).fontSize),
    }));
    expect(shown).toMatchObject({ tag: 'P', cut: false });
    expect(shown.lines).toBeGreaterThan(3);
  });

  test('the model panel is folded to the model name, and opens to switch the model', async ({ page }) => {
    const app = await Playground.tiny(page);
    const summary = page.getByTestId('model.summary');
    await expect(summary).toContainText('albert-tiny-random');
    await expect(page.getByTestId('model.site')).toBeHidden();
    expect((await page.getByTestId('model.panel').boundingBox())!.height).toBeLessThan(60);

    await summary.click();
    await expect(page.getByTestId('model.site')).toBeVisible();
    await page.getByTestId('model.site').selectOption('/models/paraphrase-albert-tiny-random/');
    await app.waitReady();
    await expect(summary).toContainText('paraphrase-albert-tiny-random');
    expect(await sidewaysOverflow(page)).toBe(0);
  });

  test('nothing is wider than the screen, in every view and every mode', async ({ page }) => {
    const app = await Playground.tiny(page);
    await app.typeText(TEXT);
    expect(await sidewaysOverflow(page), 'inspect').toBe(0);
    for (const view of VIEWS) {
      await app.showView(view);
      await page.waitForLoadState('networkidle');
      expect(await sidewaysOverflow(page), `${view} view`).toBe(0);
    }
    for (const mode of MODES) {
      await page.getByTestId(`mode.${mode}`).click();
      await expect(page.getByTestId(`mode.${mode}`)).toHaveAttribute('aria-current', 'page');
      await page.waitForLoadState('networkidle');
      expect(await sidewaysOverflow(page), `${mode} mode`).toBe(0);
    }
  });

  test('a map wider than the screen scrolls sideways inside its own box', async ({ page }) => {
    const app = await Playground.tiny(page);
    await app.typeText(TEXT);
    const boxes = [
      ['embeddings', page.getByTestId('chart.embedding-heatmap').locator('.heatmap-body')],
    ] as const;
    await app.showView(boxes[0][0]);
    await scrollsInside(page, boxes[0][1]);
    await app.showView('attention');
    await scrollsInside(page, page.getByTestId('chart.attention').locator('.heatmap-body'));
    // The grid of every head's thumbnail, too.
    await scrollsInside(page, page.getByTestId('attention.heads.thumb').first().locator('xpath=..'));
  });

  test('no accessibility violations with the banners and the model panel folded', async ({ page }) => {
    const app = await Playground.tiny(page);
    await app.typeText(TEXT);
    await app.showView('attention');
    await page.waitForLoadState('networkidle');
    expect(await axeViolations(page)).toEqual([]);
  });
});

/** The box's content is wider than the box, and scrolling it moves the content while the page stays put. */
async function scrollsInside(page: Page, box: Locator) {
  await expect(box).toBeVisible();
  const { scrollWidth, clientWidth } = await box.evaluate((el) => ({
    scrollWidth: el.scrollWidth,
    clientWidth: el.clientWidth,
  }));
  expect(scrollWidth).toBeGreaterThan(clientWidth);
  expect(clientWidth).toBeLessThanOrEqual(PHONE.width);
  const scrolled = await box.evaluate((el) => {
    el.scrollLeft = el.scrollWidth;
    return el.scrollLeft;
  });
  expect(scrolled).toBeGreaterThan(0);
  expect(await page.evaluate(() => window.scrollX)).toBe(0);
  expect(await sidewaysOverflow(page)).toBe(0);
}

test('on a wide screen the model panel starts open and the banners are paragraphs', async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await Playground.tiny(page);
  await expect(page.getByTestId('model.site')).toBeVisible();
  await expect(page.getByTestId('message.random-weights')).toHaveJSProperty('tagName', 'P');
  await page.getByTestId('model.summary').click();
  await expect(page.getByTestId('model.site')).toBeHidden();
});

test.describe('in the dark', () => {
  test.use({ colorScheme: 'dark' });

  test('the page is dark, its text light, and plotly draws on dark paper', async ({ page }) => {
    const app = await Playground.tiny(page);
    await app.typeText(TEXT);
    expect(await luminance(page.locator('body'))).toBeLessThan(0.05);
    const text = await page.locator('h1').evaluate((el) => getComputedStyle(el).color);
    expect(text).not.toBe('rgb(29, 35, 42)');
    await app.showView('embeddings');
    await expect(paper(page, 'chart.norms')).toBeVisible();
    expect(await luminance(paper(page, 'chart.norms'))).toBeLessThan(0.05);
    // Tick labels light on the dark paper.
    const tick = page.getByTestId('chart.norms').locator('.xtick text').first();
    expect(await tick.evaluate((el) => getComputedStyle(el).fill)).toBe('rgb(227, 232, 238)');
    // The attention map's scale runs from the dark surface (no weight) up to bright, not from glaring white.
    await app.showView('attention');
    const bar = page.getByTestId('chart.attention.legend').locator('canvas');
    const [weakest, strongest] = await bar.evaluate((el) => {
      const canvas = el as HTMLCanvasElement;
      const at = (y: number) =>
        Array.from(canvas.getContext('2d')!.getImageData(0, y, 1, 1).data.slice(0, 3));
      return [at(canvas.height - 1), at(0)];
    });
    expect(Math.max(...weakest!)).toBeLessThan(60);
    expect(Math.max(...strongest!)).toBeGreaterThan(200);
  });

  test('charts follow the system when it switches between light and dark', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    const app = await Playground.tiny(page);
    await app.typeText(TEXT);
    await app.showView('embeddings');
    await expect(paper(page, 'chart.norms')).toBeVisible();
    expect(await luminance(paper(page, 'chart.norms'))).toBeGreaterThan(0.9);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => luminance(paper(page, 'chart.norms'))).toBeLessThan(0.05);
    expect(await luminance(page.locator('body'))).toBeLessThan(0.05);
  });

  for (const view of VIEWS) {
    test(`no accessibility violations in the dark: inspect a text, ${view} view`, async ({ page }) => {
      const app = await Playground.tiny(page);
      await app.typeText(TEXT);
      await app.showView(view);
      await page.waitForLoadState('networkidle');
      expect(await axeViolations(page)).toEqual([]);
    });
  }

  for (const mode of MODES) {
    test(`no accessibility violations in the dark: ${mode} mode`, async ({ page }) => {
      await Playground.tiny(page, mode);
      await expect(page.getByTestId(`mode.${mode}`)).toHaveAttribute('aria-current', 'page');
      expect(await axeViolations(page)).toEqual([]);
    });
  }
});

test('screenshots: phone and desktop, light and dark', async ({ page }) => {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize(PHONE);
    const app = await Playground.tiny(page);
    await app.typeText(TEXT);
    await page.screenshot({ path: `test-results/screenshots/phone-${scheme}.png` });
    await page.setViewportSize(DESKTOP);
    await app.showView('attention');
    await page.waitForLoadState('networkidle');
    // The tokens, the token's vector and the attention map in one screen.
    await page.locator('section', { has: app.chips().first() }).evaluate((el) => el.scrollIntoView());
    await page.screenshot({ path: `test-results/screenshots/desktop-${scheme}.png` });
  }
});
