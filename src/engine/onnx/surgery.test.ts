/**
 * Graph surgery finds ALBERT's internals by structure on every export variant, never by name, leaves the
 * model's own computation untouched, and fails with a message that says what is missing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.ts';
import { maxAbsDiff, precisionOf, TINY_MODEL, TINY_ONNX_FILES } from '../testing/fixtures.ts';
import { decodeModel, encodeModel } from './proto.ts';
import { prepareAlbertGraph } from './surgery.ts';

ort.env.wasm.numThreads = 1;
const LAYERS = 3;
const read = (file: string) => new Uint8Array(readFileSync(join(TINY_MODEL, file)));

const IDS = [2, 206, 5, 234, 235, 207, 3, 205, 199, 3];
const TYPES = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1];

const int64 = (v: number[]) => new ort.Tensor('int64', BigInt64Array.from(v, BigInt), [1, v.length]);

async function runGraph(bytes: Uint8Array, fetches?: string[]) {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run(
    { input_ids: int64(IDS), attention_mask: int64(IDS.map(() => 1)), token_type_ids: int64(TYPES) },
    fetches ?? session.outputNames,
  );
  await session.release();
  return out;
}

/** Renames every node and every tensor except the graph's inputs and outputs to opaque names. */
function scrambleNames(bytes: Uint8Array): Uint8Array {
  const { model, graph } = decodeModel(bytes, 'x');
  const keep = new Set([...graph.input.map((i) => i.name), ...graph.output.map((o) => o.name)]);
  const names = new Map<string, string>();
  const rename = (n: string) => {
    if (!n || keep.has(n)) return n;
    if (!names.has(n)) names.set(n, `t${(names.size * 7919) % 100003}`);
    return names.get(n)!;
  };
  for (const t of graph.initializer) t.name = rename(t.name!);
  graph.node.forEach((node, i) => {
    node.name = `n${i}`;
    node.input = (node.input ?? []).map(rename);
    node.output = (node.output ?? []).map(rename);
  });
  return encodeModel(model);
}

describe.each(TINY_ONNX_FILES)('surgery on %s', (file) => {
  it('exposes the embeddings, L+1 hidden states, L attention maps and L score maps as float32 outputs', async () => {
    const prepared = prepareAlbertGraph(read(file), LAYERS, file);
    expect(prepared.outputs.hiddenStates).toHaveLength(LAYERS + 1);
    expect(prepared.outputs.attentions).toHaveLength(LAYERS);
    expect(prepared.outputs.attentionScores).toHaveLength(LAYERS);
    expect(new Set(Object.values(prepared.outputs).flat()).size).toBe(
      3 * LAYERS + 2 + (prepared.outputs.logits ? 1 : 0),
    );
    const out = await runGraph(prepared.bytes);
    for (const name of [...prepared.outputs.hiddenStates, ...prepared.outputs.attentions])
      expect(out[name]!.type).toBe('float32');
    expect(out[prepared.outputs.attentions[0]!]!.dims).toEqual([1, 4, IDS.length, IDS.length]);
    expect(out[prepared.outputs.hiddenStates[0]!]!.dims).toEqual([1, IDS.length, 32]);
  });

  it("leaves the model's own output unchanged", async () => {
    // fp16: exposing a half tensor stops onnxruntime from dropping a half round-trip it inserted around
    // kernels it runs in float32, so a value may round one float16 step differently (2^-8 for 2 ≤ |x| < 4).
    const tolerance = precisionOf(file) === 'fp16' ? 1e-2 : 1e-5;
    const original = read(file);
    const prepared = prepareAlbertGraph(original, LAYERS, file);
    const name = prepared.originalOutputs[0]!;
    const before = await runGraph(original);
    const after = await runGraph(prepared.bytes, [name]);
    expect(maxAbsDiff(after[name]!.data as Float32Array, before[name]!.data as Float32Array)).toBeLessThan(
      tolerance,
    );
  });

  it('finds the same tensors when every node and tensor has an opaque name', async () => {
    const plain = prepareAlbertGraph(read(file), LAYERS, file);
    const scrambled = prepareAlbertGraph(scrambleNames(read(file)), LAYERS, file);
    const a = await runGraph(plain.bytes);
    const b = await runGraph(scrambled.bytes);
    expect(
      maxAbsDiff(
        b[scrambled.outputs.embeddings]!.data as Float32Array,
        a[plain.outputs.embeddings]!.data as Float32Array,
      ),
    ).toBe(0);
    expect(a[plain.outputs.embeddings]!.dims).toEqual([1, IDS.length, 16]);
    for (const role of ['hiddenStates', 'attentions', 'attentionScores'] as const) {
      plain.outputs[role].forEach((name, i) => {
        const other = scrambled.outputs[role][i]!;
        expect(
          maxAbsDiff(b[other]!.data as Float32Array, a[name]!.data as Float32Array),
          `${role} ${i}`,
        ).toBe(0);
      });
    }
  });
});

