/**
 * Where a model folder's files come from: a URL base (a site path, any http(s) folder, or the Hugging Face
 * hub's `/<repo>/resolve/<revision>/` layout). The filesystem source lives in ./node/fsSource.ts so that
 * browser bundles never see `node:fs`. Reads report byte progress per file.
 */
import { DTYPE_FACTS, DTYPES } from './dtypes.ts';
import { EngineError, messageOf } from './errors.ts';
import { PROVENANCE_FILE, SENTENCE_LAYOUT_FILES } from './layoutFiles.ts';

export interface FileProgress {
  file: string;
  loaded: number;
  /** Content-Length when the server sent one. */
  total?: number;
}

/**
 * A file of a model folder as a listing gives it: path inside the folder, size in bytes when known, and a hash
 * of its content when the listing states one (`sha256:<hex>`, or `git-sha1:<hex>` for a git blob id).
 */
export interface ListedFile {
  path: string;
  size?: number;
  hash?: string;
}

/** One entry of the hub's tree API. */
interface TreeEntry {
  type?: string;
  path?: string;
  size?: number;
  oid?: string;
  lfs?: { oid?: string };
}

/** A tree entry as a listed file: an LFS file's hash is its SHA-256, a plain file's its git blob id. */
function listedFromTree(e: TreeEntry & { path: string }): ListedFile {
  const hash = e.lfs?.oid ? `sha256:${e.lfs.oid}` : e.oid ? `git-sha1:${e.oid}` : undefined;
  return { path: e.path, ...(typeof e.size === 'number' && { size: e.size }), ...(hash && { hash }) };
}

export interface ModelSource {
  /** A stable identity for caches and messages: a URL or an absolute path. */
  readonly id: string;
  /** The hub repo (`owner/name`) the folder is, when it is one. */
  readonly repo?: string;
  /** Reads one file of the folder; rejects with EngineError('missing-file') if it does not exist. */
  read(path: string, onProgress?: (p: FileProgress) => void): Promise<Uint8Array>;
  /**
   * The folder's files (every file, or at least the ONNX files and the sentence-transformers layout files), when
   * the source can tell; rejects when the listing cannot be had (the caller then goes without one).
   */
  list?(): Promise<ListedFile[]>;
}

/**
 * Files a folder URL is probed for when no listing exists (a plain static host): the eight dtypes' files, the
 * sentence-transformers layout, its ORT-optimized and quantized exports, and the provenance models:fetch writes.
 */
export const PROBED_FILES = [
  ...SENTENCE_LAYOUT_FILES,
  PROVENANCE_FILE,
  ...DTYPES.map((d) => DTYPE_FACTS[d].file),
  ...['O1', 'O2', 'O3', 'O4', 'qint8_arm64', 'qint8_avx512', 'qint8_avx512_vnni', 'quint8_avx2'].map(
    (variant) => `onnx/model_${variant}.onnx`,
  ),
];

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

/** Whether a HEAD answer means the file is there (a single-page-app host answers index.html for anything). */
function present(response: Response): boolean {
  return response.ok && !response.headers.get('content-type')?.includes('text/html');
}

/**
 * A folder with no listing: HEAD each file a model folder may hold (sizes from Content-Length). A host that
 * answers no HEAD at all gives no listing (an error), not an empty one, so the folder still loads by name.
 */
async function probeFolder(root: string, fetchImpl: typeof fetch): Promise<ListedFile[]> {
  const probes = await Promise.all(
    PROBED_FILES.map(async (path) => {
      const response = await fetchImpl(root + path, { method: 'HEAD' }).catch(() => undefined);
      if (!response || !present(response)) return undefined;
      const size = Number(response.headers.get('content-length'));
      return { path, ...(Number.isFinite(size) && size > 0 ? { size } : {}) };
    }),
  );
  const found = probes.filter((p) => p !== undefined);
  if (found.length === 0)
    throw new EngineError('network', `${root} answered no HEAD request for a model file`);
  return found;
}

/**
 * A hub repo: files from `/<repo>/resolve/<revision>/`, the listing from the hub's tree API
 * (`/api/models/<repo>/tree/<revision>?recursive=true`), which gives every file's real size (LFS included).
 */
export function hubSource(
  repo: string,
  endpoint = HUB_ENDPOINT,
  revision = 'main',
  fetchImpl: typeof fetch = fetch,
): ModelSource {
  const files = urlSource(hubBaseUrl(repo, endpoint, revision), fetchImpl);
  const api = `${endpoint.replace(/\/+$/, '')}/api/models/${repo}/tree/${revision}?recursive=true`;
  return {
    ...files,
    repo,
    async list() {
      const response = await fetchImpl(api);
      if (!response.ok) throw new EngineError('network', `listing ${repo} failed: HTTP ${response.status}`);
      const entries = (await response.json()) as TreeEntry[];
      if (!Array.isArray(entries)) throw new EngineError('network', `listing ${repo}: not a file list`);
      return entries
        .filter((e): e is TreeEntry & { path: string } => e.type === 'file' && typeof e.path === 'string')
        .map(listedFromTree);
    },
  };
}

/**
 * @param listing the folder's files when the site states them (its models manifest, with hashes), so that
 *   nothing is probed
 */
export function urlSource(
  base: string,
  fetchImpl: typeof fetch = fetch,
  listing?: ListedFile[],
): ModelSource {
  const root = base.endsWith('/') ? base : `${base}/`;
  return {
    id: root,
    list: async () => listing ?? probeFolder(root, fetchImpl),
    async read(path, onProgress) {
      const url = root + path;
      let response: Response;
      try {
        response = await fetchImpl(url);
      } catch (error) {
        // A fetch that already says what went wrong (the CLI's, for a refused token) is not reworded.
        if (error instanceof EngineError) throw error;
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
