/**
 * Token tagging and layer probes with the bundled random model: the tags on screen, the tags of the automation
 * API and the probe accuracies in the chart's table are checked against the CLI (the engine in Node) on the
 * same examples; an example sentence tagged at k = 1 gets its own tags; a click on a layer moves the control; the
 * tagging boxes survive a reload; the probes show their progress (sentences, then layers) and end.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleTags, OUTSIDE, parseTaggedLine, type TaggedExample } from '../src/engine/tagging.ts';
import { AlbertTokenizer } from '../src/engine/tokenizer.ts';
import { EXAMPLE_ENTITIES, EXAMPLE_REVIEWS, EXAMPLE_TO_TAG } from '../src/shared/examples.ts';
import { Playground } from './fixtures/playground.ts';

const MODEL = 'public/models/albert-tiny-random';
const dir = mkdtempSync(join(tmpdir(), 'albert-tagging-e2e-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const entities = file('entities.txt', EXAMPLE_ENTITIES);
const reviews = file('reviews.txt', EXAMPLE_REVIEWS);

/** The CLI's JSON for some options, on WASM with one thread (the page's backend here). */
function cli(args: string[]): Record<string, unknown> {
  const all = ['tsx', 'src/cli/main.ts', '--model', MODEL, '--backend', 'wasm', '--threads', '1', ...args];
  return JSON.parse(execFileSync('npx', all, { encoding: 'utf8' })) as Record<string, unknown>;
}

const read = (name: string) => JSON.parse(readFileSync(join(MODEL, name), 'utf8')) as Record<string, unknown>;

/** An example sentence's own tags, from the tokenizer in Node ('O' where a token has none). */
function ownTags(line: string): string[] {
  const tokenizer = new AlbertTokenizer(read('tokenizer.json'), read('tokenizer_config.json'), 512);
  const example = parseTaggedLine(line) as TaggedExample;
  return exampleTags(tokenizer.encode(example.text), example).map((t) => t ?? OUTSIDE);
}

/** One state of the probe's progress bar: the task it named, its value and its maximum. */
interface Step {
  task: string;
  value: number;
  max: number;
}

