/**
 * `npm run bench:batch` — what batching buys when embedding many lines. 500 seeded lines of ~20 tokens on the
 * base-shape random model (12 layers, hidden 768), pooled (mean) at the last layer, at batch sizes 1, 8 and 32:
 * in Node through the CLI's own `--file` pipeline, on onnxruntime-web's WASM and on onnxruntime-node (the CLI's
 * default), then in Chromium through the app's worker (`window.albertPlayground.embedLines`, see
 * bench-batch-browser.ts). Each side prints lines per second and the ratio to batch size 1 measured in the same
 * run, and the native-over-WASM ratio per batch size. A benchmark, not a test: exits 0.
 *
 *   npx tsx scripts/bench-batch.ts [--sizes 1,8,32] [--lines 500] [--rounds 1] [--threads N] [--node-only]
 *                                   [--reuse-build]
 *
 * One round of 500 lines at three sizes takes about 6 minutes per side on 2 cores (~5 lines/s). With --rounds N,
 * rounds alternate the order of the batch sizes (1, 8, 32, then 32, 8, 1), so that drift (thermal, GC, other
 * load) does not favour one size, and each size's figure is the median over rounds. A short warm-up comes first.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { embedLines, engineEmbedder, type Line, type LineSink } from '../src/cli/lines.ts';
import { AlbertEngine } from '../src/engine/albert.ts';
import { nodeRuntime, resolveModelSource } from '../src/engine/node/runtime.ts';
import { DEFAULT_POOLING } from '../src/engine/sentenceModel.ts';
import type { AlbertTokenizer } from '../src/engine/tokenizer.ts';
import { openBrowserBench } from './bench-batch-browser.ts';
import { seeded, textOfTokens, vocabularyWords } from './lib/benchTexts.ts';
import { ensureBaseModel } from './lib/preview.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const modelDir = join(root, '.cache/models/albert-base-random');
const TOKENS_PER_LINE = 20;
const SEED = 20240611;

const values = parseOptions();
const sizes = values.sizes.split(',').map(Number);
if (!sizes.every((n) => Number.isInteger(n) && n >= 1 && n <= 64)) fail('--sizes: integers in 1..64');
if (!sizes.includes(1)) fail('--sizes must include 1, the baseline');
const lineCount = positive('lines', values.lines)!;
const rounds = positive('rounds', values.rounds)!;
const threads = positive('threads', values.threads);

function parseOptions() {
  try {
    return parseArgs({
      options: {
        sizes: { type: 'string', default: '1,8,32' },
        lines: { type: 'string', default: '500' },
        rounds: { type: 'string', default: '1' },
        threads: { type: 'string' },
        'node-only': { type: 'boolean', default: false },
        'reuse-build': { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive integer`);
  return n;
}

function fail(message: string): never {
  console.error(`bench-batch: ${message}`);
  process.exit(2);
}

/**
 * `count` lines of whole vocabulary words, each ending once it reaches 18..22 tokens (specials included), so
 * that batches hold lines of slightly different lengths and pad, as real ones do.
 */
function makeLines(tokenizer: AlbertTokenizer, count: number): string[] {
  const words = vocabularyWords(modelDir);
  const random = seeded(SEED);
  return Array.from({ length: count }, () =>
    textOfTokens(tokenizer, words, TOKENS_PER_LINE - 2 + Math.floor(random() * 5), random),
  );
}

/** A sink that keeps each vector in `into` (rows of `width`), to check the numbers; a copy costs next to nothing. */
function keepIn(into: Float32Array, width: number): LineSink {
  return {
    write: async (line, _tokens, vector) => void into.set(vector, (line.line - 1) * width),
    close: async () => {},
    abort: () => {},
  };
}

async function* asLines(texts: string[]): AsyncGenerator<Line> {
  for (let i = 0; i < texts.length; i++) yield { line: i + 1, text: texts[i]! };
}

