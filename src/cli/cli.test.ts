/**
 * albert-embed end to end, as a user runs it: a child process, JSON on stdout, one-line errors on stderr.
 * Its numbers must be the engine's.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AlbertRun } from '../engine/albert.ts';
import { DTYPE_FACTS, DTYPES } from '../engine/dtypes.ts';
import { FIDELITY } from '../engine/fidelity.ts';
import { PARAPHRASE_MODEL, TINY_MODEL, tinyModelCopy } from '../engine/testing/fixtures.ts';
import { parseNpy } from '../engine/testing/npyParser.ts';
import { cli, expectOneLineError, tiny } from './testing/runCli.ts';
import { tinyEngine } from '../engine/testing/tinyEngine.ts';

/** Every layer and attention map of a pair. */
const EVERYTHING = [
  ...tiny,
  '--text',
  'hello world',
  '--pair',
  'the cat sat',
  '--layers',
  'all',
  '--attentions',
];
const maxDiff = (a: number[], b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

let expected: AlbertRun;
beforeAll(async () => {
  const engine = await tinyEngine();
  expected = await engine.run('hello world', 'the cat sat');
  await engine.dispose();
});

describe('albert-embed', () => {
  it.concurrent('prints every layer and attention map as JSON equal to the engine', async () => {
    const r = await cli(EVERYTHING);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const keys = Object.keys(out);
    const documented =
      'model modelFile dtype precision backend tokens ids tokenTypeIds offsets special truncated';
    expect(keys.toSorted()).toEqual(
      `${documented} droppedTokens layers hiddenStates attentionLayers attentions`.split(' ').toSorted(),
    );
    // The tensors stream last: a script reading the head of a 100 MB output has every other field by then.
    const firstTensor = Math.min(keys.indexOf('hiddenStates'), keys.indexOf('attentions'));
    expect(keys.slice(firstTensor).toSorted()).toEqual(['attentionLayers', 'attentions', 'hiddenStates']);
    expect(out.tokens).toEqual(['[CLS]', '▁hello', '▁world', '[SEP]', '▁the', '▁cat', '▁sat', '[SEP]']);
    expect(out.tokenTypeIds).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(out.offsets).toEqual([null, [0, 5], [5, 11], null, [0, 3], [3, 7], [7, 11], null]);
    expect(out.backend).toEqual({ name: 'wasm', requested: 'wasm', threads: 1 });
    // auto on WASM: fp32, the model's own numbers, and nothing to warn about.
    expect(out.dtype).toBe('fp32');
    expect(out.precision).toEqual({ kind: 'fp32', summary: 'float32 weights and activations' });
    expect(out.layers).toEqual([0, 1, 2, 3]);
    expect(out.attentionLayers).toEqual([1, 2, 3]);
    // [layer][token][hidden] and [layer][head][query][key]
    expect([out.hiddenStates.length, out.hiddenStates[0].length, out.hiddenStates[0][0].length]).toEqual([
      4, 8, 32,
    ]);
    expect([
      out.attentions.length,
      out.attentions[0].length,
      out.attentions[0][0].length,
      out.attentions[0][0][0].length,
    ]).toEqual([3, 4, 8, 8]);
    // 9 significant digits: float32 round-trips, so the difference is below float32's resolution.
    for (let l = 0; l < 4; l++)
      expect(maxDiff(out.hiddenStates[l].flat(), expected.hiddenStates[l]!.data)).toBeLessThan(1e-6);
    for (let l = 0; l < 3; l++)
      expect(maxDiff(out.attentions[l].flat(2), expected.attentions[l]!.data)).toBeLessThan(1e-7);
    expect(r.stderr).toBe('');
  });

  it.concurrent('defaults to the last layer and reads stdin; negative and zero indices work', async () => {
    const [last, first, fromEnd] = await Promise.all([
      cli(tiny, { input: 'hello world' }),
      cli([...tiny, '--layers', '0', '--text', 'hello world']),
      cli([...tiny, '--layers', '-4', '--text', 'hello world']),
    ]);
    const single = await cli([...tiny, '--text', 'hello world']);
    expect(JSON.parse(last.stdout).layers).toEqual([3]);
    expect(JSON.parse(last.stdout).hiddenStates).toEqual(JSON.parse(single.stdout).hiddenStates);
    expect(JSON.parse(first.stdout).layers).toEqual([0]);
    expect(JSON.parse(fromEnd.stdout).hiddenStates).toEqual(JSON.parse(first.stdout).hiddenStates);
    expect(JSON.parse(last.stdout)).not.toHaveProperty('attentions');
  });

  it.concurrent('--out writes the file and keeps stdout empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'albert-cli-'));
    const file = join(dir, 'out.json');
    const r = await cli([...tiny, '--text', 'hello', '--out', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`albert-embed: wrote ${file}\n`);
    expect(JSON.parse(readFileSync(file, 'utf8')).tokens).toEqual(['[CLS]', '▁hello', '[SEP]']);
    rmSync(dir, { recursive: true });
  });

  it.concurrent('runs onnxruntime-node by default, with the numbers of the WASM engine', async () => {
    const r = await cli([
      '--model',
      TINY_MODEL,
      '--threads',
      '1',
      '--text',
      'hello world',
      '--pair',
      'the cat sat',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.backend).toEqual({ name: 'node', requested: 'auto', threads: 1 });
    // Native and WASM kernels sum in other orders: float32 rounding apart.
    expect(maxDiff(out.hiddenStates[0].flat(), expected.hiddenStates[3]!.data)).toBeLessThan(1e-5);
    expect(r.stderr).toBe('');
  });

  it.concurrent('--backend node (onnxruntime-node) and --dtype pick what they say', async () => {
    const [node, q8] = await Promise.all([
      cli([...tiny, '--text', 'hello world', '--pair', 'the cat sat', '--backend', 'node']),
      cli([...tiny, '--text', 'hello world', '--dtype', 'q8']),
    ]);
    const out = JSON.parse(node.stdout);
    expect(out.backend.name).toBe('node');
    expect(maxDiff(out.hiddenStates[0].flat(), expected.hiddenStates[3]!.data)).toBeLessThan(1e-5);
    expect(JSON.parse(q8.stdout).modelFile).toBe('onnx/model_quantized.onnx');
  });

  it.concurrent('says when the input was truncated', async () => {
    const r = await cli([...tiny, '--text', 'hello world '.repeat(300)]);
    const out = JSON.parse(r.stdout);
    expect(out.tokens).toHaveLength(512);
    expect(out.truncated).toBe(true);
    expect(out.droppedTokens).toBe(601 - 510); // 600 words and the trailing ▁
    expect(r.stderr).toBe('albert-embed: input truncated to 512 tokens: 91 dropped\n');
  });

  it.skipIf(existsSync('public/models/albert-base-v2')).concurrent(
    'without a model, an unreachable hub falls back to the random test model with a warning',
    async () => {
      const r = await cli(['--text', 'hello'], { env: { HF_ENDPOINT: 'http://127.0.0.1:9' } });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).model).toMatch(/albert-tiny-random$/);
      expect(r.stderr).toMatch(/^albert-embed: warning: .*weights are RANDOM/);
    },
  );
});

