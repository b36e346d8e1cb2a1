/**
 * Hub models kept in the Hugging Face hub cache, in huggingface_hub's layout, against the fake hub: what lands on
 * disk, what a second load asks the hub (only the commit), offline loads, tokens, and corrupt downloads.
 */
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../../../scripts/lib/fakeHub.ts';
import { EngineError } from '../errors.ts';
import {
  hubCacheSource,
  hubSettings,
  isInHubCache,
  type Download,
  type HubCacheOptions,
} from './hubCacheSource.ts';
import { TINY_MODEL } from '../testing/fixtures.ts';

const REPO = 'Xenova/albert-tiny-random';
const GATED = 'someone/gated-albert';
const TOKEN = 'hf_fakeSecretToken123';
const tamper = (path: string, body: Buffer) =>
  path === 'onnx/model.onnx'
    ? Buffer.concat([body.subarray(0, 100), Buffer.from([body[100]! ^ 1]), body.subarray(101)])
    : body;

let hub: FakeHub;
let corrupt: FakeHub;
beforeAll(async () => {
  hub = await startFakeHub({ [REPO]: TINY_MODEL, [GATED]: TINY_MODEL }, { tokens: { [GATED]: TOKEN } });
  corrupt = await startFakeHub({ [REPO]: TINY_MODEL }, { tamper });
});
afterAll(async () => {
  await hub.close();
  await corrupt.close();
});

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'albert-hub-cache-'));
  temps.push(dir);
  return dir;
}

/** Settings for a fresh cache under a temporary HF_HOME, talking to `endpoint`. */
function settings(endpoint: string, env: NodeJS.ProcessEnv = {}): HubCacheOptions {
  return hubSettings({ HF_HOME: tempDir(), HF_ENDPOINT: endpoint, ...env });
}

const fileRequests = (h: FakeHub) => h.requests.filter((r) => r.includes('/resolve/'));
const bytesOf = (path: string) => new Uint8Array(readFileSync(join(TINY_MODEL, path)));
const sha256 = (path: string) =>
  createHash('sha256')
    .update(readFileSync(join(TINY_MODEL, path)))
    .digest('hex');
const gitOid = (path: string) => {
  const body = readFileSync(join(TINY_MODEL, path));
  return createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
};
/** The ETag huggingface_hub names a blob by: X-Linked-Etag for an LFS file, else ETag, without quotes. */
async function etagOf(endpoint: string, repo: string, path: string): Promise<string> {
  const r = await fetch(`${endpoint}/${repo}/resolve/main/${path}`, { method: 'HEAD' });
  return (r.headers.get('x-linked-etag') ?? r.headers.get('etag'))!.replaceAll('"', '');
}
async function commitOf(endpoint: string, repo: string): Promise<string> {
  const r = await fetch(`${endpoint}/${repo}/resolve/main/config.json`, { method: 'HEAD' });
  return r.headers.get('x-repo-commit')!;
}

/** What huggingface_hub does to find a cached file offline: refs/main → snapshots/<commit>/<path>. */
function pythonLookup(cacheDir: string, repo: string, path: string): Buffer | undefined {
  const folder = join(cacheDir, `models--${repo.replace('/', '--')}`);
  const commit = readFileSync(join(folder, 'refs', 'main'), 'utf8');
  const file = join(folder, 'snapshots', commit, path);
  return existsSync(file) ? readFileSync(file) : undefined;
}

