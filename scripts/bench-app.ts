/**
 * `npm run bench:app` — the app against the pages people would write instead, in one run of headless Chromium on
 * the base-shape random model (albert-base-v2's sizes), each case in a fresh browser:
 * - the built site (its worker, the URL's model on WASM, the attention view open);
 * - a bare onnxruntime-web session in a worker on the unmodified file, plain WASM build (the baseline);
 * - the same on the JSEP build (WebGPU + WASM, 28 MB), run on WASM;
 * - transformers.js' feature-extraction pipeline.
 *
 * For each: cold start (navigation to the first result: the app's `albert:first-result` mark, the peers'
 * `bench:first-result`), a second visit (the same navigation again in that browser: its HTTP cache, and the
 * app's prepared graph kept by the file's hash), warm latency at 32/128/512 tokens (median of 3 after a warm-up; the app through
 * `albertPlayground.embed` asking for the last layer only, as a bare session returns one output), the peak
 * resident memory of the renderer process (page and workers; Linux VmHWM) after a 512-token text (in the app,
 * with the attention view drawn), and main-thread long tasks. Each is also a ratio to the bare WASM session.
 * A benchmark, not a test: exits 0 unless a case cannot run.
 *
 *   npx tsx scripts/bench-app.ts [--reuse-build] [--rounds 3] [--cold 3] [--only app,jsep,transformers]
 *
 * `--only` keeps the baseline and the cases whose names contain one of the words.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import type { BenchPage } from './bench-app/pages/protocol.ts';
import playwrightConfig from '../playwright.config.ts';
import { AlbertEngine } from '../src/engine/albert.ts';
import { fsSource } from '../src/engine/node/fsSource.ts';
import { nodeRuntime } from '../src/engine/node/runtime.ts';
import { seeded, textOfTokens, vocabularyWords } from './lib/benchTexts.ts';
import {
  BASE_MODEL_PATH,
  buildApp,
  buildPages,
  ensureBaseModel,
  servePreview,
  stopPreview,
} from './lib/preview.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const PORT = 4291;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const LENGTHS = [32, 128, 512];
const log = (m: string) => console.error(`bench-app: ${m}`);

const { values } = parseArgs({
  options: {
    'reuse-build': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    cold: { type: 'string', default: '3' },
    only: { type: 'string' },
  },
});
const rounds = Math.max(1, Number(values.rounds) || 3);
const cold = Math.max(1, Number(values.cold) || 3);

interface Input {
  tokens: number;
  text: string;
  ids: number[];
  /** The model's last layer (the one hidden state a bare session's graph returns). */
  layer: number;
}

interface Result {
  name: string;
  coldMs: number;
  /** Navigation to the first result again, in the browser of a cold start. */
  revisitMs?: number;
  /** Median warm ms per length. */
  warm: number[];
  peakMB: number;
  longTasks: number[];
}

/** The texts, and their ids as ALBERT's tokenizer gives them (the bare sessions take ids). */
async function inputs(modelDir: string): Promise<Input[]> {
  const engine = await AlbertEngine.load({
    source: await fsSource(modelDir),
    ...(await nodeRuntime('wasm', 1)),
    backend: 'wasm',
  });
  const words = vocabularyWords(modelDir);
  const random = seeded(20261203);
  const out = LENGTHS.map((tokens) => {
    const text = textOfTokens(engine.tokenizer, words, tokens, random);
    return { tokens, text, ids: engine.tokenizer.encode(text).ids, layer: engine.config.num_hidden_layers };
  });
  await engine.dispose();
  return out;
}