describe('albert-embed --format npy and tsv', () => {
  it.concurrent(
    'npy: hidden states (layers, tokens, hidden) and attentions (layers, heads, tokens, tokens), equal to the JSON',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'albert-npy-'));
      const file = join(dir, 'hidden.npy');
      const args = EVERYTHING;
      const [npy, json] = await Promise.all([cli([...args, '--format', 'npy', '--out', file]), cli(args)]);
      expect(npy.code).toBe(0);
      expect(npy.stdout).toBe('');
      expect(npy.stderr).toBe(
        `albert-embed: wrote ${file}\nalbert-embed: wrote ${join(dir, 'hidden.attentions.npy')}\n`,
      );
      const reference = JSON.parse(json.stdout);
      const hidden = parseNpy(readFileSync(file));
      expect(hidden.shape).toEqual([4, 8, 32]);
      expect(maxDiff(reference.hiddenStates.flat(2), Float32Array.from(hidden.values))).toBeLessThan(1e-6);
      const attentions = parseNpy(readFileSync(join(dir, 'hidden.attentions.npy')));
      expect(attentions.shape).toEqual([3, 4, 8, 8]);
      expect(maxDiff(reference.attentions.flat(3), Float32Array.from(attentions.values))).toBeLessThan(1e-7);
    },
  );

  it.concurrent('tsv: the Embedding Projector pair for one layer', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'albert-tsv-')), 'projector');
    const args = [...tiny, '--text', 'hello world', '--pair', 'the cat sat', '--layers', '2'];
    const [tsv, json] = await Promise.all([cli([...args, '--format', 'tsv', '--out', dir]), cli(args)]);
    expect(tsv.code).toBe(0);
    const rows = readFileSync(join(dir, 'vectors_layer2.tsv'), 'utf8').trimEnd().split('\n');
    expect(rows).toHaveLength(8);
    const values = rows.map((r) => r.split('\t').map(Number));
    expect(values.every((r) => r.length === 32)).toBe(true);
    expect(values).toEqual(JSON.parse(json.stdout).hiddenStates[0]);
    expect(readFileSync(join(dir, 'metadata_layer2.tsv'), 'utf8').split('\n').slice(0, 3)).toEqual([
      'token\tposition\ttext',
      '[CLS]\t0\thello world',
      '▁hello\t1\thello world',
    ]);
    expect(readFileSync(join(dir, 'metadata_layer2.tsv'), 'utf8')).toContain('▁cat\t5\tthe cat sat');
  });

  it.concurrent('npy and tsv need --out; tsv takes one layer', async () => {
    expectOneLineError(
      await cli([...tiny, '--text', 'x', '--format', 'npy']),
      2,
      /--format npy needs --out \(a file\)/,
    );
    expectOneLineError(
      await cli([...tiny, '--text', 'x', '--format', 'tsv', '--out', '/tmp/x', '--layers', 'all']),
      2,
      /--format tsv writes one layer/,
    );
  });
});

