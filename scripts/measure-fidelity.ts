/**
 * `npm run measure:fidelity`: how far each dtype file of the bundled test model is from its fp32 file, on the
 * same texts: hidden states (mean and largest |Δ| over every layer and token), attention probabilities (largest
 * |Δ|) and the lowest cosine of a last-layer token vector. Prints the table that src/engine/fidelity.ts records;
 * fidelity.test.ts runs `measureFidelity` again and holds the record to it.
 */
import { pathToFileURL } from 'node:url';
import { AlbertEngine, type AlbertRun } from '../src/engine/albert.ts';
import { DTYPES, type Dtype } from '../src/engine/dtypes.ts';
import type { Fidelity } from '../src/engine/fidelity.ts';
import { fsSource } from '../src/engine/node/fsSource.ts';
import { nodeRuntime } from '../src/engine/node/runtime.ts';
import { cosine } from '../src/engine/pooling.ts';

export const FIDELITY_MODEL = 'public/models/albert-tiny-random';

/** Everyday sentences, a pair and a long-ish one: what people paste. */
export const FIDELITY_TEXTS: [string, string?][] = [
  ['The quick brown fox jumps over the lazy dog.'],
  ['hello world', 'How are you doing?'],
  ['Paris is the capital of France, and Berlin is the capital of Germany.'],
  ['A man is playing a guitar.', 'Someone is playing an instrument.'],
  ['I loved this film: the acting was superb and the story kept me guessing until the very end.'],
  ['the cat sat on the mat'],
];

async function runAll(dtype: Dtype): Promise<AlbertRun[]> {
  const engine = await AlbertEngine.load({
    source: await fsSource(FIDELITY_MODEL),
    ...(await nodeRuntime('wasm', 1)),
    backend: 'wasm',
    dtype,
  });
  const runs: AlbertRun[] = [];
  for (const [text, pair] of FIDELITY_TEXTS) runs.push(await engine.run(text, pair));
  await engine.dispose();
  return runs;
}

/** Every dtype but fp32, measured against fp32. */
export async function measureFidelity(): Promise<Record<Exclude<Dtype, 'fp32'>, Fidelity>> {
  const reference = await runAll('fp32');
  const out = {} as Record<Exclude<Dtype, 'fp32'>, Fidelity>;
  for (const dtype of DTYPES) {
    if (dtype === 'fp32') continue;
    const runs = await runAll(dtype);
    let sum = 0;
    let count = 0;
    let hiddenMax = 0;
    let attentionMax = 0;
    let cosineMin = 1;
    runs.forEach((run, r) => {
      const ref = reference[r]!;
      run.hiddenStates.forEach((h, l) => {
        const want = ref.hiddenStates[l]!.data;
        h.data.forEach((v, i) => {
          const d = Math.abs(v - want[i]!);
          sum += d;
          count++;
          hiddenMax = Math.max(hiddenMax, d);
        });
      });
      run.attentions.forEach((a, l) => {
        const want = ref.attentions[l]!.data;
        a.data.forEach((v, i) => (attentionMax = Math.max(attentionMax, Math.abs(v - want[i]!))));
      });
      const last = run.hiddenStates.at(-1)!;
      const refLast = ref.hiddenStates.at(-1)!;
      const width = last.dims[1]!;
      for (let t = 0; t < last.dims[0]!; t++) {
        const row = (x: Float32Array) => x.subarray(t * width, (t + 1) * width);
        cosineMin = Math.min(cosineMin, cosine(row(last.data), row(refLast.data)));
      }
    });
    out[dtype] = {
      hiddenMeanAbs: sum / count,
      hiddenMaxAbs: hiddenMax,
      attentionMaxAbs: attentionMax,
      tokenCosineMin: cosineMin,
    };
  }
  return out;
}

const fmt = (x: number) => Number(x.toPrecision(3));

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const table = await measureFidelity();
  console.log('dtype  hidden mean|Δ|  hidden max|Δ|  attention max|Δ|  token cosine min');
  for (const [dtype, f] of Object.entries(table))
    console.log(
      `${dtype.padEnd(6)} ${String(fmt(f.hiddenMeanAbs)).padEnd(15)} ${String(fmt(f.hiddenMaxAbs)).padEnd(14)} ${String(fmt(f.attentionMaxAbs)).padEnd(17)} ${fmt(f.tokenCosineMin)}`,
    );
  console.log('\nfor src/engine/fidelity.ts:');
  console.log(
    JSON.stringify(
      Object.fromEntries(
        Object.entries(table).map(([d, f]) => [
          d,
          Object.fromEntries(Object.entries(f).map(([k, v]) => [k, fmt(v as number)])),
        ]),
      ),
      null,
      2,
    ),
  );
}