/** A /proc file of a process, or '' when it is gone. */
function read(pid: string, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

const cmdline = (pid: string) => read(pid, 'cmdline').replaceAll('\0', ' ');

/** Peak resident memory (VmHWM) of every renderer process under the browser started with `userDataDir`, in MB. */
function rendererPeakMB(userDataDir: string): number {
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  const parent = new Map(procs.map((pid) => [pid, read(pid, 'stat').split(') ')[1]?.split(' ')[1] ?? '']));
  const browser = procs.find(
    (pid) => cmdline(pid).includes(`--user-data-dir=${userDataDir}`) && !cmdline(pid).includes('--type='),
  );
  if (!browser) return NaN;
  const descends = (pid: string): boolean => {
    for (let p = parent.get(pid); p && p !== '1' && p !== '0'; p = parent.get(p))
      if (p === browser) return true;
    return false;
  };
  const kb = procs
    .filter((pid) => descends(pid) && cmdline(pid).includes('--type=renderer'))
    .map((pid) => Number(/VmHWM:\s+(\d+)/.exec(read(pid, 'status'))?.[1] ?? 0));
  return kb.reduce((a, b) => a + b, 0) / 1024;
}

const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[xs.length >> 1]!;

/** A case: how to open it, how to time one run, and what it does at 512 tokens before memory is read. */
interface Case {
  name: string;
  url: string;
  mark: string;
  run(page: Page, input: Input): Promise<number>;
  at512?(page: Page, input: Input): Promise<void>;
}

/** One fresh browser on the case: cold start, then (unless `coldOnly`) warm runs, the 512 step and memory. */
async function measure(c: Case, texts: Input[], coldOnly = false): Promise<Result> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'bench-app-'));
  const context: BrowserContext = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: playwrightConfig.use?.launchOptions?.args ?? ['--headless=new', '--no-sandbox'],
  });
  try {
    await context.addInitScript(() => {
      const tasks: number[] = [];
      (window as unknown as { benchLongTasks: number[] }).benchLongTasks = tasks;
      new PerformanceObserver((list) => list.getEntries().forEach((e) => tasks.push(e.duration))).observe({
        type: 'longtask',
        buffered: true,
      });
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => log(`${c.name}: page error: ${error.message}`));
    const visit = async () => {
      await page.goto(`${ORIGIN}${c.url}`);
      await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, c.mark, {
        timeout: 120_000,
        polling: 20,
      });
      return page.evaluate((mark) => performance.getEntriesByName(mark)[0]!.startTime, c.mark);
    };
    const coldMs = await visit();
    if (coldOnly) {
      // What the first visit stored (the app keeps its prepared graph after the first result) settles first.
      await page.waitForTimeout(1000);
      return { name: c.name, coldMs, revisitMs: await visit(), warm: [], peakMB: NaN, longTasks: [] };
    }
    const warm: number[] = [];
    for (const input of texts) {
      await c.run(page, input); // warm-up
      const times: number[] = [];
      for (let r = 0; r < rounds; r++) times.push(await c.run(page, input));
      warm.push(median(times));
      log(`${c.name}: ${input.tokens} tokens ${warm.at(-1)!.toFixed(0)} ms`);
    }
    await c.at512?.(page, texts.at(-1)!);
    const longTasks = await page.evaluate(
      () => (window as unknown as { benchLongTasks: number[] }).benchLongTasks,
    );
    const peakMB = rendererPeakMB(userDataDir);
    return { name: c.name, coldMs, warm, peakMB, longTasks };
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

/** A peer page: `window.bench` (scripts/bench-app/pages). */
const peer = (name: string, page: string): Case => ({
  name,
  url: `/bench/peer.html?kind=${page}`,
  mark: 'bench:first-result',
  run: (p, input) =>
    p.evaluate((i) => (window as unknown as { bench: BenchPage }).bench.run(i), {
      ids: input.ids,
      text: input.text,
    }),
});

const APP: Case = {
  name: 'the app (its worker, WASM)',
  url: `/?model=${encodeURIComponent(BASE_MODEL_PATH)}&backend=wasm&view=attention`,
  mark: 'albert:first-result',
  run: (page, input) =>
    page.evaluate(
      async ({ text, layer }) => {
        const t0 = performance.now();
        await window.albertPlayground!.embed(text, undefined, { layers: [layer], attentions: false });
        return performance.now() - t0;
      },
      { text: input.text, layer: input.layer },
    ),
  // What a person does: paste the long text and look at its attention.
  async at512(page, input) {
    await page.getByTestId('text.input').evaluate((el, value) => {
      const box = el as HTMLTextAreaElement;
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(box, value);
      box.dispatchEvent(new Event('input', { bubbles: true }));
    }, input.text);
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="tokens.chip"]').length === n,
      input.ids.length,
      { timeout: 120_000 },
    );
    await page.getByTestId('chart.attention').waitFor({ timeout: 120_000 });
  },
};