describe('albert-embed on every dtype and export shape', () => {
  it('runs each of the eight dtypes by name, and the JSON says where the numbers come from', async () => {
    const runs = await Promise.all(
      DTYPES.map((dtype) => cli([...tiny, '--text', 'hello world', '--dtype', dtype])),
    );
    runs.forEach((r, i) => {
      const dtype = DTYPES[i]!;
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect([out.modelFile, out.dtype, out.precision.kind]).toEqual([DTYPE_FACTS[dtype].file, dtype, dtype]);
      if (dtype === 'fp32') expect(out.precision).not.toHaveProperty('typicalDistanceFromFp32');
      else
        expect(out.precision).toMatchObject({
          typicalDistanceFromFp32: FIDELITY[dtype],
          measuredOn: expect.stringContaining('albert-tiny-random'),
        });
    });
  });

  it('says where the numbers come from on stderr when the output cannot carry it (.npy, JSON lines)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'albert-cli-'));
    const [npy, lines, plain] = await Promise.all([
      cli([...tiny, '--text', 'hi', '--dtype', 'int8', '--format', 'npy', '--out', join(dir, 'h.npy')]),
      cli([...tiny, '--file', '-', '--dtype', 'q4'], { input: 'hello\n' }),
      cli([...tiny, '--file', '-'], { input: 'hello\n' }),
    ]);
    expect(npy.stderr).toMatch(
      /^albert-embed: These numbers come from int8 weights \(int8 weights per tensor/m,
    );
    expect(lines.stderr).toMatch(/These numbers come from q4 weights .* typically differ from fp32 by 0\.18/);
    expect(plain.stderr).not.toMatch(/These numbers come from/);
    rmSync(dir, { recursive: true });
  });

  it('runs every file of a sentence-transformers folder, fused ones included, on WASM and onnxruntime-node', async () => {
    const files = [
      'onnx/model.onnx',
      'onnx/model_O1.onnx',
      'onnx/model_O2.onnx',
      'onnx/model_O4.onnx',
      'onnx/model_qint8_avx512.onnx',
      'onnx/model_quint8_avx2.onnx',
    ];
    const st = ['--model', PARAPHRASE_MODEL, '--threads', '1', '--text', 'hello world'];
    const runs = await Promise.all(
      files.flatMap((file) =>
        ['wasm', 'node'].map((backend) => cli([...st, '--model-file', file, '--backend', backend])),
      ),
    );
    const plain = JSON.parse(runs[0]!.stdout).hiddenStates[0].flat() as number[];
    runs.forEach((r, i) => {
      const file = files[Math.floor(i / 2)]!;
      expect(r.code, `${file}: ${r.stderr}`).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.modelFile).toBe(file);
      // Float files agree with the plain export; half and integer ones within their precision.
      const tolerance = /O4/.test(file) ? 2e-2 : /int8/.test(file) ? 0.5 : 1e-4;
      expect(maxDiff(plain, Float32Array.from(out.hiddenStates[0].flat())), file).toBeLessThan(tolerance);
    });
    const fused = await cli([...st, '--model-file', 'onnx/model_O2.onnx', '--attentions']);
    expectOneLineError(
      fused,
      1,
      /error: --attentions: this file fuses attention \(onnxruntime's Attention op\), so its attention maps never exist as numbers; load `onnx\/model\.onnx` to see the maps$/m,
    );
  });
});