function median(xs: number[]): number {
  const s = xs.toSorted((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
};

interface Side {
  label: string;
  backend: string;
  /** Lines per second per batch size, one per round. */
  rates: Map<number, number[]>;
  /** Largest difference between any batch size's vectors and the reference (Node, batch 1). */
  maxDiff: number;
}

/** Times `run` (milliseconds for all lines at one batch size) in rounds of alternating order. */
async function measure(
  label: string,
  run: (batchSize: number) => Promise<{ ms: number; vectors: Float32Array }>,
  reference: Float32Array | undefined,
): Promise<Omit<Side, 'backend'> & { vectorsAt1: Float32Array }> {
  const rates = new Map(sizes.map((size) => [size, [] as number[]]));
  let maxDiff = 0;
  let vectorsAt1: Float32Array | undefined;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? sizes : sizes.toReversed();
    for (const size of order) {
      const { ms, vectors } = await run(size);
      const rate = lineCount / (ms / 1000);
      rates.get(size)!.push(rate);
      if (size === 1) vectorsAt1 ??= vectors;
      const against = reference ?? vectorsAt1;
      if (against) maxDiff = Math.max(maxDiff, maxAbsDiff(vectors, against));
      console.error(`  ${label} round ${round + 1}, batch ${size}: ${rate.toFixed(1)} lines/s`);
    }
  }
  return { label, rates, maxDiff, vectorsAt1: vectorsAt1! };
}

function printTable(side: Side) {
  const base = median(side.rates.get(1)!);
  console.log(
    `${side.label} (${side.backend}); max |Δ| of any vector vs Node WASM batch 1: ${side.maxDiff.toExponential(1)}`,
  );
  const header = ['batch', 'lines/s', 'vs batch 1', 'spread %'];
  console.log(header.join('  '));
  for (const size of sizes) {
    const xs = side.rates.get(size)!;
    const rate = median(xs);
    const spread = xs.length > 1 ? (Math.max(...xs) - Math.min(...xs)) / rate : 0;
    const cells = [String(size), rate.toFixed(1), (rate / base).toFixed(2), (spread * 100).toFixed(0)];
    console.log(cells.map((c, i) => c.padStart(header[i]!.length)).join('  '));
  }
}

const started = performance.now();
ensureBaseModel(root, (m) => console.error(`bench-batch: ${m}`));

/** The CLI's --file pipeline (engine.runBatch of the one layer, pooled) on one runtime, writing nowhere. */
async function nodeSide(backend: 'node' | 'wasm', reference: Float32Array | undefined) {
  const runtime = await nodeRuntime(backend, threads);
  const engine = await AlbertEngine.load({
    source: await resolveModelSource(modelDir),
    ort: runtime.ort,
    host: runtime.host,
    backend,
  });
  const embedder = engineEmbedder(engine, lastLayer, DEFAULT_POOLING);
  const options = { maxLength: engine.tokenizer.maxLength, warn: (m: string) => console.error(`  ${m}`) };
  // Warm-up: first runs allocate memory (the largest batch most) and wait for V8 to tier the module up.
  for (const batchSize of sizes)
    await embedLines(
      asLines(warmup(batchSize)),
      embedder,
      keepIn(new Float32Array(lineCount * width), width),
      {
        ...options,
        batchSize,
      },
    );
  const label =
    backend === 'node' ? 'Node, onnxruntime-node (the CLI default)' : 'Node, onnxruntime-web WASM';
  const side = await measure(
    label,
    async (batchSize) => {
      const vectors = new Float32Array(lineCount * width);
      const t0 = performance.now();
      await embedLines(asLines(texts), embedder, keepIn(vectors, width), { ...options, batchSize });
      return { ms: performance.now() - t0, vectors };
    },
    reference,
  );
  await engine.dispose();
  return { ...side, backend: `${engine.backend.threads ?? runtime.host.threads} threads` };
}

// The lines, from the model's own vocabulary.
const tokenizerEngine = await AlbertEngine.load({
  source: await resolveModelSource(modelDir),
  ...(await nodeRuntime('wasm', threads)),
  backend: 'wasm',
});
const texts = makeLines(tokenizerEngine.tokenizer, lineCount);
const tokenCounts = texts.map((t) => tokenizerEngine.tokenizer.encode(t).ids.length);
const width = tokenizerEngine.config.hidden_size;
const lastLayer = tokenizerEngine.config.num_hidden_layers;
await tokenizerEngine.dispose();
console.error(
  `bench-batch: ${lineCount} lines of ${Math.min(...tokenCounts)}..${Math.max(...tokenCounts)} tokens ` +
    `(mean ${(tokenCounts.reduce((a, b) => a + b, 0) / lineCount).toFixed(1)}), e.g. "${texts[0]}"`,
);
/** Warm-up lines per batch size: one batch, at least 8 lines. */
const warmup = (batchSize: number) => texts.slice(0, Math.max(8, batchSize));

const wasm = await nodeSide('wasm', undefined);
const node = await nodeSide('node', wasm.vectorsAt1);
const sides: Side[] = [wasm, node];

if (!values['node-only']) {
  try {
    const browser = await openBrowserBench({ root, modelDir, reuseBuild: values['reuse-build'] });
    try {
      // Warm-up, as in Node.
      for (const batchSize of sizes) await browser.embed(warmup(batchSize), batchSize, lastLayer);
      const chromium = await measure(
        'Chromium, the app’s worker',
        async (batchSize) => {
          const { ms, vectors } = await browser.embed(texts, batchSize, lastLayer);
          return { ms, vectors };
        },
        wasm.vectorsAt1,
      );
      sides.push({ ...chromium, backend: browser.backend });
    } finally {
      await browser.close();
    }
  } catch (error) {
    console.error(`bench-batch: the Chromium half failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

console.log(
  `Embedding ${lineCount} lines of ~${TOKENS_PER_LINE} tokens, base-shape random model, mean pooling at layer ` +
    `${lastLayer}; median of ${rounds} round(s)`,
);
for (const side of sides) printTable(side);
console.log('onnxruntime-node over onnxruntime-web WASM (the CLI default over --backend wasm), same run:');
console.log(
  sizes
    .map(
      (size) =>
        `batch ${size}: ${(median(node.rates.get(size)!) / median(wasm.rates.get(size)!)).toFixed(2)}x`,
    )
    .join(', '),
);
console.log(
  'vs batch 1: lines/s over batch size 1 in the same run; spread: (max - min) / median over rounds. ' +
    'The app’s worker keeps every layer’s pooled vector (13 outputs per batch); the CLI fetches only the one asked for.',
);
console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
