/** Files whose WebGPU kernels are wrong or refused are found by structure, and only those. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PARAPHRASE_MODEL, TINY_MODEL } from '../testing/fixtures.ts';
import { GraphIndex } from './graphIndex.ts';
import { decodeModel } from './proto.ts';
import { webgpuCaveat } from './webgpuCaveat.ts';

const caveatOf = (model: string, file: string) =>
  webgpuCaveat(new GraphIndex(decodeModel(new Uint8Array(readFileSync(join(model, file))), file).graph));

it('keeps 4-bit files with padded blocks, and fused attention with a mask, off WebGPU', () => {
  // The bundled model's embedding projection has K = 16 < 32.
  expect(caveatOf(TINY_MODEL, 'onnx/model_q4.onnx')).toBe(
    "its 4-bit MatMuls have K = 16, not a multiple of their block size 32, which onnxruntime-web 1.30's WebGPU MatMulNBits computes wrongly (measured), so it runs on WASM",
  );
  expect(caveatOf(PARAPHRASE_MODEL, 'onnx/model_O2.onnx')).toMatch(
    /^its fused Attention takes an attention mask/,
  );
  for (const [model, file] of [
    [TINY_MODEL, 'onnx/model.onnx'],
    [TINY_MODEL, 'onnx/model_bnb4.onnx'],
    [PARAPHRASE_MODEL, 'onnx/model_O1.onnx'],
  ] as const)
    expect(caveatOf(model, file), file).toBeUndefined();
});
