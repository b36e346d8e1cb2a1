/**
 * A local stand-in for the Hugging Face hub's file URLs, for tests: serves model folders as
 * `/<owner>/<name>/resolve/<revision>/<path>`, with the headers the hub sends (ETag, and for large files
 * X-Linked-Size and X-Linked-Etag carrying the SHA-256, as for LFS files), CORS, HEAD, and a request log.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface FakeHub {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** Files at least this big are treated as LFS files (the hub's threshold is 10 MB; ours is small to exercise it). */
const LFS_THRESHOLD = 64 * 1024;

/**
 * @param repos repo id (`owner/name`) → local folder
 */
export interface FakeHubOptions {
  port?: number;
  /** Changes a file's bytes after its headers (size, SHA-256) were computed: a corrupt transfer. */
  tamper?: (path: string, body: Buffer) => Buffer;
}

export async function startFakeHub(
  repos: Record<string, string>,
  options: FakeHubOptions = {},
): Promise<FakeHub> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', 'ETag, X-Linked-Size, X-Linked-Etag, Content-Length');
    const match = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(
      decodeURIComponent((req.url ?? '').split('?')[0]!),
    );
    const dir = match ? repos[match[1]!] : undefined;
    const file = dir && match ? join(dir, match[3]!) : undefined;
    if (!file || file.includes('..') || !existsSync(file) || !statSync(file).isFile()) {
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
