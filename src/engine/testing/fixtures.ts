/** Paths and helpers shared by the engine's tests: the bundled tiny model and every ONNX variant it ships. */
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TINY_MODEL = 'public/models/albert-tiny-random';

/** Every ONNX file of the tiny model, relative to its folder. */
export const TINY_ONNX_FILES = ['onnx', 'onnx/variants'].flatMap((dir) =>
  readdirSync(join(TINY_MODEL, dir))
    .filter((f) => f.endsWith('.onnx'))
    .map((f) => `${dir}/${f}`),
);

export const tinyConfig = () =>
  JSON.parse(readFileSync(join(TINY_MODEL, 'config.json'), 'utf8')) as Record<string, number>;

export function precisionOf(file: string): 'fp32' | 'fp16' | 'q8' {
  return /fp16/.test(file) ? 'fp16' : /quantized|q8/.test(file) ? 'q8' : 'fp32';
}

/** A writable copy of the tiny model folder, for tests that break a file. */
export function tinyModelCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'albert-tiny-'));
  cpSync(TINY_MODEL, dir, { recursive: true });
  return dir;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
