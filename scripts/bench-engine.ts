/**
 * `npm run bench:engine` — what seeing inside ALBERT costs. On the base-shape random model (12 layers, hidden
 * 768), batch 1, it times the engine returning every hidden state, attention map and attention score (surgery
 * graph, tokenization included) against a raw `session.run` of the unmodified file on the same ids, in the same
 * process and on the same threads, and prints the ratio (target ≤ 1.10). Runs are interleaved, alternating which
 * goes first, so that drift (thermal, GC, other load) hits both sides alike. A benchmark, not a test: exits 0.
 *
 *   npx tsx scripts/bench-engine.ts [--backend wasm|node|all] [--lengths 32,128,512] [--iterations N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AlbertEngine, type AlbertRun } from '../src/engine/albert.ts';
import { nodeRuntime, resolveModelSource } from '../src/engine/node/runtime.ts';
import type { OrtModule } from '../src/engine/session.ts';
import type { AlbertTokenizer } from '../src/engine/tokenizer.ts';

const TARGET = 1.1;
const root = fileURLToPath(new URL('..', import.meta.url));
const modelDir = join(root, '.cache/models/albert-base-random');
const modelFile = join(modelDir, 'onnx/model.onnx');

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    lengths: { type: 'string', default: '32,128,512' },
    iterations: { type: 'string' },
  },
});
type Backend = 'wasm' | 'node';
const isBackend = (b: string): b is Backend => b === 'wasm' || b === 'node';
const backendArg = values.backend;
if (backendArg !== 'all' && !isBackend(backendArg)) fail('--backend must be wasm, node or all');
const backends: Backend[] = backendArg === 'all' ? ['wasm', 'node'] : [backendArg];
const lengths = values.lengths.split(',').map(Number);
const iterationsArg = values.iterations === undefined ? undefined : Number(values.iterations);
if (!lengths.every((n) => Number.isInteger(n) && n >= 3 && n <= 512)) fail('--lengths: integers in 3..512');
if (iterationsArg !== undefined && !(Number.isInteger(iterationsArg) && iterationsArg > 0))
  fail('--iterations must be a positive integer');

function fail(message: string): never {
  console.error(`bench-engine: ${message}`);
  process.exit(2);
}

/** A text of exactly `n` tokens, specials included: whole words up to n, then one-token fillers. */
function textOfLength(tokenizer: AlbertTokenizer, n: number): string {
  const words = (
    'ALBERT shares one transformer layer across the whole stack and factorizes its embeddings, so a model ' +
    'with the depth of BERT-base holds a tenth of the parameters; what each layer does to every token is ' +
    'still there to look at, in its hidden states and in the attention maps of each of its heads.'
  ).split(' ');
  const count = (t: string) => tokenizer.encode(t).ids.length;
  let text = '';
  for (let i = 0; ; i++) {
    const next = `${text} ${words[i % words.length]!}`.trim();
    if (count(next) > n) break;
    text = next;
  }
  while (count(text) < n) text += ' the';
  if (count(text) !== n) fail(`could not build a text of exactly ${n} tokens`);
  return text;
}

