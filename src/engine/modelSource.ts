/**
 * Where a model folder's files come from: a URL base (a site path, any http(s) folder, or the Hugging Face
 * hub's `/<repo>/resolve/<revision>/` layout). The filesystem source lives in ./node/fsSource.ts so that
 * browser bundles never see `node:fs`. Reads report byte progress per file.
 */
import { EngineError, messageOf } from './errors.ts';

export interface FileProgress {
  file: string;
  loaded: number;
  /** Content-Length when the server sent one. */
  total?: number;
}

export interface ModelSource {
  /** A stable identity for caches and messages: a URL or an absolute path. */
  readonly id: string;
  /** Reads one file of the folder; rejects with EngineError('missing-file') if it does not exist. */
  read(path: string, onProgress?: (p: FileProgress) => void): Promise<Uint8Array>;
}

export const HUB_ENDPOINT = 'https://huggingface.co';

/** `owner/name` (the hub's repo id form), as opposed to a path or URL. */
export function isHubId(value: string): boolean {
  return (
    /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(value) && !value.startsWith('.') && !/\.(onnx|json)$/.test(value)
  );
}

export function hubBaseUrl(repoId: string, endpoint = HUB_ENDPOINT, revision = 'main'): string {
  return `${endpoint.replace(/\/+$/, '')}/${repoId}/resolve/${revision}/`;
}

/** Reads a response body chunk by chunk so progress can be reported. */
async function readBody(
  response: Response,
  file: string,
  onProgress?: (p: FileProgress) => void,
): Promise<Uint8Array> {
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : undefined;
  if (!response.body || !onProgress) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  onProgress({ file, loaded, total });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress({ file, loaded, total });
  }
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export function urlSource(base: string, fetchImpl: typeof fetch = fetch): ModelSource {
  const root = base.endsWith('/') ? base : `${base}/`;
  return {
    id: root,
    async read(path, onProgress) {
      const url = root + path;
      let response: Response;
      try {
        response = await fetchImpl(url);
      } catch (error) {
        throw new EngineError(
          'network',
          `could not download ${path} from ${url}: ${messageOf(error)} (no network, or the server refused the request)`,
          path,
        );
      }
      if (response.status === 404)
        throw new EngineError('missing-file', `${path} not found at ${url} (HTTP 404)`, path);
      if (!response.ok)
        throw new EngineError(
          'network',
          `could not download ${path} from ${url}: HTTP ${response.status}`,
          path,
        );
      // Single-page-app hosting answers unknown paths with index.html and a 200.
      if (response.headers.get('content-type')?.includes('text/html'))
        throw new EngineError(
          'missing-file',
          `${path} not found at ${url} (the server sent a web page instead)`,
          path,
        );
      try {
        return await readBody(response, path, onProgress);
      } catch (error) {
        throw new EngineError(
          'network',
          `download of ${path} from ${url} broke off: ${messageOf(error)}`,
          path,
        );
      }
    },
  };
}
