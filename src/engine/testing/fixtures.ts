/**
 * Paths and helpers shared by the tests: the two bundled random models (albert-tiny-random, imitating
 * Xenova/albert-base-v2's files; paraphrase-albert-tiny-random, imitating sentence-transformers'
 * paraphrase-albert-small-v2) and every ONNX file they ship.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The bundled fill-mask model (Xenova/albert-base-v2's files), 3 layers. */
export const TINY_MODEL = 'public/models/albert-tiny-random';
/** The bundled sentence-transformers model (paraphrase-albert-small-v2's files), 2 layers. */
export const PARAPHRASE_MODEL = 'public/models/paraphrase-albert-tiny-random';

/** Every ONNX file under a model folder's `onnx/` and `onnx/variants/`, relative to the folder. */
function onnxFilesOf(model: string): string[] {
  return ['onnx', 'onnx/variants']
    .filter((dir) => existsSync(join(model, dir)))
    .flatMap((dir) =>
      readdirSync(join(model, dir))
        .filter((f) => f.endsWith('.onnx'))
        .map((f) => `${dir}/${f}`),
    );
}

/** Every ONNX file of the tiny model, relative to its folder. */
export const TINY_ONNX_FILES = onnxFilesOf(TINY_MODEL);

/** Every ONNX file of both bundled models, with the folder it belongs to (read its config from there). */
export const FIXTURE_ONNX_FILES: { model: string; file: string }[] = [TINY_MODEL, PARAPHRASE_MODEL].flatMap(
  (model) => onnxFilesOf(model).map((file) => ({ model, file })),
);

/** A model folder's config.json. */
export const modelConfig = (model: string) =>
  JSON.parse(readFileSync(join(model, 'config.json'), 'utf8')) as Record<string, number>;

/** The tiny model's config.json. */
export const tinyConfig = () => modelConfig(TINY_MODEL);

/**
 * What numbers a file computes with, named after the hub's dtypes, for picking tolerances:
 * - fp32: float32 throughout (model.onnx, onnxslim'd or O1 files);
 * - fp16: float16 inside, float32 I/O (model_fp16, *-fp16 variants);
 * - q8: dynamic int8/uint8 quantization per output column, only of MatMuls reading a stored weight, so a mixed
 *   graph (model_quantized, *-q8 variants, sentence-transformers' model_qint8_* and model_quint8_avx2);
 * - int8 / uint8: dynamic quantization per tensor of every weight MatMul (after onnxslim);
 * - q4 / q4f16: MatMulNBits 4-bit blocks, with float32 or float16 activations;
 * - bnb4: MatMulBnb4 NF4 blocks;
 * - fused / fused-fp16: onnxruntime's transformer fusion (model_O2, model_O3 / model_O4): no Softmax inside.
 */
export type FixturePrecision =
  'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4' | 'fused' | 'fused-fp16';

/** The kind of a fixture (or hub) ONNX file, from its name. */
export function precisionOf(file: string): FixturePrecision {
  const name = file.split('/').at(-1)!;
  if (/_O4\b/.test(name)) return 'fused-fp16';
  if (/_O[23]\b/.test(name)) return 'fused';
  if (/q4f16/.test(name)) return 'q4f16';
  if (/q4/.test(name)) return 'q4';
  if (/bnb4/.test(name)) return 'bnb4';
  if (/model_int8/.test(name)) return 'int8';
  if (/model_uint8/.test(name)) return 'uint8';
  if (/fp16/.test(name)) return 'fp16';
  if (/quantized|q8|qint8|quint8/.test(name)) return 'q8';
  return 'fp32';
}

/** True for the kinds whose MatMul inputs are quantized at run time (DynamicQuantizeLinear). */
export const isDynamicallyQuantized = (p: FixturePrecision) => p === 'q8' || p === 'int8' || p === 'uint8';

/** A writable copy of the tiny model folder, for tests that break a file. */
export function tinyModelCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'albert-tiny-'));
  cpSync(TINY_MODEL, dir, { recursive: true });
  return dir;
}

/** The largest |a[i] - b[i]|; arrays of different lengths are an error. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
