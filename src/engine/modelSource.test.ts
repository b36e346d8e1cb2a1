/**
 * What a model folder holds, as each kind of source tells it: the hub's tree API (with the sizes the hub lists),
 * HEAD probes on a plain static host (where a web page means "missing"), the disk, and a picked folder; and what
 * a download that goes wrong says (the hub's refusals, a connection cut midway, a cancelled load).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../../scripts/lib/fakeHub.ts';
import { blobSource } from './blobSource.ts';
import { EngineError } from './errors.ts';
import { hubSource, PROBED_FILES, urlSource } from './modelSource.ts';
import { fsSource } from './node/fsSource.ts';
import { TINY_MODEL } from './testing/fixtures.ts';

let hub: FakeHub;
let faulty: FakeHub;
beforeAll(async () => {
  hub = await startFakeHub(
    { 'Xenova/albert-tiny-random': TINY_MODEL },
    { listedSizes: { 'Xenova/albert-tiny-random': { 'onnx/model.onnx': 45_300_000 } } },
  );
  faulty = await startFakeHub(
    { 'cut/off': TINY_MODEL, 'stalled/hub': TINY_MODEL },
    {
      failing: {
        'private/repo': { status: 401 },
        'gated/repo': { status: 401, errorCode: 'GatedRepo' },
        'down/hub': { status: 503 },
      },
      cut: { repo: 'cut/off', path: 'onnx/model.onnx', afterBytes: 50_000 },
      stall: { repo: 'stalled/hub', path: 'onnx/model.onnx', ms: 30_000, afterBytes: 10_000 },
    },
  );
});
afterAll(async () => {
  await hub.close();
  await faulty.close();
});

describe('listing a model folder', () => {
  it('a hub repo lists every file with the size and hash the hub gives, in one request to its tree API', async () => {
    hub.requests.length = 0;
    const files = await hubSource('Xenova/albert-tiny-random', hub.url).list!();
    expect(hub.requests).toEqual(['GET /api/models/Xenova/albert-tiny-random/tree/main?recursive=true']);
    // An LFS file's hash is its content's SHA-256; a plain file's is git's blob id (SHA-1 of a header and it).
    const model = readFileSync(join(TINY_MODEL, 'onnx/model.onnx'));
    const config = readFileSync(join(TINY_MODEL, 'config.json'));
    expect(files).toContainEqual({
      path: 'onnx/model.onnx',
      size: 45_300_000,
      hash: `sha256:${createHash('sha256').update(model).digest('hex')}`,
    });
    expect(files).toContainEqual({
      path: 'config.json',
      size: config.length,
      hash: `git-sha1:${createHash('sha1').update(`blob ${config.length}\0`).update(config).digest('hex')}`,
    });
    // Folders are not files.
    expect(files.some((f) => f.path === 'onnx')).toBe(false);
  });

  it('a missing hub repo fails to list (the engine then goes without a listing)', async () => {
    await expect(hubSource('nobody/nothing', hub.url).list!()).rejects.toThrow(
      'listing nobody/nothing failed: HTTP 404',
    );
  });

  it('a plain folder URL is probed with HEAD; a web page where a file should be counts as absent', async () => {
    const seen: string[] = [];
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      seen.push(`${init?.method ?? 'GET'} ${url}`);
      if (url.endsWith('onnx/model.onnx'))
        return new Response(null, { status: 200, headers: { 'Content-Length': '1234' } });
      if (url.endsWith('onnx/model_q4.onnx')) return new Response(null, { status: 200 });
      // An SPA host answers everything else with its index page.
      return new Response(null, { status: 200, headers: { 'Content-Type': 'text/html' } });
    }) as typeof fetch;
    const files = await urlSource('https://static.example/m', fetchImpl).list!();
    expect(files).toEqual([{ path: 'onnx/model.onnx', size: 1234 }, { path: 'onnx/model_q4.onnx' }]);
    expect(seen).toHaveLength(PROBED_FILES.length);
    expect(seen.every((r) => r.startsWith('HEAD https://static.example/m/'))).toBe(true);
  });

  it('a host that answers no HEAD gives no listing (the folder then loads by its conventional names)', async () => {
    const noHead = (async () => new Response(null, { status: 405 })) as unknown as typeof fetch;
    await expect(urlSource('https://x.example/m/', noHead).list!()).rejects.toThrow(
      'https://x.example/m/ answered no HEAD request for a model file',
    );
  });

  it('a hub source knows its repo', () => {
    expect(hubSource('Xenova/albert-base-v2', hub.url).repo).toBe('Xenova/albert-base-v2');
  });

  it('a folder on disk and a picked folder list their files with sizes', async () => {
    const disk = await (await fsSource(TINY_MODEL)).list!();
    expect(disk.find((f) => f.path === 'onnx/model.onnx')?.size).toBeGreaterThan(1000);
    expect(disk.map((f) => f.path)).toContain('tokenizer.json');
    const picked = blobSource('m', [{ path: 'onnx/model_q4.onnx', file: new Blob([new Uint8Array(7)]) }]);
    expect(await picked.list!()).toEqual([{ path: 'onnx/model_q4.onnx', size: 7 }]);
  });
});

/** How reading a file of a repo on the faulty hub fails (undefined if it does not). */
const failure = (repo: string, path = 'config.json') =>
  hubSource(repo, faulty.url)
    .read(path)
    .then(
      () => undefined,
      (e: unknown) => e as EngineError,
    );

