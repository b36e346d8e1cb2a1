/** Broken or incomplete model folders fail with a message that names the file and what is wrong. */
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AlbertEngine } from './albert.ts';
import { EngineError } from './errors.ts';
import { loadModelFiles } from './modelFiles.ts';
import { urlSource } from './modelSource.ts';
import { fsSource } from './node/fsSource.ts';
import { nodeRuntime, type NodeRuntime } from './node/runtime.ts';
import { TINY_MODEL, tinyModelCopy } from './testing/fixtures.ts';

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
    const serve = (async (url: string) =>
      new Response(tinyFile(url.replace('https://example.test/m/', '')), {
        status: 200,
      })) as unknown as typeof fetch;
    const seen = new Set<string>();
    const loaded = await loadModelFiles(urlSource('https://example.test/m', serve), {
      dtype: 'q8',
      onProgress: (p) => seen.add(p.file),
    });
    expect(loaded.onnxFile).toBe('onnx/model_quantized.onnx');
    expect(loaded.onnxBytes.byteLength).toBe(tinyFile('onnx/model_quantized.onnx').length);
    expect([...seen].toSorted()).toEqual([
      'config.json',
      'onnx/model_quantized.onnx',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
  });
});