describe('albert-embed errors: one line on stderr, nothing on stdout, non-zero exit', () => {
  it.concurrent('an unknown option', async () => {
    expectOneLineError(
      await cli(['--txt', 'x']),
      2,
      /^albert-embed: error: unknown option '--txt'.*\(see --help\)/,
    );
  });

  it.concurrent('a bad option value', async () => {
    expectOneLineError(
      await cli([...tiny, '--text', 'x', '--dtype', 'int4']),
      2,
      /--dtype must be one of auto, fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4 \(got "int4"\)/,
    );
    expectOneLineError(
      await cli([...tiny, '--text', 'x', '--layers', '9']),
      2,
      /--layers 9 is out of range: this model has hidden states 0\.\.3/,
    );
  });

  it.concurrent('a model folder that does not exist', async () => {
    expectOneLineError(
      await cli(['--model', '/no/such/dir', '--text', 'x']),
      1,
      /^albert-embed: error: model folder \/no\/such\/dir does not exist$/m,
    );
  });

  it.concurrent('a missing tokenizer.json, a truncated ONNX file, a non-ALBERT config', async () => {
    const noTokenizer = tinyModelCopy();
    rmSync(join(noTokenizer, 'tokenizer.json'));
    const truncated = tinyModelCopy();
    truncateSync(join(truncated, 'onnx/model.onnx'), 100_000);
    const bert = tinyModelCopy();
    writeFileSync(join(bert, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: 768 }));
    const [a, b, c] = await Promise.all(
      [noTokenizer, truncated, bert].map((dir) => cli(['--model', dir, '--text', 'x'])),
    );
    expectOneLineError(a!, 1, /error: tokenizer\.json is missing from /);
    expectOneLineError(
      b!,
      1,
      /error: onnx\/model\.onnx is not a valid ONNX model \(truncated or corrupt download\?\)/,
    );
    expectOneLineError(c!, 1, /error: config\.json describes "bert", not an ALBERT model/);
  });
});
