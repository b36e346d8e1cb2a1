/** Broken or incomplete model folders fail with a message that names the file and what is wrong. */
import { cpSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AlbertEngine } from './albert.ts';
import { EngineError } from './errors.ts';
import { loadModelFiles } from './modelFiles.ts';
import { urlSource } from './modelSource.ts';
import { fsSource } from './node/fsSource.ts';
import { nodeRuntime, type NodeRuntime } from './node/runtime.ts';
import { PARAPHRASE_MODEL, TINY_MODEL, tinyModelCopy } from './testing/fixtures.ts';

let runtime: NodeRuntime;
beforeAll(async () => {
  runtime = await nodeRuntime('wasm', 1);
});

async function failure(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

const load = async (dir: string, extra = {}) =>
  AlbertEngine.load({ source: await fsSource(dir), ...runtime, backend: 'wasm', ...extra });

describe('model folder errors', () => {
  it('a folder that does not exist', async () => {
    const error = await failure(fsSource('/no/such/model'));
    expect(error.code).toBe('missing-file');
    expect(error.message).toBe('model folder /no/such/model does not exist');
  });

  it('a missing tokenizer.json', async () => {
    const dir = tinyModelCopy();
    rmSync(join(dir, 'tokenizer.json'));
    const error = await failure(load(dir));
    expect(error.code).toBe('missing-file');
    expect(error.file).toBe('tokenizer.json');
    expect(error.message).toMatch(/^tokenizer\.json is missing from /);
  });

  it('a missing ONNX file for the chosen dtype', async () => {
    const dir = tinyModelCopy();
    rmSync(join(dir, 'onnx/model_fp16.onnx'));
    const error = await failure(load(dir, { dtype: 'fp16' }));
    expect(error.message).toMatch(/^onnx\/model_fp16\.onnx is missing from /);
  });

  it('a truncated ONNX file', async () => {
    const dir = tinyModelCopy();
    const file = join(dir, 'onnx/model.onnx');
    truncateSync(file, Math.floor(readFileSync(file).length * 0.6));
    const error = await failure(load(dir));
    expect(error.code).toBe('invalid-file');
    expect(error.message).toMatch(
      /^onnx\/model\.onnx is not a valid ONNX model \(truncated or corrupt download\?\)/,
    );
  });

  it('a config.json that is not ALBERT', async () => {
    const dir = tinyModelCopy();
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, model_type: 'bert' }));
    const error = await failure(load(dir));
    expect(error.code).toBe('not-albert');
    expect(error.message).toBe('config.json describes "bert", not an ALBERT model (model_type "albert")');
  });

  it('a config.json that is not JSON, or lacks sizes', async () => {
    const dir = tinyModelCopy();
    writeFileSync(join(dir, 'config.json'), '{"model_type": "albert",');
    expect((await failure(load(dir))).message).toMatch(/^config\.json is not valid JSON/);
    writeFileSync(join(dir, 'config.json'), '{"model_type": "albert", "hidden_size": 32}');
    expect((await failure(load(dir))).message).toMatch(
      /^config\.json: "vocab_size" must be a positive integer/,
    );
  });

  it('a tokenizer.json without a vocabulary', async () => {
    const dir = tinyModelCopy();
    writeFileSync(join(dir, 'tokenizer.json'), '{"model": {"type": "BPE"}}');
    expect((await failure(load(dir))).message).toMatch(/^tokenizer\.json has no model\.vocab/);
  });
});

const fakeFetch = (status: number, body = '') =>
  (async () => new Response(status === 200 ? body : null, { status })) as unknown as typeof fetch;
const tinyFile = (path: string) => readFileSync(join(TINY_MODEL, path));