function median(xs: number[]): number {
  const s = xs.toSorted((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const outputBytes = (run: AlbertRun) =>
  [...run.hiddenStates, ...run.attentions, ...run.attentionScores].reduce(
    (sum, t) => sum + t.data.byteLength,
    0,
  );

interface Row {
  backend: string;
  threads: number;
  tokens: number;
  engineMs: number;
  rawMs: number;
  outMb: number;
  rssMb: number;
}

async function benchBackend(backend: Backend): Promise<Row[]> {
  const { ort, host } = await nodeRuntime(backend);
  const engine = await AlbertEngine.load({ source: await resolveModelSource(modelDir), ort, host, backend });
  // The raw session opens after the engine's, so onnxruntime-web's WASM has already started on host.threads.
  const raw = await ort.InferenceSession.create(readFileSync(modelFile), {
    executionProviders: [backend === 'node' ? 'cpu' : 'wasm'],
    graphOptimizationLevel: 'all',
    ...(backend === 'node' ? { intraOpNumThreads: host.threads } : {}),
  });
  const threads = engine.backend.threads ?? host.threads;
  const rows: Row[] = [];
  for (const n of lengths) {
    const text = textOfLength(engine.tokenizer, n);
    const feeds = rawFeeds(ort, engine.tokenizer, text, raw.inputNames);
    let lastRun: AlbertRun | undefined;
    const timeEngine = async () => {
      const t0 = performance.now();
      lastRun = await engine.run(text);
      return performance.now() - t0;
    };
    const timeRaw = async () => {
      const t0 = performance.now();
      await raw.run(feeds);
      return performance.now() - t0;
    };
    for (let i = 0; i < 2; i++) {
      await timeEngine();
      await timeRaw();
    }
    const iterations = iterationsArg ?? (n > 256 ? 5 : 7);
    const engineMs: number[] = [];
    const rawMs: number[] = [];
    for (let i = 0; i < iterations; i++) {
      if (i % 2 === 0) {
        engineMs.push(await timeEngine());
        rawMs.push(await timeRaw());
      } else {
        rawMs.push(await timeRaw());
        engineMs.push(await timeEngine());
      }
    }
    const row: Row = {
      backend: backend === 'node' ? 'onnxruntime-node' : 'wasm',
      threads,
      tokens: n,
      engineMs: median(engineMs),
      rawMs: median(rawMs),
      outMb: lastRun ? outputBytes(lastRun) / 2 ** 20 : 0,
      rssMb: process.memoryUsage.rss() / 2 ** 20,
    };
    lastRun = undefined;
    console.error(
      `  ${row.backend} ${n} tokens: engine [${engineMs.map(fmt).join(' ')}] raw [${rawMs.map(fmt).join(' ')}]`,
    );
    rows.push(row);
  }
  await engine.dispose();
  await raw.release();
  return rows;
}

function rawFeeds(ort: OrtModule, tokenizer: AlbertTokenizer, text: string, inputNames: readonly string[]) {
  const { ids, tokenTypeIds } = tokenizer.encode(text);
  const int64 = (xs: number[]) => new ort.Tensor('int64', BigInt64Array.from(xs, BigInt), [1, xs.length]);
  const feeds: Record<string, InstanceType<OrtModule['Tensor']>> = {
    input_ids: int64(ids),
    attention_mask: int64(ids.map(() => 1)),
  };
  if (inputNames.includes('token_type_ids')) feeds.token_type_ids = int64(tokenTypeIds);
  return feeds;
}

const fmt = (ms: number) => ms.toFixed(ms < 100 ? 1 : 0);

const started = performance.now();
if (!existsSync(modelFile)) {
  console.error(
    `bench-engine: ${modelDir} is missing; generating it (npx tsx scripts/fixtures.ts --shape base)`,
  );
  const child = spawnSync('npx', ['tsx', 'scripts/fixtures.ts', '--shape', 'base'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (child.status !== 0)
    fail(`generating the base-shape model failed (exit ${child.status ?? child.signal})`);
}
const rows: Row[] = [];
for (const backend of backends) rows.push(...(await benchBackend(backend)));

const header = ['backend', 'threads', 'tokens', 'engine ms', 'raw ms', 'ratio', 'outputs MB', 'rss MB'];
const cells = rows.map((r) => [
  r.backend,
  String(r.threads),
  String(r.tokens),
  fmt(r.engineMs),
  fmt(r.rawMs),
  (r.engineMs / r.rawMs).toFixed(2),
  r.outMb.toFixed(1),
  r.rssMb.toFixed(0),
]);
const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
const line = (c: string[]) =>
  c.map((s, i) => (i < 1 ? s.padEnd(widths[i]!) : s.padStart(widths[i]!))).join('  ');
console.log(
  `ALBERT engine vs raw session.run, base shape, batch 1 (medians; outputs: what the engine returns)`,
);
console.log(line(header));
for (const c of cells) console.log(line(c));
const worst = rows.reduce((w, r) => Math.max(w, r.engineMs / r.rawMs), 0);
console.log(
  `${worst <= TARGET ? 'PASS' : 'OVER TARGET'}: every ratio ≤ ${TARGET.toFixed(2)}? ${worst <= TARGET ? 'yes' : 'no'} ` +
    `(worst ${worst.toFixed(2)}); total ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
