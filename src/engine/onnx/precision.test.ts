/**
 * A file's precision is read from its graph, not its name: every fixture shape is named for what it computes,
 * and a renamed file is described the same.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_ONNX_FILES, PARAPHRASE_MODEL, precisionOf, TINY_MODEL } from '../testing/fixtures.ts';
import { GraphIndex } from './graphIndex.ts';
import { describePrecision } from './precision.ts';
import { decodeModel, toNumber } from './proto.ts';

function precisionOfFile(model: string, file: string) {
  const { graph } = decodeModel(new Uint8Array(readFileSync(join(model, file))), file);
  const dims = new Map(graph.initializer.map((t) => [t.name ?? '', (t.dims ?? []).map(toNumber)]));
  return describePrecision(new GraphIndex(graph), (name) => dims.get(name));
}

/** What the file's name says it is (the fixture generator's naming), as a dtype kind. */
const EXPECTED = {
  fp32: 'fp32',
  fp16: 'fp16',
  q8: 'q8',
  int8: 'int8',
  uint8: 'uint8',
  q4: 'q4',
  q4f16: 'q4f16',
  bnb4: 'bnb4',
  fused: 'fp32',
  'fused-fp16': 'fp16',
} as const;

describe('describePrecision', () => {
  it.each(FIXTURE_ONNX_FILES)('$model $file', ({ model, file }) => {
    expect(precisionOfFile(model, file).kind).toBe(EXPECTED[precisionOf(file)]);
  });

  it('counts quantized MatMuls: the 2023 q8 export is mixed, the 2025 int8 one is not', () => {
    const mixed = precisionOfFile(TINY_MODEL, 'onnx/model_quantized.onnx');
    expect([mixed.quantizedMatMuls, mixed.weightMatMuls]).toEqual([9, 21]);
    expect(mixed.summary).toBe(
      'int8 weights per channel, activations quantized at run time, in 9 of 21 weight MatMuls; the rest float32',
    );
    const int8 = precisionOfFile(TINY_MODEL, 'onnx/model_int8.onnx');
    expect(int8.quantizedMatMuls).toBe(int8.weightMatMuls);
    expect(precisionOfFile(TINY_MODEL, 'onnx/model_q4f16.onnx').summary).toBe(
      '4-bit weights (blocks of 32) in 21 of 21 weight MatMuls, float16 activations',
    );
    expect(precisionOfFile(PARAPHRASE_MODEL, 'onnx/model_quint8_avx2.onnx').summary).toMatch(
      /^uint8 weights per channel/,
    );
  });
});
