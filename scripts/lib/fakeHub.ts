/**
 * A local stand-in for the Hugging Face hub's file URLs, for tests: serves model repos as
 * `/<owner>/<name>/resolve/<revision>/<path>`, with the headers the hub sends (ETag, and for large files
 * X-Linked-Size and X-Linked-Etag carrying the SHA-256, as for LFS files), CORS, HEAD, a request log, and the
 * file listing of `/api/models/<owner>/<name>/tree/<revision>?recursive=true` (entries as the hub writes them:
 * type, oid, size, path, and lfs for large files). Options imitate a hub that goes wrong: files that change in
 * transit, a repo that refuses (401) or fails (500), an answer that stalls, and a download cut off midway.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';

export interface FakeHub {
  url: string;
  requests: string[];
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
  /** False: the tree API answers 500, as a hub whose API is down (files still download). */
  listing?: boolean;
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
  const abandoned: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.on('close', () => res.writableFinished || abandoned.push(`${req.method} ${req.url}`));
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader(
      'Access-Control-Expose-Headers',
      'ETag, X-Linked-Size, X-Linked-Etag, Content-Length, X-Error-Code',
    );
    const path = decodeURIComponent((req.url ?? '').split('?')[0]!);
    const listing = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/[^/]+\/?$/.exec(path);
    const repoId = listing?.[1] ?? /^\/([^/]+\/[^/]+)\/resolve\//.exec(path)?.[1];
    const failure = repoId ? options.failing?.[repoId] : undefined;
    if (failure) {
      res.writeHead(failure.status, {
        'Content-Type': 'application/json',
        ...(failure.errorCode && { 'X-Error-Code': failure.errorCode }),
      });
      res.end(JSON.stringify({ error: `HTTP ${failure.status}` }));
      return;
    }
    if (listing && options.listing === false) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('Internal Error');
      return;
    }
    if (listing) {
      const repo = repos[listing[1]!];
      if (!repo) {
        res.writeHead(404, { 'Content-Type': 'application/json', 'X-Error-Code': 'RepoNotFound' });
        res.end(JSON.stringify({ error: 'Repository not found' }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(treeEntries(repo, options.listedSizes?.[listing[1]!] ?? {})));
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
    const headers: Record<string, string | number> = {
      'Content-Length': sent.length,
      'Content-Type': 'application/octet-stream',
      ETag: `"${sha256}"`,
    };
    if (body.length >= LFS_THRESHOLD) {
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
    abandoned,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
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
  const files = [...repoFiles(repo)].toSorted(([a], [b]) => a.localeCompare(b));
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
      const body = readFileSync(file);
      const size = listed[path] ?? body.length;
      const sha256 = createHash('sha256').update(body).digest('hex');
      return {
        type: 'file',
        // Git's blob id: SHA-1 of "blob <length>\0" and the bytes (for an LFS file, the hub's is its pointer's).
        oid: createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex'),
        size,
        path,
        ...(size >= LFS_THRESHOLD && { lfs: { oid: sha256, size, pointerSize: 134 } }),
      };
    }),
  ];
}

const hash = (text: string) => createHash('sha1').update(text).digest('hex');