const CASES: Case[] = [
  peer('bare onnxruntime-web, plain WASM build', 'bare-wasm'),
  APP,
  peer('bare onnxruntime-web, JSEP build', 'bare-jsep'),
  peer('transformers.js feature-extraction', 'transformers'),
];

const started = performance.now();
const modelDir = ensureBaseModel(root, log);
const outDir = join(root, '.cache/bench-app/dist');
log(`building the app and the peer pages into ${outDir}`);
buildApp(root, outDir, modelDir, values['reuse-build']!);
buildPages(root, 'scripts/bench-app/vite.config.ts', join(outDir, 'bench'));
const texts = await inputs(modelDir);
log(`texts of ${texts.map((t) => t.ids.length).join(' / ')} tokens`);
const server = await servePreview(root, outDir, PORT);
const results: Result[] = [];
try {
  const only = values.only?.split(',').map((w) => w.trim().toLowerCase());
  for (const c of CASES) {
    if (only && c !== CASES[0] && !only.some((w) => c.name.toLowerCase().includes(w))) continue;
    try {
      const result = await measure(c, texts);
      // Cold start varies most (a fresh browser, files, compile): the median of `--cold` launches.
      // Those launches also time a second visit (the first launch goes on to the warm runs and memory).
      const colds = [result.coldMs];
      const revisits: number[] = [];
      for (let i = 1; i < Math.max(cold, 2); i++) {
        const again = await measure(c, texts, true);
        if (i < cold) colds.push(again.coldMs);
        revisits.push(again.revisitMs!);
      }
      log(`${c.name}: cold starts ${colds.map((ms) => ms.toFixed(0)).join(', ')} ms`);
      log(`${c.name}: second visits ${revisits.map((ms) => ms.toFixed(0)).join(', ')} ms`);
      results.push({ ...result, coldMs: median(colds), revisitMs: median(revisits) });
    } catch (error) {
      log(`${c.name} failed: ${(error as Error).message.split('\n')[0]}`);
      process.exitCode = 1;
    }
  }
} finally {
  stopPreview(server);
}

const base = results.find((r) => r.name === CASES[0]!.name);
const ratio = (x: number, b: number | undefined) => (b ? ` (${(x / b).toFixed(2)}×)` : '');
console.log(
  `base-shape random ALBERT (12 layers, hidden 768), headless Chromium; cold start: median of ${cold} launches; second visit: median of ${Math.max(cold, 2) - 1}; ${rounds} timed runs per length; ratios to the bare plain-WASM session`,
);
console.log(
  '| case | cold start ms | second visit ms | 32 tok ms | 128 tok ms | 512 tok ms | peak renderer MB @512 | long tasks (max ms) |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const cells = [
    r.name,
    `${r.coldMs.toFixed(0)}${ratio(r.coldMs, base?.coldMs)}`,
    `${r.revisitMs!.toFixed(0)}${ratio(r.revisitMs!, base?.revisitMs)}`,
    ...r.warm.map((ms, i) => `${ms.toFixed(0)}${ratio(ms, base?.warm[i])}`),
    `${r.peakMB.toFixed(0)}${ratio(r.peakMB, base?.peakMB)}`,
    `${r.longTasks.length}${r.longTasks.length ? ` (${Math.max(...r.longTasks).toFixed(0)})` : ''}`,
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
