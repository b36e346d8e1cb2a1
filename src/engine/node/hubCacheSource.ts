/**
 * Hub models for Node (the CLI, scripts), kept in the Hugging Face hub cache that huggingface_hub (Python),
 * `huggingface-cli` and @huggingface/hub share, laid out as they lay it out, so each finds what another fetched:
 *
 *   <cache>/models--<owner>--<name>/blobs/<etag>               the bytes, named by the file's hub ETag: the SHA-256
 *                                                              of an LFS file, the git blob id of a plain one
 *                                   snapshots/<commit>/<path>  a relative symlink to ../../blobs/<etag> (one more
 *                                                              ../ per folder in <path>)
 *                                   refs/<revision>            the commit the revision pointed at (no newline)
 *
 * One request to the hub's revision API (what huggingface_hub's snapshot_download asks) gives the commit and every
 * file's size and hash; a file already in that commit's snapshot, or whose blob another commit left, is then read
 * without a request. A new file is downloaded at that commit, checked against the listed size and hash, and
 * renamed into blobs/ from a `.incomplete` name, so a broken download never looks like a cached one. Without the
 * network (or with HF_HUB_OFFLINE) the snapshot `refs/<revision>` names is used as it is. HF_TOKEN goes with
 * every request, as huggingface_hub sends it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  copyFile,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { EngineError, messageOf } from '../errors.ts';
import {
  HUB_ENDPOINT,
  hubBaseUrl,
  hubSource,
  type FileProgress,
  type ListedFile,
  type ModelSource,
} from '../modelSource.ts';

/** Where the hub is and how to talk to it, read from the environment variables huggingface_hub reads. */
export interface HubSettings {
  endpoint: string;
  /** The hub cache's root (the folder that holds `models--…`). */
  cacheDir: string;
  token?: string;
  /** Where the token came from (a variable's name or the token file), for messages: the token is never shown. */
  tokenFrom?: string;
  /** HF_HUB_OFFLINE: no request at all, the cache only. */
  offline: boolean;
  /** How long the revision request may take before the cache is used instead (HF_HUB_ETAG_TIMEOUT). */
  timeoutMs: number;
}

/** A file's download as it goes: bytes so far, the listed size, and how it ended. */
export interface Download extends FileProgress {
  state: 'downloading' | 'done' | 'failed';
}

export interface HubCacheOptions extends HubSettings {
  revision?: string;
  fetchImpl?: typeof fetch;
  /** Downloads only (a file read from the cache reports nothing here), for a progress display. */
  onDownload?: (download: Download) => void;
  /** A file that could not be kept in the cache (the load goes on with its bytes). */
  onWarning?: (message: string) => void;
}

const TRUE_VALUES = new Set(['1', 'ON', 'YES', 'TRUE']);
const COMMIT = /^[0-9a-f]{40}$/;

/** `~` as the shell would expand it, since huggingface_hub expands it in these variables. */
const expandHome = (path: string) =>
  path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;

/** HF_TOKEN, else HUGGING_FACE_HUB_TOKEN, else the file `huggingface-cli login` writes (HF_TOKEN_PATH). */
function hubToken(env: NodeJS.ProcessEnv, hfHome: string): { token?: string; tokenFrom?: string } {
  for (const name of ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN']) {
    const token = env[name]?.trim();
    if (token) return { token, tokenFrom: name };
  }
  const file = expandHome(env.HF_TOKEN_PATH || join(hfHome, 'token'));
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token) return { token, tokenFrom: file };
  } catch {
    // No token file: anonymous requests, as huggingface_hub makes them.
  }
  return {};
}

/**
 * The settings huggingface_hub derives from the environment: the cache at HF_HUB_CACHE, else HF_HOME/hub, else
 * $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub; HF_ENDPOINT; the token; HF_HUB_OFFLINE.
 */
export function hubSettings(env: NodeJS.ProcessEnv = process.env): HubSettings {
  const hfHome = expandHome(
    env.HF_HOME || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'huggingface'),
  );
  const timeout = Number(env.HF_HUB_ETAG_TIMEOUT);
  return {
    endpoint: (env.HF_ENDPOINT || HUB_ENDPOINT).replace(/\/+$/, ''),
    cacheDir: resolve(expandHome(env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE || join(hfHome, 'hub'))),
    ...hubToken(env, hfHome),
    offline: TRUE_VALUES.has((env.HF_HUB_OFFLINE || env.TRANSFORMERS_OFFLINE || '').toUpperCase()),
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : 10_000,
  };
}