/** Records the progress bar at every change of the page into `window.seen`, so a short job is seen too. */
function recordProgress(page: Page): Promise<void> {
  return page.evaluate(() => {
    const seen: Step[] = [];
    (window as unknown as { seen: Step[] }).seen = seen;
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid="apply.progress"]');
      const progress = bar?.querySelector('progress');
      if (bar && progress)
        seen.push({
          task: bar.textContent!.split(' task')[0]!.trim(),
          value: progress.value,
          max: progress.max,
        });
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

test('the tagging boxes survive a reload (local storage), and the summary reads the kept examples', async ({
  page,
}) => {
  const app = await Playground.tiny(page, 'tag');
  const examples = '[Ada](PER) sang in [Rome](LOC).\n[Bob](PER) works at [Acme](ORG).';
  const text = 'Ada met Bob in Rome.';
  await page.getByTestId('tag.examples').fill(examples);
  await page.getByTestId('tag.text').fill(text);
  await page.reload();
  await app.waitReady();
  await expect(page.getByTestId('tag.examples')).toHaveValue(examples);
  await expect(page.getByTestId('tag.text')).toHaveValue(text);
  await expect(page.getByTestId('tag.summary')).toContainText('2 sentences with 4 spans of 3 tags');
});

test('tag tokens: the tags on the text equal Node’s, at another layer too; neighbours on hover; the API', async ({
  page,
}) => {
  const app = await Playground.tiny(page, 'tag');
  await expect(page.getByTestId('tag.summary')).toContainText(
    '12 sentences with 24 spans of 3 tags (PER, LOC, ORG)',
  );
  await expect(page.getByTestId('tag.expectations')).toContainText(
    'raw ALBERT was trained to fill in masked words',
  );
  await page.getByTestId('layer.slider').fill('2');
  await page.getByTestId('tag.run').click();
  const tokens = page.getByTestId('tag.token');
  await expect(page.getByTestId('tag.result')).toContainText('At layer 2');
  const shown = async () =>
    tokens.evaluateAll((els) => els.map((e) => [Number(e.dataset.index), e.dataset.tag!] as const));
  const expectNode = async (layer: number) => {
    const node = cli(['--tag', entities, '--layer', String(layer), '--k', '3', '--text', EXAMPLE_TO_TAG]);
    const tags = node.tags as string[];
    await expect(page.getByTestId('tag.result')).toContainText(`At layer ${layer}`);
    const onPage = await shown();
    // Every token but [CLS]/[SEP] is drawn on the text, with Node's tag.
    expect(onPage.map(([i]) => i)).toEqual(tags.map((_, i) => i).slice(1, -1));
    expect(onPage.map(([i, tag]) => [i, tag])).toEqual(onPage.map(([i]) => [i, tags[i]]));
    return tags;
  };
  await expectNode(2);
  // Hovering a token lists its 3 nearest labelled tokens.
  await tokens.first().hover();
  await expect(page.getByTestId('tag.tooltip').locator('li')).toHaveCount(3);
  await app.shot('tag-tokens');
  // The layer control tags again from the kept vectors, with that layer's numbers.
  await page.getByTestId('layer.slider').fill('1');
  const layerOne = await expectNode(1);

  // The automation API: the same tags; an example sentence at k = 1 gets its own tags.
  const api = await page.evaluate(
    ([examples, text]) => window.albertPlayground!.tagTokens(examples!, text!, { layer: 1, k: 3 }),
    [EXAMPLE_ENTITIES, EXAMPLE_TO_TAG],
  );
  expect(api.tags).toEqual(layerOne);
  expect(api.tokens[0]).toBe('[CLS]');
  const line = EXAMPLE_ENTITIES.split('\n')[0]!;
  const text = (parseTaggedLine(line) as TaggedExample).text;
  const self = await page.evaluate(
    ([examples, t]) => window.albertPlayground!.tagTokens(examples!, t!, { layer: 3, k: 1 }),
    [EXAMPLE_ENTITIES, text],
  );
  expect(self.tags).toEqual(ownTags(line));
  expect(self.tags).toContain('PER');

  // A malformed line is reported with its number.
  await page.getByTestId('tag.examples').fill(`${EXAMPLE_ENTITIES}\n[Oslo(LOC) is open`);
  await expect(page.getByTestId('tag.bad-lines')).toContainText(
    'line 13 ("[" at column 1 is not closed by "]")',
  );
});

test('which layer knows this: a progress bar per task, then probe accuracies per hidden state equal Node’s; a click selects the layer', async ({
  page,
}) => {
  const app = await Playground.tiny(page, 'probe');
  await recordProgress(page);
  await page.getByTestId('probe.run').click();
  const table = page.getByTestId('probe.table');
  await expect(table).toBeVisible({ timeout: 60_000 });
  // The bar showed each task's sentences and then its 4 hidden states as steps, counting up, and is gone.
  await expect(page.getByTestId('apply.progress')).toHaveCount(0);
  const seen = await page.evaluate(() => (window as unknown as { seen: Step[] }).seen);
  const steps = { sentence: EXAMPLE_REVIEWS, token: EXAMPLE_ENTITIES };
  for (const [task, examples] of Object.entries(steps)) {
    const shown = seen.filter((s) => s.task === task);
    expect(shown.length).toBeGreaterThan(0);
    for (const s of shown) expect(s.max).toBe(examples.split('\n').length + 4);
    const values = shown.map((s) => s.value);
    expect(values).toEqual(values.toSorted((a, b) => a - b));
  }
  expect(seen.map((s) => s.task)).toEqual(seen.map((s) => s.task).toSorted()); // sentence, then token
  await expect(page.getByTestId('chart.probe').locator('.scatterlayer .trace')).toHaveCount(4);
  for (const task of ['sentence', 'token'] as const) {
    const node = cli(['--probe', task === 'sentence' ? reviews : entities, '--task', task]);
    const accuracies = node.accuracyPerLayer as number[];
    expect(accuracies).toHaveLength(4);
    const row = page.getByTestId(`probe.row-${task}`);
    await expect(row.getByTestId('probe.accuracy')).toHaveText(accuracies.map((a) => a.toFixed(3)));
    await expect(row.getByTestId('probe.chance')).toHaveText((node.chance as number).toFixed(3));
    // The automation API: the same numbers, unrounded.
    const api = await page.evaluate(
      ([examples, t]) => window.albertPlayground!.probe(examples!, { task: t as 'sentence' | 'token' }),
      [task === 'sentence' ? EXAMPLE_REVIEWS : EXAMPLE_ENTITIES, task],
    );
    expect(api.accuracyPerLayer).toEqual(accuracies);
    expect(api.chance).toBe(node.chance);
    for (const a of api.accuracyPerLayer) expect(a >= 0 && a <= 1).toBe(true);
  }
  // Clicking a layer's accuracy moves the layer control there.
  await page.getByTestId('probe.row-token').locator('[data-layer="1"]').click();
  await expect(page.getByTestId('layer.slider')).toHaveValue('1');
  await expect(page.getByTestId('probe.row-token').locator('[data-layer="1"]')).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await app.shot('probe-layers');
});
