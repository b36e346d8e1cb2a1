/**
 * A local stand-in for the Hugging Face hub's file URLs, for tests: serves model repos as
 * `/<owner>/<name>/resolve/<revision>/<path>`, with the headers the hub sends (ETag, and for large files
 * X-Linked-Size and X-Linked-Etag carrying the SHA-256, as for LFS files), CORS, HEAD, a request log, and the
 * file listing of `/api/models/<owner>/<name>/tree/<revision>?recursive=true` (entries as the hub writes them:
 * type, oid, size, path, and lfs for large files).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';

export interface FakeHub {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** Files at least this big are treated as LFS files (the hub's threshold is 10 MB; ours is small to exercise it). */
const LFS_THRESHOLD = 64 * 1024;

/** A repo: a local folder served as it is, or a map of repo paths to local files (a layout built from fixtures). */
export type FakeRepo = string | Record<string, string>;

export interface FakeHubOptions {
  port?: number;
  /** Changes a file's bytes after its headers (size, SHA-256) were computed: a corrupt transfer. */
  tamper?: (path: string, body: Buffer) => Buffer;
  /**
   * Sizes the listing reports instead of the real ones, per repo and path: a repo laid out like a real one lists
   * the real one's sizes while it serves small test weights.
   */
  listedSizes?: Record<string, Record<string, number>>;
  /** False: the tree API answers 500, as a hub whose API is down (files still download). */
  listing?: boolean;
}

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
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', 'ETag, X-Linked-Size, X-Linked-Etag, Content-Length');
    const path = decodeURIComponent((req.url ?? '').split('?')[0]!);
    const listing = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/[^/]+\/?$/.exec(path);
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
      res.writeHead(404, { 'Content-Type': 'text/plain', 'X-Error-Code': 'EntryNotFound' });
      res.end('Entry not found');
      return;
    }
    const body = readFileSync(file);
    const sha256 = createHash('sha256').update(body).digest('hex');
    const headers: Record<string, string | number> = {
      'Content-Length': body.length,
      'Content-Type': 'application/octet-stream',
      ETag: `"${sha256}"`,
    };
    if (body.length >= LFS_THRESHOLD) {
      headers['X-Linked-Size'] = body.length;
      headers['X-Linked-Etag'] = `"${sha256}"`;
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : (options.tamper?.(match![3]!, body) ?? body));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
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