describe('URL sources', () => {
  it('a 404 names the file and the URL', async () => {
    const error = await failure(loadModelFiles(urlSource('https://example.test/m', fakeFetch(404))));
    expect(error.code).toBe('missing-file');
    expect(error.message).toBe('config.json not found at https://example.test/m/config.json (HTTP 404)');
  });

  it('an HTML page where a file should be (single-page-app hosting) counts as missing', async () => {
    const html = (async () =>
      new Response('<!doctype html><html></html>', {
        status: 200,
        headers: { 'Content-Type': 'text/html' },
      })) as unknown as typeof fetch;
    const error = await failure(loadModelFiles(urlSource('https://example.test/m/', html)));
    expect(error.code).toBe('missing-file');
    expect(error.message).toBe(
      'config.json not found at https://example.test/m/config.json (the server sent a web page instead)',
    );
  });

  it('a network failure says the download failed', async () => {
    const offline = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    const error = await failure(loadModelFiles(urlSource('https://example.test/m/', offline)));
    expect(error.code).toBe('network');
    expect(error.message).toBe(
      'could not download config.json from https://example.test/m/config.json: fetch failed (no network, or the server refused the request)',
    );
  });

  it('reads a whole folder over HTTP with progress per file', async () => {
    // A host that refuses HEAD: no listing, and the folder still loads by its conventional names.
    const serve = (async (url: string, init?: RequestInit) =>
      init?.method === 'HEAD'
        ? new Response(null, { status: 405 })
        : new Response(tinyFile(url.replace('https://example.test/m/', '')), {
            status: 200,
          })) as unknown as typeof fetch;
    const seen = new Set<string>();
    const loaded = await loadModelFiles(urlSource('https://example.test/m', serve), {
      dtype: 'q8',
      onProgress: (p) => seen.add(p.file),
    });
    expect(loaded.onnxFile).toBe('onnx/model_quantized.onnx');
    expect((await loaded.readOnnx()).byteLength).toBe(tinyFile('onnx/model_quantized.onnx').length);
    expect([...seen].toSorted()).toEqual([
      'config.json',
      'onnx/model_quantized.onnx',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
  });
});

describe('choosing the file', () => {
  it('a dtype the folder does not have: the message says what it has', async () => {
    const error = await failure(load(PARAPHRASE_MODEL, { dtype: 'q4' }));
    expect(error.code).toBe('missing-file');
    expect(error.message).toMatch(
      /^onnx\/model_q4\.onnx is missing from .*paraphrase-albert-tiny-random \(it has: fp32, onnx\/model_O1\.onnx, onnx\/model_O2\.onnx, /,
    );
  });

  it('auto runs fp32 on WASM and says why; every dtype by name runs its own file', async () => {
    const auto = await load(TINY_MODEL);
    expect([auto.loaded.file, auto.loaded.dtype, auto.loaded.fileReason]).toEqual([
      'onnx/model.onnx',
      'fp32',
      "auto: fp32 gives the model's exact numbers and is the fastest faithful file on WASM",
    ]);
    expect(auto.loaded.files?.map((f) => f.dtype ?? f.path)).toEqual([
      'fp32',
      'fp16',
      'q8',
      'int8',
      'uint8',
      'q4',
      'q4f16',
      'bnb4',
      ...[
        'feature-extraction-opset11-fp16',
        'feature-extraction-opset11-fp32',
        'feature-extraction-opset11-q8',
        'feature-extraction-opset14-fp32',
        'feature-extraction-opset17-fp16',
        'feature-extraction-opset17-fp32',
        'fill-mask-opset11-slim-fp32',
        'fill-mask-opset14-fp32',
        'fill-mask-opset17-fp32',
      ].map((v) => `onnx/variants/${v}.onnx`),
    ]);
    await auto.dispose();
    for (const dtype of ['q4', 'bnb4'] as const) {
      const engine = await load(TINY_MODEL, { dtype });
      expect([engine.loaded.file, engine.prepared.precision.kind]).toEqual([
        `onnx/model_${dtype}.onnx`,
        dtype,
      ]);
      await engine.dispose();
    }
  });

  it('auto picks fp16 for a WebGPU adapter with shader-f16, and fp32 again when WebGPU then fails to start', async () => {
    // A real adapter with half-precision shaders, in Node, where onnxruntime-web has no WebGPU to start.
    const adapter = { info: { vendor: 'nvidia', architecture: 'hopper' }, features: new Set(['shader-f16']) };
    const engine = await AlbertEngine.load({
      source: await fsSource(TINY_MODEL),
      ort: runtime.ort,
      host: { threads: 1, gpu: { requestAdapter: async () => adapter } },
      backend: 'auto',
    });
    expect(engine.backend.name).toBe('wasm');
    expect(engine.backend.fallbackReason).toMatch(/^WebGPU could not run this model/);
    expect([engine.loaded.dtype, engine.loaded.fileReason]).toEqual([
      'fp32',
      "auto: fp32 gives the model's exact numbers and is the fastest faithful file on WASM",
    ]);
    await engine.dispose();
  });

  it('a fused file loads with its hidden states and says why it has no attention maps', async () => {
    const engine = await load(PARAPHRASE_MODEL, { modelFile: 'onnx/model_O2.onnx' });
    expect(engine.prepared.outputs.fusedAttention).toBe('Attention');
    expect(engine.loaded.attentionUnavailable).toBe(
      "this file fuses attention (onnxruntime's Attention op), so its attention maps never exist as numbers; load `onnx/model.onnx` to see the maps",
    );
    expect(engine.loaded.attentionFile).toBe('onnx/model.onnx');
    const run = await engine.run('hello world', undefined, { attentions: true, attentionScores: true });
    expect(run.hiddenStates).toHaveLength(3);
    expect([run.attentions, run.attentionScores]).toEqual([[], []]);
    await engine.dispose();
  });

  it('a file whose layers cannot be found names the plain file to load instead', async () => {
    const dir = tinyModelCopy();
    // A fused file with one Attention node too few for its config: its layers cannot be traced.
    cpSync(join(PARAPHRASE_MODEL, 'onnx/model_O2.onnx'), join(dir, 'onnx/model_O2.onnx'));
    const error = await failure(load(dir, { modelFile: 'onnx/model_O2.onnx' }));
    expect(error.code).toBe('unsupported-graph');
    expect(error.message).toBe(
      'onnx/model_O2.onnx: expected 3 attention Attention nodes (one per layer, config.json num_hidden_layers = 3) but the graph has 2; load `onnx/model.onnx` (the plain export) instead',
    );
  });

  it('a sentence-transformers folder brings its own pooling; the default folder none', async () => {
    const st = await load(PARAPHRASE_MODEL);
    expect(st.loaded.sentence).toEqual({
      mode: 'mean',
      normalize: true,
      maxLength: 100,
      source: 'model',
      from: 'modules.json, 1_Pooling/config.json, sentence_bert_config.json',
    });
    expect(st.sentenceMaxLength).toBe(100);
    await st.dispose();
    const tiny = await load(TINY_MODEL);
    expect(tiny.loaded.sentence).toBeUndefined();
    expect(tiny.sentenceMaxLength).toBe(512);
    await tiny.dispose();
  });
});
