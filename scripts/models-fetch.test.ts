/** models:fetch against a local imitation of the hub: complete, verified files only, and clear failures. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARAPHRASE_MODEL, TINY_MODEL, tinyModelCopy } from '../src/engine/testing/fixtures.ts';
import { startFakeHub, type FakeHub } from './lib/fakeHub.ts';

function fetchModel(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/models-fetch.ts', ...args],
      { env: { ...process.env, ...env } },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
    );
  });
}

let hub: FakeHub;
let corrupt: FakeHub;
let unlisted: FakeHub;
beforeAll(async () => {
  const noFp16 = tinyModelCopy();
  rmSync(join(noFp16, 'onnx/model_fp16.onnx'));
  hub = await startFakeHub({
    'Xenova/albert-tiny-random': TINY_MODEL,
    'someone/no-fp16': noFp16,
    'sentence-transformers/paraphrase-albert-small-v2': PARAPHRASE_MODEL,
  });
  unlisted = await startFakeHub({ 'someone/no-fp16': noFp16 }, { listing: false });
  corrupt = await startFakeHub(
    { 'Xenova/albert-tiny-random': TINY_MODEL },
    {
      tamper: (path, body) =>
        path.endsWith('.onnx')
          ? Buffer.concat([body.subarray(0, 100), Buffer.from([body[100]! ^ 1]), body.subarray(101)])
          : body,
    },
  );
});
afterAll(async () => {
  await hub.close();
  await corrupt.close();
  await unlisted.close();
});

describe('models:fetch', () => {
  it('downloads every dtype into public/models/<name>/ and lists it in the manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'albert-models-'));
    const r = await fetchModel(['Xenova/albert-tiny-random', '--dtype', 'all'], {
      HF_ENDPOINT: hub.url,
      ALBERT_MODELS_DIR: dir,
    });
    expect(r.stderr).toContain('models:fetch: 12 files');
    expect(r.code).toBe(0);
    for (const file of [
      'config.json',
      'tokenizer.json',
      'onnx/model.onnx',
      'onnx/model_fp16.onnx',
      'onnx/model_quantized.onnx',
      'onnx/model_q4.onnx',
      'onnx/model_bnb4.onnx',
    ])
      expect(
        readFileSync(join(dir, 'albert-tiny-random', file)).equals(readFileSync(join(TINY_MODEL, file))),
        file,
      ).toBe(true);
    expect(readdirSync(dir).toSorted()).toEqual(['albert-tiny-random', 'manifest.json']);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.models[0]).toMatchObject({
      name: 'albert-tiny-random',
      dtypes: ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'],
      randomWeights: true,
    });
    expect(hub.requests).toContain('GET /Xenova/albert-tiny-random/resolve/main/onnx/model_quantized.onnx');
    // Only the dtype files: a variant under onnx/variants/ is not a dtype.
    expect(hub.requests.some((request) => request.includes('/variants/'))).toBe(false);
  });

  it('brings a sentence-transformers repo’s own files, and only the dtypes the repo lists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'albert-models-'));
    const r = await fetchModel(['sentence-transformers/paraphrase-albert-small-v2', '--dtype', 'all'], {
      HF_ENDPOINT: hub.url,
      ALBERT_MODELS_DIR: dir,
    });
    expect(r.code).toBe(0);
    const folder = join(dir, 'paraphrase-albert-small-v2');
    for (const file of [
      'modules.json',
      '1_Pooling/config.json',
      'sentence_bert_config.json',
      'onnx/model.onnx',
    ])
      expect(existsSync(join(folder, file)), file).toBe(true);
    // The repo has no fp16 or q4 file: none is asked for.
    expect(existsSync(join(folder, 'onnx/model_fp16.onnx'))).toBe(false);
    expect(r.stderr).toContain('models:fetch: 9 files');
    // The folder remembers its repo, so the site copy of a known model keeps its card's pooling.
    expect(JSON.parse(readFileSync(join(folder, 'hub.json'), 'utf8'))).toEqual({
      repo: 'sentence-transformers/paraphrase-albert-small-v2',
      revision: 'main',
    });
  });

  it('without the hub’s listing, tries the usual names and skips what the repo lacks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'albert-models-'));
    const r = await fetchModel(['someone/no-fp16', '--dtype', 'all'], {
      HF_ENDPOINT: unlisted.url,
      ALBERT_MODELS_DIR: dir,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /models:fetch: could not list someone\/no-fp16 \(listing someone\/no-fp16 failed: HTTP 500\)/,
    );
    const onnx = readdirSync(join(dir, 'no-fp16', 'onnx')).toSorted();
    expect(onnx).toEqual([
      'model.onnx',
      'model_bnb4.onnx',
      'model_int8.onnx',
      'model_q4.onnx',
      'model_q4f16.onnx',
      'model_quantized.onnx',
      'model_uint8.onnx',
    ]);
  });

  it('leaves nothing behind when a file is missing on the hub', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'albert-models-'));
    const r = await fetchModel(['someone/no-fp16', '--dtype', 'fp16'], {
      HF_ENDPOINT: hub.url,
      ALBERT_MODELS_DIR: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /models:fetch: error: onnx\/model_fp16\.onnx does not exist at .*\(HTTP 404\)\n$/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('rejects a download whose SHA-256 differs from the hub’s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'albert-models-'));
    const r = await fetchModel(['Xenova/albert-tiny-random'], {
      HF_ENDPOINT: corrupt.url,
      ALBERT_MODELS_DIR: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /onnx\/model\.onnx: SHA-256 [0-9a-f]{64} does not match the hub's [0-9a-f]{64} \(corrupt download\)/,
    );
    expect(existsSync(join(dir, 'albert-tiny-random'))).toBe(false);
  });

  it('explains its usage', async () => {
    const r = await fetchModel([], { HF_ENDPOINT: hub.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/usage: npm run models:fetch -- <owner\/name>/);
  });
});