/** A repo's folder in the cache: `models--<owner>--<name>`. */
export function repoFolder(cacheDir: string, repo: string): string {
  return join(cacheDir, `models--${repo.split('/').join('--')}`);
}

/** Whether the cache has a snapshot for the revision (what an offline run can load). */
export async function isInHubCache(repo: string, cacheDir: string, revision = 'main'): Promise<boolean> {
  return (await cachedSnapshot(repoFolder(cacheDir, repo), revision)) !== undefined;
}

/**
 * A fetch that sends the token and turns the hub's refusal (401, 403) into one message naming the fix: a gated or
 * private repo needs a token with access.
 */
export function hubFetch(repo: string, settings: HubSettings, fetchImpl: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (settings.token) headers.set('Authorization', `Bearer ${settings.token}`);
    const response = await fetchImpl(input, { ...init, headers });
    if (response.status !== 401 && response.status !== 403) return response;
    const fix = settings.tokenFrom
      ? `the token from ${settings.tokenFrom} has no access to it (accept its terms on the hub, or use another token)`
      : 'set HF_TOKEN to a token with access';
    throw new EngineError('network', `${repo} is gated or private: ${fix} (HTTP ${response.status})`);
  };
}

/** A file of a commit as the hub lists it, with the name its blob has in the cache. */
interface HubFile extends ListedFile {
  etag: string;
  hash: string;
}

/** A commit's files: from the hub (all of them, with hashes to check downloads by), or from the cache alone. */
interface Snapshot {
  commit: string;
  files: ListedFile[];
  /** Set when the hub answered: every file of the commit by path. */
  hub?: Map<string, HubFile>;
  /** Set when the snapshot comes from the cache alone: why the hub was not asked or did not answer. */
  offlineBecause?: string;
}

/** One entry of the revision API's `siblings` with `?blobs=true`. */
interface Sibling {
  rfilename?: string;
  size?: number;
  blobId?: string;
  lfs?: { sha256?: string; size?: number };
}

/** A sibling as a cached file: an LFS file's blob is its SHA-256, a plain file's its git blob id. */
function hubFileOf(s: Sibling): HubFile | undefined {
  if (typeof s.rfilename !== 'string') return undefined;
  const size = s.lfs?.size ?? s.size;
  const sized = typeof size === 'number' ? { size } : {};
  if (s.lfs?.sha256)
    return { path: s.rfilename, ...sized, etag: s.lfs.sha256, hash: `sha256:${s.lfs.sha256}` };
  if (s.blobId) return { path: s.rfilename, ...sized, etag: s.blobId, hash: `git-sha1:${s.blobId}` };
  return undefined;
}

/** The bytes' hash in the listing's form (`sha256:` for LFS files, `git-sha1:` for git blob ids). */
function hashOf(bytes: Uint8Array, kind: string): string {
  if (kind === 'sha256') return createHash('sha256').update(bytes).digest('hex');
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

/** Refuses bytes whose size or hash differ from the hub's listing: a damaged transfer must not be cached. */
function verify(repo: string, file: HubFile, bytes: Uint8Array): void {
  if (file.size !== undefined && bytes.byteLength !== file.size)
    throw new EngineError(
      'invalid-file',
      `${file.path} of ${repo}: ${bytes.byteLength} bytes arrived but the hub lists ${file.size} (corrupt download; nothing was kept)`,
      file.path,
    );
  const [kind, expected] = file.hash.split(':') as [string, string];
  const actual = hashOf(bytes, kind);
  const name = kind === 'sha256' ? 'SHA-256' : 'git blob id';
  if (actual !== expected)
    throw new EngineError(
      'invalid-file',
      `${file.path} of ${repo}: ${name} ${actual} does not match the hub's ${expected} (corrupt download; nothing was kept)`,
      file.path,
    );
}

/** A file's bytes, or undefined when it (or a symlink's blob) is not there. */
async function readIfThere(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new EngineError('invalid-file', `could not read ${path} from the hub cache: ${messageOf(error)}`);
  }
}

