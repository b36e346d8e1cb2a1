/**
 * How far each dtype file of the bundled test model is from its fp32 file, on the same texts: hidden states
 * (mean and largest |Δ| over every layer and token), attention probabilities (largest |Δ|) and the lowest cosine
 * of a last-layer token vector. `npm run measure:fidelity` prints it for src/engine/fidelity.ts to record;
 * fidelity.test.ts measures again and holds the record to it.
 */
import { AlbertEngine, type AlbertRun } from '../albert.ts';
import { DTYPES, type Dtype } from '../dtypes.ts';
import type { Fidelity } from '../fidelity.ts';
import { fsSource } from '../node/fsSource.ts';
import { nodeRuntime } from '../node/runtime.ts';
import { cosine } from '../pooling.ts';

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
