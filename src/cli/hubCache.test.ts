/**
 * albert-embed with a hub id, as a user runs it: the model downloads once into HF_HOME's hub cache (huggingface_hub's
 * layout), later runs read it from there, offline too, and HF_TOKEN opens a gated repo.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../../scripts/lib/fakeHub.ts';
import { TINY_MODEL } from '../engine/testing/fixtures.ts';
import { cli, expectOneLineError, tiny } from './testing/runCli.ts';

const REPO = 'Xenova/albert-tiny-random';
const GATED = 'someone/gated-albert';
const TOKEN = 'hf_fakeSecretToken123';
const run = ['--threads', '1', '--backend', 'wasm', '--text', 'hello world'];

/** One bit of every ONNX file flipped after the hub computed its headers: a corrupt transfer. */
function flipByte(path: string, body: Buffer): Buffer {
  if (!path.endsWith('.onnx')) return body;
  const copy = Buffer.from(body);
  copy[200] = copy[200]! ^ 1;
  return copy;
}

let hub: FakeHub;
let corrupt: FakeHub;
const homes: string[] = [];
beforeAll(async () => {
  hub = await startFakeHub({ [REPO]: TINY_MODEL, [GATED]: TINY_MODEL }, { tokens: { [GATED]: TOKEN } });
  corrupt = await startFakeHub({ [REPO]: TINY_MODEL }, { tamper: flipByte });
});
afterAll(async () => {
  await hub.close();
  await corrupt.close();
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

function hfHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'albert-hf-home-'));
  homes.push(home);
  return home;
}

describe('albert-embed --model <hub id>', () => {
  it('downloads once into the hub cache; a second run requests no file; offline runs read the cache', async () => {
    const home = hfHome();
    const env = { HF_ENDPOINT: hub.url, HF_HOME: home };
    hub.requests.length = 0;
    const first = await cli(['--model', REPO, ...run], { env });
    expect(first.code).toBe(0);
    // Off a terminal, downloads print nothing.
    expect(first.stderr).toBe('');
    const local = await cli([...tiny, '--text', 'hello world']);
    expect(JSON.parse(first.stdout).hiddenStates).toEqual(JSON.parse(local.stdout).hiddenStates);
    expect(JSON.parse(first.stdout).model).toBe(`${hub.url}/${REPO}/resolve/main/`);

    const folder = join(home, 'hub', 'models--Xenova--albert-tiny-random');
    const commit = readFileSync(join(folder, 'refs/main'), 'utf8');
    const read = ['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json'];
    expect(hub.requests.filter((r) => r.includes('/resolve/')).toSorted()).toEqual(
      read.map((path) => `GET /${REPO}/resolve/${commit}/${path}`).toSorted(),
    );
    const snapshot = join(folder, 'snapshots', commit);
    for (const path of read) {
      const link = readlinkSync(join(snapshot, path));
      expect(link).toMatch(
        // LFS files (the ONNX file, and tokenizer.json with its 278 KB charsmap) are blobs by SHA-256.
        path.includes('/')
          ? /^\.\.\/\.\.\/\.\.\/blobs\/[0-9a-f]{64}$/
          : path === 'tokenizer.json'
            ? /^\.\.\/\.\.\/blobs\/[0-9a-f]{64}$/
            : /^\.\.\/\.\.\/blobs\/[0-9a-f]{40}$/,
      );
      expect(readFileSync(join(snapshot, path))).toEqual(readFileSync(join(TINY_MODEL, path)));
    }
    expect(readdirSync(join(folder, 'blobs'))).toHaveLength(read.length);

    hub.requests.length = 0;
    const second = await cli(['--model', REPO, ...run], { env });
    expect(second.stdout).toBe(first.stdout);
    expect(hub.requests).toEqual([`GET /api/models/${REPO}/revision/main?blobs=true`]);

    hub.requests.length = 0;
    const [unreachable, offline] = await Promise.all([
      cli(['--model', REPO, ...run], { env: { HF_ENDPOINT: 'http://127.0.0.1:9', HF_HOME: home } }),
      cli(['--model', REPO, ...run], { env: { ...env, HF_HUB_OFFLINE: '1' } }),
    ]);
    expect(JSON.parse(unreachable.stdout).hiddenStates).toEqual(JSON.parse(first.stdout).hiddenStates);
    expect(JSON.parse(offline.stdout).hiddenStates).toEqual(JSON.parse(first.stdout).hiddenStates);
    expect(unreachable.stderr + offline.stderr).toBe('');
    expect(hub.requests).toEqual([]);
  });

  it('HF_HUB_CACHE puts the cache elsewhere; HF_HUB_OFFLINE with nothing cached is one error line', async () => {
    const cache = join(hfHome(), 'elsewhere');
    const r = await cli(['--model', REPO, ...run], { env: { HF_ENDPOINT: hub.url, HF_HUB_CACHE: cache } });
    expect(r.code).toBe(0);
    expect(existsSync(join(cache, 'models--Xenova--albert-tiny-random/refs/main'))).toBe(true);
    const offline = await cli(['--model', REPO, ...run], {
      env: { HF_ENDPOINT: hub.url, HF_HUB_OFFLINE: '1' },
    });
    expectOneLineError(
      offline,
      1,
      /^albert-embed: error: Xenova\/albert-tiny-random is not in the hub cache at .*\/hub, and HF_HUB_OFFLINE is set \(no downloads\)$/m,
    );
  });

  it('a gated repo without HF_TOKEN is one error line; with it every request carries the token', async () => {
    const refused = await cli(['--model', GATED, ...run], { env: { HF_ENDPOINT: hub.url } });
    expectOneLineError(
      refused,
      1,
      /^albert-embed: error: someone\/gated-albert is gated or private: set HF_TOKEN to a token with access \(HTTP 401\)$/m,
    );
    hub.requests.length = 0;
    hub.authorizations.length = 0;
    const allowed = await cli(['--model', GATED, ...run], { env: { HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN } });
    expect(allowed.code).toBe(0);
    expect(hub.requests.length).toBeGreaterThan(1);
    expect(hub.authorizations.every((a) => a === `Bearer ${TOKEN}`)).toBe(true);
    expect(allowed.stderr).not.toContain(TOKEN);
  });

  it('a corrupt download is one error line and leaves no ONNX file in the cache', async () => {
    const home = hfHome();
    const r = await cli(['--model', REPO, ...run], { env: { HF_ENDPOINT: corrupt.url, HF_HOME: home } });
    expectOneLineError(
      r,
      1,
      /^albert-embed: error: onnx\/model\.onnx of Xenova\/albert-tiny-random: SHA-256 [0-9a-f]{64} does not match the hub's [0-9a-f]{64} \(corrupt download; nothing was kept\)$/m,
    );
    const folder = join(home, 'hub', 'models--Xenova--albert-tiny-random');
    const commit = readFileSync(join(folder, 'refs/main'), 'utf8');
    expect(existsSync(join(folder, 'snapshots', commit, 'onnx'))).toBe(false);
    // No ONNX blob: the only SHA-256-named blob is tokenizer.json's (an LFS file at its size).
    expect(readdirSync(join(folder, 'blobs')).filter((b) => /^[0-9a-f]{64}$/.test(b))).toHaveLength(1);
  });
});
