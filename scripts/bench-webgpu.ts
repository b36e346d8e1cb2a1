/**
 * `npm run bench:webgpu` — the engine's WebGPU path outside a browser, on a real GPU: onnxruntime-web's WebGPU
 * build over Dawn for Node (the `webgpu` package), against the same engine on WASM, on the base-shape random model
 * (albert-base-v2's sizes) at 32/128/512 tokens. Cases:
 * - hidden states only (what `--file` and embed-like scripts need);
 * - with the attention maps, as a view run asks for them: left in GPU buffers (`attentions: 'device'`, what the
 *   playground does while no view shows them) and read back to the CPU (`attentions: true`);
 * - fp16 weights and activations, when the adapter has `shader-f16` (and the folder a `model_fp16.onnx`).
 * Median of `--rounds` timed runs after warm-up; each as a ratio to WASM's hidden-states-only time.
 *
 * Dawn needs a GPU (Vulkan on Linux). Where there is none it says so and exits 0: a benchmark, not a test.
 *
 *   npx tsx scripts/bench-webgpu.ts [--model <folder>] [--rounds 5] [--threads N]
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AlbertEngine, type RunOutputs } from '../src/engine/albert.ts';
import type { GpuLike, HostEnvironment } from '../src/engine/backend.ts';
import { messageOf } from '../src/engine/errors.ts';
import { fsSource } from '../src/engine/node/fsSource.ts';
import type { OrtModule } from '../src/engine/session.ts';
import { seeded, textOfTokens, vocabularyWords } from './lib/benchTexts.ts';
import { ensureBaseModel } from './lib/preview.ts';

const LENGTHS = [32, 128, 512];
const WARMUP = 2;
const root = fileURLToPath(new URL('..', import.meta.url));
const log = (m: string) => console.error(`bench-webgpu: ${m}`);

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    threads: { type: 'string' },
  },
});
const rounds = Math.max(1, Number(values.rounds) || 5);
const threads = Math.max(1, Number(values.threads) || Math.min(4, availableParallelism()));

/** Dawn for Node, with its WebGPU globals installed, or why there is no GPU to measure. */
async function dawnGpu(): Promise<{ gpu: GpuLike; adapterInfo: string } | { missing: string }> {
  let dawn: typeof import('webgpu');
  try {
    dawn = await import('webgpu');
  } catch (error) {
    return { missing: `Dawn for Node (the \`webgpu\` package) could not be loaded: ${messageOf(error)}` };
  }
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter)
    return { missing: 'Dawn found no GPU adapter on this machine (no GPU, or no Vulkan driver for it)' };
  // onnxruntime-web's WebGPU backend looks for navigator.gpu.
  const nav = ((globalThis as { navigator?: object }).navigator ??= {});
  Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  const info = adapter.info;
  return {
    gpu: gpu as unknown as GpuLike,
    adapterInfo: [info.vendor, info.architecture, info.description].filter(Boolean).join(' / ') || 'unknown',
  };
}

const found = await dawnGpu();
if ('missing' in found) {
  console.log(`bench:webgpu: ${found.missing}; nothing to measure here. Run it on a machine with a GPU.`);
  process.exit(0);
}

const modelDir = values.model ?? ensureBaseModel(root, log);
const words = vocabularyWords(modelDir);
const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[xs.length >> 1]!;

interface Case {
  name: string;
  engine: AlbertEngine;
  outputs: RunOutputs;
}

/** Median ms of one run per length, maps left on the device released after each run. */
async function time(c: Case, texts: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const text of texts) {
    const times: number[] = [];
    for (let r = 0; r < WARMUP + rounds; r++) {
      const t0 = performance.now();
      const run = await c.engine.run(text, undefined, c.outputs);
      const ms = performance.now() - t0;
      run.attentionsOnDevice?.release();
      if (r >= WARMUP) times.push(ms);
    }
    out.push(median(times));
    log(
      `${c.name}: ${out.length === 1 ? 32 : out.length === 2 ? 128 : 512} tokens ${out.at(-1)!.toFixed(1)} ms`,
    );
  }
  return out;
}

const host: HostEnvironment = { gpu: found.gpu, threads };
const source = await fsSource(modelDir);
const webgpuOrt = (await import('onnxruntime-web/webgpu')) as unknown as OrtModule;
const wasmOrt = (await import('onnxruntime-web')) as unknown as OrtModule;
const load = (ort: OrtModule, backend: 'wasm' | 'webgpu', dtype: 'fp32' | 'fp16') =>
  AlbertEngine.load({ source, ort, host, backend, dtype });

const wasm = await load(wasmOrt, 'wasm', 'fp32');
const random = seeded(20261203);
const texts = LENGTHS.map((n) => textOfTokens(wasm.tokenizer, words, n, random));
const gpu32 = await load(webgpuOrt, 'webgpu', 'fp32');
if (gpu32.backend.name !== 'webgpu') {
  console.log(
    `bench:webgpu: the engine did not start on WebGPU: ${gpu32.backend.fallbackReason ?? 'no reason given'}`,
  );
  process.exit(1);
}
const cases: Case[] = [
  { name: 'WASM fp32, hidden states', engine: wasm, outputs: { attentions: false } },
  { name: 'WASM fp32, with attention maps', engine: wasm, outputs: { attentions: true } },
  { name: 'WebGPU fp32, hidden states', engine: gpu32, outputs: { attentions: false } },
  { name: 'WebGPU fp32, maps left on the GPU', engine: gpu32, outputs: { attentions: 'device' } },
  { name: 'WebGPU fp32, maps read back', engine: gpu32, outputs: { attentions: true } },
];
const f16 = existsSync(join(modelDir, 'onnx/model_fp16.onnx')) && (await load(webgpuOrt, 'webgpu', 'fp16'));
if (f16 && f16.backend.name === 'webgpu')
  cases.push({ name: 'WebGPU fp16, hidden states', engine: f16, outputs: { attentions: false } });
else
  log(
    f16
      ? `fp16 not on WebGPU: ${f16.backend.fallbackReason}`
      : 'no model_fp16.onnx in the folder: no fp16 row',
  );

const results: { name: string; ms: number[] }[] = [];
for (const c of cases) results.push({ name: c.name, ms: await time(c, texts) });
const base = results[0]!.ms;
console.log(
  `${modelDir}; adapter: ${found.adapterInfo}; WASM on ${wasm.backend.threads ?? threads} threads; median of ${rounds} runs; ratio to WASM hidden states`,
);
console.log(`| case | ${LENGTHS.map((n) => `${n} tok ms`).join(' | ')} |`);
console.log(`|---|${LENGTHS.map(() => '---').join('|')}|`);
for (const r of results)
  console.log(
    `| ${r.name} | ${r.ms.map((ms, i) => `${ms.toFixed(1)} (${(ms / base[i]!).toFixed(2)}×)`).join(' | ')} |`,
  );
// Dawn keeps the process alive.
process.exit(0);
