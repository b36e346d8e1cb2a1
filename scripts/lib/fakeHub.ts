/**
 * A local stand-in for the Hugging Face hub's file URLs, for tests: serves model repos as
 * `/<owner>/<name>/resolve/<revision>/<path>`, with the headers the hub sends (X-Repo-Commit, ETag — a plain
 * file's git blob id, and for large files X-Linked-Size and X-Linked-Etag carrying the SHA-256, as for LFS files),
 * CORS, HEAD, a request log, the file listing of `/api/models/<owner>/<name>/tree/<revision>?recursive=true`
 * (entries as the hub writes them: type, oid, size, path, and lfs for large files), and the repo's commit and
 * files from `/api/models/<owner>/<name>/revision/<revision>` (with `?blobs=true`, each file's size, blobId and
 * lfs, as huggingface_hub's `model_info(files_metadata=True)` asks). A repo's commit is a hash of its files, so
 * it changes when a test changes a file. Repos can demand a token, as gated and private repos do. Options
 * imitate a hub that goes wrong: files that change in transit, a repo that refuses (401) or fails (500), an
 * answer that stalls, and a download cut off midway.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';

export interface FakeHub {
  url: string;
  requests: string[];
  /** The Authorization header of each request (undefined when it had none), in the order of `requests`. */
  authorizations: (string | undefined)[];
  /** Requests whose client went away before the whole answer was sent (a cancelled or broken download). */
  abandoned: string[];
  close(): Promise<void>;
}

/** Files at least this big are treated as LFS files (the hub's threshold is 10 MB; ours is small to exercise it). */
const LFS_THRESHOLD = 64 * 1024;

/** A repo: a local folder served as it is, or a map of repo paths to local files (a layout built from fixtures). */
export type FakeRepo = string | Record<string, string>;

export interface FakeHubOptions {
  port?: number;
  /**
   * Changes a file's bytes after its hash headers (ETag, X-Linked-Etag) and the listing were computed: a corrupt
   * transfer. Content-Length is the changed body's, so a shorter or longer body arrives whole.
   */
  tamper?: (path: string, body: Buffer, repo: string) => Buffer;
  /**
   * Sizes the listing reports instead of the real ones, per repo and path: a repo laid out like a real one lists
   * the real one's sizes while it serves small test weights.
   */
  listedSizes?: Record<string, Record<string, number>>;
  /** False: the tree and revision APIs answer 500, as a hub whose API is down (files still download). */
  listing?: boolean;
  /**
   * Repos that demand a token (repo id → the token): without an Authorization header every request for the repo
   * answers 401, with another token 403, as the hub does for a gated or private repo.
   */
  tokens?: Record<string, string>;
  /**
   * Repos that answer every request (files and listing) with an HTTP error: 401 as the hub does for a gated or
   * private repo without a token, 500 as a hub that is down. `errorCode` is sent as X-Error-Code.
   */
  failing?: Record<string, { status: number; errorCode?: string }>;
  /** Holds a file's answer back for `ms`: before its headers, or after `afterBytes` of its body (a stalled hub). */
  stall?: { repo: string; path: string; ms: number; afterBytes?: number };
  /** Sends `afterBytes` of a file (announcing its full length) and then drops the connection. */
  cut?: { repo: string; path: string; afterBytes: number };
}

type FileFault = { repo: string; path: string };
const hits = (fault: FileFault | undefined, repo: string, path: string) =>
  fault?.repo === repo && fault.path === path;

/** Every file of a repo: repo path → local file. */
function repoFiles(repo: FakeRepo): Map<string, string> {
  if (typeof repo !== 'string') return new Map(Object.entries(repo));
  return new Map(
    readdirSync(repo, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const file = join(e.parentPath, e.name);
        return [relative(repo, file).split('\\').join('/'), file] as const;
      }),
  );
}

/**
 * @param repos repo id (`owner/name`) → a local folder, or a map of repo paths to local files
 */
export async function startFakeHub(
  repos: Record<string, FakeRepo>,
  options: FakeHubOptions = {},
): Promise<FakeHub> {
  const requests: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const abandoned: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    authorizations.push(req.headers.authorization);
    res.on('close', () => res.writableFinished || abandoned.push(`${req.method} ${req.url}`));
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader(
      'Access-Control-Expose-Headers',
      'ETag, X-Linked-Size, X-Linked-Etag, X-Repo-Commit, Content-Length, X-Error-Code',
    );
    const path = decodeURIComponent((req.url ?? '').split('?')[0]!);
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/(tree|revision)\/[^/]+\/?$/.exec(path);
    const repoId = api?.[1] ?? /^\/([^/]+\/[^/]+)\/resolve\//.exec(path)?.[1];
    const failure = repoId ? options.failing?.[repoId] : undefined;
    if (failure) {
      res.writeHead(failure.status, {
        'Content-Type': 'application/json',
        ...(failure.errorCode && { 'X-Error-Code': failure.errorCode }),
      });
      res.end(JSON.stringify({ error: `HTTP ${failure.status}` }));
      return;
    }
    if (repoId && refused(repoId, req, res, options.tokens)) return;
    if (api && options.listing === false) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('Internal Error');
      return;
    }
    if (api) {
      const repo = repos[api[1]!];
      if (!repo) {
        res.writeHead(404, { 'Content-Type': 'application/json', 'X-Error-Code': 'RepoNotFound' });
        res.end(JSON.stringify({ error: 'Repository not found' }));
        return;
      }
      const listed = options.listedSizes?.[api[1]!] ?? {};
      const body =
        api[2] === 'tree'
          ? treeEntries(repo, listed)
          : revisionInfo(
              api[1]!,
              repo,
              listed,
              /^true$/i.test(new URL(req.url!, 'http://hub').searchParams.get('blobs') ?? ''),
            );
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
      return;
    }
    const match = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    const repo = match ? repos[match[1]!] : undefined;
    const file = repo && match && !match[3]!.includes('..') ? repoFiles(repo).get(match[3]!) : undefined;
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      const code = repo ? 'EntryNotFound' : 'RepoNotFound';
      res.writeHead(404, { 'Content-Type': 'text/plain', 'X-Error-Code': code });
      res.end(repo ? 'Entry not found' : 'Repository not found');
      return;
    }
    const [repoPath, filePath] = [match![1]!, match![3]!];
    const body = readFileSync(file);
    const sent = options.tamper?.(filePath, body, repoPath) ?? body;
    const sha256 = createHash('sha256').update(body).digest('hex');
    const lfs = body.length >= LFS_THRESHOLD;
    const headers: Record<string, string | number> = {
      'Content-Length': sent.length,
      'Content-Type': 'application/octet-stream',
      'X-Repo-Commit': commitOf(repo!),
      ETag: `"${lfs ? sha256 : gitOid(body)}"`,
    };
    if (lfs) {
      headers['X-Linked-Size'] = body.length;
      headers['X-Linked-Etag'] = `"${sha256}"`;
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, headers);
      res.end();
      return;
    }
    const stall = hits(options.stall, repoPath, filePath) ? options.stall : undefined;
    const cut = hits(options.cut, repoPath, filePath) ? options.cut : undefined;
    void answer(res, headers, sent, stall, cut);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    requests,
    authorizations,
    abandoned,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Answers 401 (no token) or 403 (another token) for a repo that demands a token; true when it did. */