describe('a hub download that goes wrong', () => {
  it('says what each refusal of the hub means', async () => {
    expect((await failure('private/repo'))?.message).toBe(
      'private/repo is gated or private on the hub, or does not exist (HTTP 401), and no Hugging Face token is sent',
    );
    expect((await failure('gated/repo'))?.message).toBe(
      'gated/repo is gated on the hub (HTTP 401), and no Hugging Face token is sent',
    );
    expect(await failure('nobody/nothing')).toMatchObject({
      code: 'missing-file',
      message: 'nobody/nothing was not found on the hub (HTTP 404): check the repo id',
    });
    expect(await failure('cut/off', 'onnx/model_nope.onnx')).toMatchObject({
      code: 'missing-file',
      message: 'onnx/model_nope.onnx was not found in cut/off on the hub (HTTP 404)',
    });
    expect((await failure('down/hub'))?.message).toBe(
      'the hub failed to send config.json of down/hub (HTTP 503): try again later',
    );
  });

  it('a download cut off midway fails, saying how far it got', async () => {
    const total = readFileSync(join(TINY_MODEL, 'onnx/model.onnx')).length;
    const error = await failure('cut/off', 'onnx/model.onnx');
    expect(error?.code).toBe('network');
    expect(error?.message).toMatch(
      new RegExp(
        `^the download of onnx/model\\.onnx from .*/cut/off/resolve/main/onnx/model\\.onnx broke off after \\d+ of ${total} bytes \\(.+\\): load the model again to retry$`,
      ),
    );
  });

  it('a cancelled read aborts its stalled download at once', async () => {
    const abort = new AbortController();
    const loaded: number[] = [];
    const reading = hubSource('stalled/hub', faulty.url).read(
      'onnx/model.onnx',
      (p) => {
        loaded.push(p.loaded);
        if (p.loaded >= 10_000) abort.abort();
      },
      abort.signal,
    );
    await expect(reading).rejects.toMatchObject({ code: 'cancelled', message: 'loading was cancelled' });
    expect(Math.max(...loaded)).toBe(10_000);
  });

  it("a file's last progress states its total, even when the server sent no length", async () => {
    const seen: { loaded: number; total?: number }[] = [];
    const chunked = (async () =>
      new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(new Uint8Array(3));
            c.enqueue(new Uint8Array(4));
            c.close();
          },
        }),
      )) as unknown as typeof fetch;
    await urlSource('https://x.example/m/', chunked).read('config.json', (p) => seen.push(p));
    expect(seen.at(-1)).toEqual({ file: 'config.json', loaded: 7, total: 7 });
  });
});
