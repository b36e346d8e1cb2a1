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
  /**
   * Reads one file of the folder; rejects with EngineError('missing-file') if it does not exist, and with
   * EngineError('cancelled') once `signal` aborts (a network source aborts its download with it).
   */
  read(path: string, onProgress?: (p: FileProgress) => void, signal?: AbortSignal): Promise<Uint8Array>;
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

/** The error of a load the user cancelled: its downloads were aborted. */
export function loadCancelled(): EngineError {
  return new EngineError('cancelled', 'loading was cancelled');
}

/**
 * `promise`, or a cancelled error as soon as `signal` aborts: a wait the user called off ends at once, whether
 * or not the work behind it can be stopped.
 */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(loadCancelled());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(loadCancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A download that stopped before its end, saying how far it got. */
function brokeOff(file: string, url: string, loaded: number, total: number | undefined, detail: string) {
  const got = total === undefined ? `${loaded} bytes` : `${loaded} of ${total} bytes`;
  return new EngineError(
    'network',
    `the download of ${file} from ${url} broke off after ${got} (${detail}): load the model again to retry`,
    file,
  );
}

/**
 * Reads a response body chunk by chunk so progress can be reported. The last report of a file always states
 * its total (its length, when the server sent none), so a listener can tell a finished file from a waiting one.
 */
async function readBody(
  response: Response,
  url: string,
  file: string,
  onProgress?: (p: FileProgress) => void,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : undefined;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  try {
    if (!response.body) {
      chunks.push(new Uint8Array(await response.arrayBuffer()));
      loaded = chunks[0]!.byteLength;
    } else {
      const reader = response.body.getReader();
      onProgress?.({ file, loaded, total });
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.byteLength;
        onProgress?.({ file, loaded, total });
      }
    }
  } catch (error) {
    if (signal?.aborted) throw loadCancelled();
    throw brokeOff(file, url, loaded, total, messageOf(error));
  }
  if (total !== loaded) onProgress?.({ file, loaded, total: loaded });
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

/** What a host's refusal of one file means, in words: an EngineError, or undefined for the plain wording. */
export type Refusal = (response: Response, path: string) => EngineError | undefined;

/** What the browser app and the CLI say about a repo they may not read: neither sends a Hugging Face token. */
export const NO_TOKEN = 'no Hugging Face token is sent';

/**
 * The hub's refusals as a person reads them: a repo that needs a token (the hub answers 401 for gated and
 * private repos, and for missing ones to anyone without a token), a repo or file that is not there, and the
 * hub's own failures. `X-Error-Code` tells them apart where the hub lets it be read.
 */
export function hubRefusal(repo: string, tokenNote = NO_TOKEN): Refusal {
  return (response, path) => {
    const { status } = response;
    const code = response.headers.get('x-error-code');
    if (status === 401 || status === 403) {
      const what =
        code === 'GatedRepo' ? 'is gated on the hub' : 'is gated or private on the hub, or does not exist';
      return new EngineError('network', `${repo} ${what} (HTTP ${status}), and ${tokenNote}`, path);
    }
    if (status === 404 && code === 'RepoNotFound')
      return new EngineError(
        'missing-file',
        `${repo} was not found on the hub (HTTP 404): check the repo id`,
        path,
      );
    if (status === 404)
      return new EngineError('missing-file', `${path} was not found in ${repo} on the hub (HTTP 404)`, path);
    if (status === 429)
      return new EngineError(
        'network',
        `the hub is limiting requests (HTTP 429): try again in a minute`,
        path,
      );
    if (status >= 500)
      return new EngineError(
        'network',
        `the hub failed to send ${path} of ${repo} (HTTP ${status}): try again later`,
        path,
      );
    return undefined;
  };
}

/**
 * A hub repo: files from `/<repo>/resolve/<revision>/`, the listing from the hub's tree API
 * (`/api/models/<repo>/tree/<revision>?recursive=true`), which gives every file's real size (LFS included).
 *
 * @param tokenNote how a refusal for want of a token ends (the browser app says what to do instead)
 */
export function hubSource(
  repo: string,
  endpoint = HUB_ENDPOINT,
  revision = 'main',
  fetchImpl: typeof fetch = fetch,
  tokenNote = NO_TOKEN,
): ModelSource {
  const files = urlSource(
    hubBaseUrl(repo, endpoint, revision),
    fetchImpl,
    undefined,
    hubRefusal(repo, tokenNote),
  );
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
 * @param refusal what the host's HTTP errors mean, where it says more than the status (the hub)
 */
export function urlSource(
  base: string,
  fetchImpl: typeof fetch = fetch,
  listing?: ListedFile[],
  refusal?: Refusal,
): ModelSource {
  const root = base.endsWith('/') ? base : `${base}/`;
  return {
    id: root,
    list: async () => listing ?? probeFolder(root, fetchImpl),
    async read(path, onProgress, signal) {
      const url = root + path;
      let response: Response;
      try {
        response = await (signal ? fetchImpl(url, { signal }) : fetchImpl(url));
      } catch (error) {
        if (signal?.aborted) throw loadCancelled();
        // A fetch that already says what went wrong (the CLI's, for a refused token) is not reworded.
        if (error instanceof EngineError) throw error;
        throw new EngineError(
          'network',
          `could not download ${path} from ${url}: ${messageOf(error)} (no network, or the server refused the request)`,
          path,
        );
      }
      if (!response.ok) {
        // The body of a refusal is not wanted.
        void response.body?.cancel().catch(() => undefined);
        throw refusal?.(response, path) ?? httpError(response.status, path, url);
      }
      // Single-page-app hosting answers unknown paths with index.html and a 200.
      if (response.headers.get('content-type')?.includes('text/html'))
        throw new EngineError(
          'missing-file',
          `${path} not found at ${url} (the server sent a web page instead)`,
          path,
        );
      return readBody(response, url, path, onProgress, signal);
    },
  };
}

function httpError(status: number, path: string, url: string): EngineError {
  if (status === 404) return new EngineError('missing-file', `${path} not found at ${url} (HTTP 404)`, path);
  return new EngineError('network', `could not download ${path} from ${url}: HTTP ${status}`, path);
}