describe('the lean graph', () => {
  it('has no scores and no masked-LM head, and gives the same hidden states and attention', async () => {
    const bytes = read('onnx/model.onnx');
    const full = prepareAlbertGraph(bytes, LAYERS, 'onnx/model.onnx');
    const lean = prepareAlbertGraph(bytes, LAYERS, 'onnx/model.onnx', { lean: true });
    const leanGraph = decodeModel(lean.bytes, 'lean').graph;
    expect(leanGraph.output.map((o) => o.name).toSorted()).toEqual(
      [lean.outputs.embeddings, ...lean.outputs.hiddenStates, ...lean.outputs.attentions].toSorted(),
    );
    // The head's dense layer, LayerNorm and decoder are gone, and with them the decoder's weight copy.
    expect(leanGraph.node.length).toBeLessThan(decodeModel(full.bytes, 'full').graph.node.length - 10);
    expect(leanGraph.initializer.some((t) => t.name === 'predictions.bias')).toBe(false);
    expect(lean.bytes.length).toBeLessThan(full.bytes.length);
    const [a, b] = [await runGraph(full.bytes), await runGraph(lean.bytes)];
    for (const [i, name] of lean.outputs.hiddenStates.entries())
      expect(
        maxAbsDiff(b[name]!.data as Float32Array, a[full.outputs.hiddenStates[i]!]!.data as Float32Array),
      ).toBe(0);
    for (const [i, name] of lean.outputs.attentions.entries())
      expect(
        maxAbsDiff(b[name]!.data as Float32Array, a[full.outputs.attentions[i]!]!.data as Float32Array),
      ).toBe(0);
  });
});

const expectError = (fn: () => unknown, code: string, message: RegExp) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe(code);
    expect((error as EngineError).message).toMatch(message);
    return;
  }
  throw new Error('expected an EngineError');
};

describe('surgery errors', () => {
  it('says how many Softmax nodes it found when the config disagrees', () => {
    expectError(
      () => prepareAlbertGraph(read('onnx/model.onnx'), 12, 'onnx/model.onnx'),
      'unsupported-graph',
      /expected 12 attention Softmax nodes.*has 3/,
    );
  });

  it('names the file when it is truncated or not ONNX at all', () => {
    const bytes = read('onnx/model.onnx');
    expectError(
      () => prepareAlbertGraph(bytes.subarray(0, bytes.length >> 1), LAYERS, 'onnx/model.onnx'),
      'invalid-file',
      /onnx\/model\.onnx is not a valid ONNX model/,
    );
    expectError(
      () => prepareAlbertGraph(new TextEncoder().encode('{"not": "onnx"}'), LAYERS, 'onnx/model.onnx'),
      'invalid-file',
      /onnx\/model\.onnx/,
    );
    expectError(
      () => prepareAlbertGraph(new Uint8Array(), LAYERS, 'onnx/model.onnx'),
      'invalid-file',
      /is empty/,
    );
  });

  it('says which internal it cannot find in a graph that is not an encoder', () => {
    // Replace every Softmax's input with a constant: the layer inputs can no longer be traced.
    const { model, graph } = decodeModel(read('onnx/variants/feature-extraction-opset14-fp32.onnx'), 'x');
    for (const node of graph.node)
      if (node.opType === 'Softmax')
        node.input = ['/encoder/albert_layer_groups.0/albert_layers.0/attention/Constant_output_0'];
    expectError(
      () => prepareAlbertGraph(encodeModel(model), LAYERS, 'onnx/model.onnx'),
      'unsupported-graph',
      /could not find the input of layer 0/,
    );
  });

  it('requires the token inputs', () => {
    const { model, graph } = decodeModel(read('onnx/model.onnx'), 'x');
    graph.input = graph.input.filter((i) => i.name !== 'attention_mask');
    expectError(
      () => prepareAlbertGraph(encodeModel(model), LAYERS, 'onnx/model.onnx'),
      'unsupported-graph',
      /no "attention_mask" input/,
    );
  });
});