describe('the hub cache', () => {
  it("keeps files in huggingface_hub's layout: blobs by ETag, relative symlinks per commit, refs/main", async () => {
    const options = settings(hub.url);
    const source = hubCacheSource(REPO, options);
    for (const path of ['config.json', 'tokenizer.json', 'onnx/model.onnx'])
      expect(await source.read(path)).toEqual(bytesOf(path));

    const folder = join(options.cacheDir, 'models--Xenova--albert-tiny-random');
    const commit = await commitOf(hub.url, REPO);
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    expect(readFileSync(join(folder, 'refs/main'), 'utf8')).toBe(commit);
    // A plain file's blob is its git blob id (40 hex), an LFS file's its SHA-256 (64 hex): each the hub's ETag.
    const config = gitOid('config.json');
    const model = sha256('onnx/model.onnx');
    expect(await etagOf(hub.url, REPO, 'config.json')).toBe(config);
    expect(await etagOf(hub.url, REPO, 'onnx/model.onnx')).toBe(model);
    expect(readdirSync(join(folder, 'blobs')).toSorted()).toEqual(
      [config, sha256('tokenizer.json'), model].toSorted(),
    );
    expect(readFileSync(join(folder, 'blobs', model))).toEqual(
      readFileSync(join(TINY_MODEL, 'onnx/model.onnx')),
    );
    const snapshot = join(folder, 'snapshots', commit);
    expect(readlinkSync(join(snapshot, 'config.json'))).toBe(`../../blobs/${config}`);
    expect(readlinkSync(join(snapshot, 'onnx/model.onnx'))).toBe(`../../../blobs/${model}`);
    expect(readdirSync(join(folder, 'snapshots'))).toEqual([commit]);
    expect(pythonLookup(options.cacheDir, REPO, 'onnx/model.onnx')).toEqual(
      readFileSync(join(TINY_MODEL, 'onnx/model.onnx')),
    );
    expect(await isInHubCache(REPO, options.cacheDir)).toBe(true);
  });

  it('a second load asks the hub only for the commit: no file is requested again', async () => {
    const options = settings(hub.url);
    await hubCacheSource(REPO, options).read('config.json');
    await hubCacheSource(REPO, options).read('onnx/model.onnx');
    hub.requests.length = 0;
    const again = hubCacheSource(REPO, options);
    expect(await again.read('config.json')).toEqual(bytesOf('config.json'));
    expect(await again.read('onnx/model.onnx')).toEqual(bytesOf('onnx/model.onnx'));
    const listing = await again.list!();
    expect(hub.requests).toEqual([`GET /api/models/${REPO}/revision/main?blobs=true`]);
    // The listing is the whole commit's, with the hashes the tree API gives.
    expect(listing).toContainEqual({
      path: 'onnx/model_q4.onnx',
      size: bytesOf('onnx/model_q4.onnx').byteLength,
      hash: `sha256:${sha256('onnx/model_q4.onnx')}`,
    });
    expect(listing).toContainEqual({
      path: 'config.json',
      size: bytesOf('config.json').byteLength,
      hash: `git-sha1:${gitOid('config.json')}`,
    });
  });

  it('a new commit gets its own snapshot; an unchanged file links the blob already there', async () => {
    const repo = join(tempDir(), 'repo');
    cpSync(TINY_MODEL, repo, { recursive: true });
    const moving = await startFakeHub({ [REPO]: repo });
    try {
      const options = settings(moving.url);
      await hubCacheSource(REPO, options).read('config.json');
      await hubCacheSource(REPO, options).read('onnx/model.onnx');
      const first = await commitOf(moving.url, REPO);
      const config = JSON.parse(readFileSync(join(repo, 'config.json'), 'utf8'));
      writeFileSync(join(repo, 'config.json'), JSON.stringify({ ...config, note: 'a new commit' }));
      const second = await commitOf(moving.url, REPO);
      expect(second).not.toBe(first);

      moving.requests.length = 0;
      const source = hubCacheSource(REPO, options);
      expect(JSON.parse(new TextDecoder().decode(await source.read('config.json'))).note).toBe(
        'a new commit',
      );
      await source.read('onnx/model.onnx');
      expect(fileRequests(moving)).toEqual([`GET /${REPO}/resolve/${second}/config.json`]);
      const folder = join(options.cacheDir, 'models--Xenova--albert-tiny-random');
      expect(readFileSync(join(folder, 'refs/main'), 'utf8')).toBe(second);
      expect(readdirSync(join(folder, 'snapshots')).toSorted()).toEqual([first, second].toSorted());
      const model = sha256('onnx/model.onnx');
      expect(readlinkSync(join(folder, 'snapshots', second, 'onnx/model.onnx'))).toBe(
        `../../../blobs/${model}`,
      );
    } finally {
      await moving.close();
    }
  });

  it('HF_HUB_OFFLINE reads the snapshot refs/main names without a request, and lists what it holds', async () => {
    const options = settings(hub.url);
    await hubCacheSource(REPO, options).read('config.json');
    await hubCacheSource(REPO, options).read('onnx/model.onnx');
    hub.requests.length = 0;
    const offline = hubCacheSource(REPO, { ...options, offline: true });
    expect(await offline.read('onnx/model.onnx')).toEqual(bytesOf('onnx/model.onnx'));
    expect((await offline.list!()).toSorted((a, b) => a.path.localeCompare(b.path))).toEqual([
      {
        path: 'config.json',
        size: bytesOf('config.json').byteLength,
        hash: `git-sha1:${gitOid('config.json')}`,
      },
      {
        path: 'onnx/model.onnx',
        size: bytesOf('onnx/model.onnx').byteLength,
        hash: `sha256:${sha256('onnx/model.onnx')}`,
      },
    ]);
    await expect(offline.read('tokenizer.json')).rejects.toThrow(
      `tokenizer.json of ${REPO} is not in the hub cache at ${options.cacheDir}, and HF_HUB_OFFLINE is set`,
    );
    expect(hub.requests).toEqual([]);
    await expect(
      hubCacheSource('someone/never-fetched', { ...options, offline: true }).read('config.json'),
    ).rejects.toThrow(
      `someone/never-fetched is not in the hub cache at ${options.cacheDir}, and HF_HUB_OFFLINE is set (no downloads)`,
    );
  });

  it('an unreachable hub falls back to the cache; with nothing cached it says both', async () => {
    const options = settings(hub.url);
    await hubCacheSource(REPO, options).read('config.json');
    const down = { ...options, endpoint: 'http://127.0.0.1:9' };
    expect(await hubCacheSource(REPO, down).read('config.json')).toEqual(bytesOf('config.json'));
    await expect(hubCacheSource(REPO, down).read('tokenizer.json')).rejects.toThrow(
      /^tokenizer\.json of Xenova\/albert-tiny-random is not in the hub cache at .*, and http:\/\/127\.0\.0\.1:9 is unreachable/,
    );
    await expect(hubCacheSource(REPO, { ...down, cacheDir: tempDir() }).read('config.json')).rejects.toThrow(
      /^Xenova\/albert-tiny-random is not in the hub cache at .*, and http:\/\/127\.0\.0\.1:9 is unreachable \(/,
    );
  });

  it('sends HF_TOKEN with every request; a refused repo is one line that names the fix, never the token', async () => {
    const anonymous = hubCacheSource(GATED, settings(hub.url));
    await expect(anonymous.read('config.json')).rejects.toThrow(
      new EngineError(
        'network',
        `${GATED} is gated or private: set HF_TOKEN to a token with access (HTTP 401)`,
      ),
    );
    const wrong = hubCacheSource(GATED, settings(hub.url, { HF_TOKEN: 'hf_notTheOne' }));
    const refused = await wrong.read('config.json').catch((e: Error) => e);
    expect((refused as Error).message).toBe(
      `${GATED} is gated or private: the token from HF_TOKEN has no access to it (accept its terms on the hub, or use another token) (HTTP 403)`,
    );
    expect((refused as Error).message).not.toContain('hf_notTheOne');

    hub.requests.length = 0;
    hub.authorizations.length = 0;
    const allowed = hubCacheSource(GATED, settings(hub.url, { HUGGING_FACE_HUB_TOKEN: TOKEN }));
    expect(await allowed.read('onnx/model.onnx')).toEqual(bytesOf('onnx/model.onnx'));
    await allowed.list!();
    expect(hub.requests).toHaveLength(2);
    expect(hub.authorizations).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  it('a corrupt download is refused and leaves nothing in blobs or the snapshot', async () => {
    const options = settings(corrupt.url);
    const source = hubCacheSource(REPO, options);
    expect(await source.read('config.json')).toEqual(bytesOf('config.json'));
    const error = await source.read('onnx/model.onnx').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('invalid-file');
    expect((error as EngineError).message).toMatch(
      new RegExp(
        `^onnx/model\\.onnx of ${REPO}: SHA-256 [0-9a-f]{64} does not match the hub's ${sha256('onnx/model.onnx')} \\(corrupt download; nothing was kept\\)$`,
      ),
    );
    const folder = join(options.cacheDir, 'models--Xenova--albert-tiny-random');
    expect(readdirSync(join(folder, 'blobs'))).toEqual([gitOid('config.json')]);
    const commit = readFileSync(join(folder, 'refs/main'), 'utf8');
    expect(readdirSync(join(folder, 'snapshots', commit))).toEqual(['config.json']);
  });

  it('reports each download (bytes of the listed size, then done or failed), not files read from the cache', async () => {
    const seen: Download[] = [];
    const options = { ...settings(corrupt.url), onDownload: (d: Download) => seen.push(d) };
    await hubCacheSource(REPO, options).read('config.json');
    await hubCacheSource(REPO, options)
      .read('onnx/model.onnx')
      .catch(() => undefined);
    await hubCacheSource(REPO, options).read('config.json');
    const size = bytesOf('config.json').byteLength;
    expect(seen.filter((d) => d.file === 'config.json').at(-1)).toEqual({
      file: 'config.json',
      loaded: size,
      total: size,
      state: 'done',
    });
    expect(seen.filter((d) => d.file === 'config.json' && d.state === 'done')).toHaveLength(1);
    expect(seen.at(-1)).toMatchObject({ file: 'onnx/model.onnx', state: 'failed' });
    expect(seen.some((d) => d.file === 'onnx/model.onnx' && d.state === 'downloading')).toBe(true);
  });

  it('a file the commit does not have is missing without a request; an API that gives no list still downloads', async () => {
    const options = settings(hub.url);
    const source = hubCacheSource(REPO, options);
    await source.read('config.json');
    hub.requests.length = 0;
    await expect(source.read('modules.json')).rejects.toMatchObject({ code: 'missing-file' });
    expect(hub.requests).toEqual([]);

    const apiDown = await startFakeHub({ [REPO]: TINY_MODEL }, { listing: false });
    try {
      const plain = hubCacheSource(REPO, settings(apiDown.url));
      expect(await plain.read('config.json')).toEqual(bytesOf('config.json'));
      expect(fileRequests(apiDown)).toEqual([`GET /${REPO}/resolve/main/config.json`]);
    } finally {
      await apiDown.close();
    }
  });
});

describe('hubSettings', () => {
  it('finds the cache as huggingface_hub does: HF_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME, ~/.cache', () => {
    expect(hubSettings({ HF_HUB_CACHE: '/c/hub', HF_HOME: '/h' }).cacheDir).toBe('/c/hub');
    expect(hubSettings({ HF_HOME: '/h', XDG_CACHE_HOME: '/x' }).cacheDir).toBe('/h/hub');
    expect(hubSettings({ XDG_CACHE_HOME: '/x' }).cacheDir).toBe('/x/huggingface/hub');
    expect(hubSettings({}).cacheDir).toBe(join(homedir(), '.cache/huggingface/hub'));
    expect(hubSettings({ HF_HOME: '~/hf' }).cacheDir).toBe(join(homedir(), 'hf/hub'));
  });

  it('takes HF_TOKEN, else HUGGING_FACE_HUB_TOKEN, else the token file huggingface-cli login writes', () => {
    const home = tempDir();
    expect(hubSettings({ HF_HOME: home }).token).toBeUndefined();
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'token'), 'hf_fromFile\n');
    expect(hubSettings({ HF_HOME: home })).toMatchObject({
      token: 'hf_fromFile',
      tokenFrom: join(home, 'token'),
    });
    expect(hubSettings({ HF_HOME: home, HUGGING_FACE_HUB_TOKEN: 'hf_b' })).toMatchObject({
      token: 'hf_b',
      tokenFrom: 'HUGGING_FACE_HUB_TOKEN',
    });
    expect(hubSettings({ HF_HOME: home, HF_TOKEN: 'hf_a', HUGGING_FACE_HUB_TOKEN: 'hf_b' })).toMatchObject({
      token: 'hf_a',
      tokenFrom: 'HF_TOKEN',
    });
  });

  it('is offline for HF_HUB_OFFLINE=1/ON/YES/TRUE (any case), and uses HF_ENDPOINT', () => {
    for (const value of ['1', 'on', 'YES', 'true'])
      expect(hubSettings({ HF_HUB_OFFLINE: value }).offline).toBe(true);
    for (const value of ['0', 'false', ''])
      expect(hubSettings({ HF_HUB_OFFLINE: value }).offline).toBe(false);
    expect(hubSettings({ HF_ENDPOINT: 'http://mirror.example/' }).endpoint).toBe('http://mirror.example');
    expect(hubSettings({}).endpoint).toBe('https://huggingface.co');
  });
});