/** Writes a file whole or not at all: under a unique `.incomplete` name first, then renamed over the target. */
async function writeAtomically(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.incomplete`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** A snapshot's file pointing at its blob by a relative symlink; a copy where symlinks are refused (Windows). */
async function linkBlob(pointer: string, blob: string): Promise<void> {
  await mkdir(dirname(pointer), { recursive: true });
  // A link left dangling by a removed blob is replaced.
  await rm(pointer, { force: true });
  try {
    await symlink(relative(dirname(pointer), blob), pointer);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'EPERM') throw error;
    await copyFile(blob, pointer);
  }
}

/**
 * The snapshot `refs/<revision>` names (or the revision itself when it is a commit), listed from disk: what an
 * offline run can read. A symlink's blob name gives the file's hash.
 */
async function cachedSnapshot(folder: string, revision: string): Promise<Snapshot | undefined> {
  const ref = COMMIT.test(revision)
    ? revision
    : (await readFile(join(folder, 'refs', revision), 'utf8').catch(() => '')).trim();
  if (!COMMIT.test(ref)) return undefined;
  const root = join(folder, 'snapshots', ref);
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = await Promise.all(
    entries
      .filter((e) => e.isFile() || e.isSymbolicLink())
      .map(async (e): Promise<ListedFile | undefined> => {
        const file = join(e.parentPath, e.name);
        const info = await stat(file).catch(() => undefined);
        if (!info?.isFile()) return undefined;
        const blob = e.isSymbolicLink() ? basename(await readlink(file)) : '';
        const hash = /^[0-9a-f]{64}$/.test(blob)
          ? `sha256:${blob}`
          : COMMIT.test(blob)
            ? `git-sha1:${blob}`
            : undefined;
        return { path: relative(root, file).split('\\').join('/'), size: info.size, ...(hash && { hash }) };
      }),
  );
  const kept = files.filter((f) => f !== undefined);
  return kept.length > 0 ? { commit: ref, files: kept } : undefined;
}

/**
 * A hub repo read through the hub cache. `id` and `repo` are the hub source's, so output names the model as before.
 */
export function hubCacheSource(repo: string, options: HubCacheOptions): ModelSource {
  const revision = options.revision ?? 'main';
  const folder = repoFolder(options.cacheDir, repo);
  const fetchImpl = hubFetch(repo, options, options.fetchImpl);
  // The revision as it is: used only when the hub's API gives no usable answer and nothing is cached.
  const plain = hubSource(repo, options.endpoint, revision, fetchImpl);
  let pending: Promise<Snapshot | undefined> | undefined;
  let refWritten = false;

  /** The commit and its files from the revision API, or why there are none and whether the hub answered at all. */
  async function askHub(): Promise<Snapshot | { failed: string; reachable: boolean }> {
    const url = `${options.endpoint}/api/models/${repo}/revision/${encodeURIComponent(revision)}?blobs=true`;
    let response: Response;
    try {
      response = await fetchImpl(url, { signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (error) {
      if (error instanceof EngineError) throw error;
      return { failed: `${options.endpoint} is unreachable (${messageOf(error)})`, reachable: false };
    }
    if (response.status === 404)
      throw new EngineError('missing-file', `${repo} was not found on ${options.endpoint} (HTTP 404)`);
    const body = response.ok ? ((await response.json().catch(() => undefined)) as unknown) : undefined;
    const { sha, siblings } = (body ?? {}) as { sha?: unknown; siblings?: unknown };
    const files = Array.isArray(siblings) ? (siblings as Sibling[]).map(hubFileOf) : [];
    if (typeof sha !== 'string' || !COMMIT.test(sha) || files.length === 0 || files.includes(undefined))
      return { failed: `the hub's API gave no file list (HTTP ${response.status})`, reachable: true };
    const hub = new Map(files.map((f) => [f!.path, f!]));
    return {
      commit: sha,
      files: [...hub.values()].map(({ path, size, hash }) => ({
        path,
        ...(size !== undefined && { size }),
        hash,
      })),
      hub,
    };
  }

  async function resolveSnapshot(): Promise<Snapshot | undefined> {
    if (options.offline) {
      const kept = await cachedSnapshot(folder, revision);
      if (kept) return { ...kept, offlineBecause: 'HF_HUB_OFFLINE is set' };
      throw new EngineError(
        'network',
        `${repo} is not in the hub cache at ${options.cacheDir}, and HF_HUB_OFFLINE is set (no downloads)`,
      );
    }
    const answer = await askHub();
    if ('commit' in answer) return answer;
    const kept = await cachedSnapshot(folder, revision);
    if (kept) return { ...kept, offlineBecause: answer.failed };
    // The hub answered but its API did not: the files still download, though nothing can be kept.
    if (answer.reachable) return undefined;
    throw new EngineError(
      'network',
      `${repo} is not in the hub cache at ${options.cacheDir}, and ${answer.failed}`,
    );
  }

  const snapshot = () => (pending ??= resolveSnapshot());

  /** refs/<revision> names the commit once a file of it is in the snapshot (never a commit with no snapshot). */
  async function noteRef(commit: string): Promise<void> {
    if (refWritten || revision === commit) return;
    refWritten = true;
    const ref = join(folder, 'refs', revision);
    if ((await readFile(ref, 'utf8').catch(() => '')) !== commit) await writeAtomically(ref, commit);
  }

  /** Downloads a file at the commit and checks it against the listing; progress goes to onDownload. */
  async function download(
    commit: string,
    file: HubFile,
    onProgress?: (p: FileProgress) => void,
  ): Promise<Uint8Array> {
    const atCommit = hubSource(repo, options.endpoint, commit, fetchImpl);
    let loaded = 0;
    const report = (state: Download['state']) =>
      options.onDownload?.({
        file: file.path,
        loaded,
        ...(file.size !== undefined && { total: file.size }),
        state,
      });
    let bytes: Uint8Array;
    try {
      bytes = await atCommit.read(file.path, (p) => {
        loaded = p.loaded;
        onProgress?.(p);
        report('downloading');
      });
      verify(repo, file, bytes);
    } catch (error) {
      report('failed');
      throw error;
    }
    report('done');
    return bytes;
  }

  /** Keeps downloaded bytes as the file's blob and links the snapshot to it; a failure only costs the cache. */
  async function keep(commit: string, file: HubFile, bytes: Uint8Array, blobThere: boolean): Promise<void> {
    const blob = join(folder, 'blobs', file.etag);
    try {
      if (!blobThere) await writeAtomically(blob, bytes);
      await linkBlob(join(folder, 'snapshots', commit, file.path), blob);
      await noteRef(commit);
    } catch (error) {
      options.onWarning?.(
        `could not keep ${file.path} in the hub cache at ${options.cacheDir} (${messageOf(error)}); it will be downloaded again next time`,
      );
    }
  }

  return {
    id: hubBaseUrl(repo, options.endpoint, revision),
    repo,
    async list() {
      const snap = await snapshot();
      return snap ? snap.files : plain.list!();
    },
    async read(path, onProgress) {
      const snap = await snapshot();
      if (!snap) return plain.read(path, onProgress);
      const kept = await readIfThere(join(folder, 'snapshots', snap.commit, path));
      if (kept) {
        onProgress?.({ file: path, loaded: kept.byteLength, total: kept.byteLength });
        if (snap.hub) await noteRef(snap.commit);
        return kept;
      }
      if (!snap.hub)
        throw new EngineError(
          'missing-file',
          `${path} of ${repo} is not in the hub cache at ${options.cacheDir}, and ${snap.offlineBecause}`,
          path,
        );
      const file = snap.hub.get(path);
      if (!file)
        throw new EngineError('missing-file', `${path} is not in ${repo} (commit ${snap.commit})`, path);
      // Another commit may have left the same bytes.
      const blob = await readIfThere(join(folder, 'blobs', file.etag));
      if (blob) onProgress?.({ file: path, loaded: blob.byteLength, total: blob.byteLength });
      const bytes = blob ?? (await download(snap.commit, file, onProgress));
      await keep(snap.commit, file, bytes, blob !== undefined);
      return bytes;
    },
  };
}