function refused(
  repoId: string,
  req: IncomingMessage,
  res: ServerResponse,
  tokens: Record<string, string> | undefined,
): boolean {
  const token = tokens?.[repoId];
  if (token === undefined || req.headers.authorization === `Bearer ${token}`) return false;
  const status = req.headers.authorization ? 403 : 401;
  res.writeHead(status, { 'Content-Type': 'application/json', 'X-Error-Code': 'GatedRepo' });
  res.end(JSON.stringify({ error: `Access to model ${repoId} is restricted.` }));
  return true;
}

/** Git's blob id: SHA-1 of "blob <length>\0" and the bytes (for an LFS file, the hub's is its pointer's). */
const gitOid = (body: Buffer) =>
  createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');

/** A file as the hub describes it: its size (or the listed one), git blob id, and SHA-256 when it is an LFS file. */
function fileFacts(path: string, file: string, listed: Record<string, number>) {
  const body = readFileSync(file);
  const size = listed[path] ?? body.length;
  const sha256 = createHash('sha256').update(body).digest('hex');
  return { path, size, oid: gitOid(body), ...(size >= LFS_THRESHOLD && { sha256 }) };
}

const sortedFiles = (repo: FakeRepo) => [...repoFiles(repo)].toSorted(([a], [b]) => a.localeCompare(b));

/** The repo's commit: a hash of its paths and their contents, so that editing a file makes a new commit. */
function commitOf(repo: FakeRepo): string {
  const commit = createHash('sha1');
  for (const [path, file] of sortedFiles(repo)) commit.update(`${path}\0${gitOid(readFileSync(file))}\n`);
  return commit.digest('hex');
}

const pause = (ms: number, res: ServerResponse) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    // A client that gives up (a cancelled download) ends the wait.
    res.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Sends a file, stalling or cutting it off where the options say. */
async function answer(
  res: ServerResponse,
  headers: Record<string, string | number>,
  body: Buffer,
  stall: { ms: number; afterBytes?: number } | undefined,
  cut: { afterBytes: number } | undefined,
): Promise<void> {
  if (stall && stall.afterBytes === undefined) await pause(stall.ms, res);
  if (res.destroyed) return;
  res.writeHead(200, headers);
  if (cut) {
    res.write(body.subarray(0, cut.afterBytes), () => res.destroy());
    return;
  }
  if (stall?.afterBytes !== undefined) {
    res.write(body.subarray(0, stall.afterBytes));
    await pause(stall.ms, res);
    if (!res.destroyed) res.end(body.subarray(stall.afterBytes));
    return;
  }
  res.end(body);
}

/** The hub's tree listing of a whole repo: folders, then files with their (or the listed) size. */
function treeEntries(repo: FakeRepo, listed: Record<string, number>) {
  const files = sortedFiles(repo);
  const folders = new Set(
    files.flatMap(([path]) =>
      path
        .split('/')
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
    ),
  );
  return [
    ...[...folders]
      .toSorted()
      .map((path) => ({ type: 'directory', oid: hash(path).slice(0, 40), size: 0, path })),
    ...files.map(([path, file]) => {
      const { size, oid, sha256 } = fileFacts(path, file, listed);
      return {
        type: 'file',
        oid,
        size,
        path,
        ...(sha256 && { lfs: { oid: sha256, size, pointerSize: 134 } }),
      };
    }),
  ];
}

/** The revision API's answer: the commit, and the files as `siblings` (with their blobs' facts when asked). */
function revisionInfo(repoId: string, repo: FakeRepo, listed: Record<string, number>, blobs: boolean) {
  return {
    id: repoId,
    modelId: repoId,
    sha: commitOf(repo),
    siblings: sortedFiles(repo).map(([path, file]) => {
      if (!blobs) return { rfilename: path };
      const { size, oid, sha256 } = fileFacts(path, file, listed);
      return {
        rfilename: path,
        size,
        blobId: oid,
        ...(sha256 && { lfs: { sha256, size, pointerSize: 134 } }),
      };
    }),
  };
}

const hash = (text: string) => createHash('sha1').update(text).digest('hex');
