/**
 * The worker side of the protocol: one request at a time, in order (a cancel and a folder's listing at once);
 * a view run that a newer view run has superseded before it started is answered `cancelled` instead of
 * computed; tensors move with transfer lists.
 */
import { EngineError, messageOf } from '../engine/errors.ts';
import { umapProjection } from '../engine/umap.ts';
import type { FileProgress } from '../engine/modelSource.ts';
import { cacheUsage, clearCache } from './cachedSource.ts';
import { ApplyHost } from './applyHost.ts';
import { TagHost } from './tagHost.ts';
import { EngineHost, type HostOptions } from './engineHost.ts';
import type {
  LinesProgress,
  Port,
  Replies,
  RequestOf,
  RequestType,
  WireError,
  WorkerEvent,
  WorkerRequest,
} from './protocol.ts';

function toWire(error: unknown): WireError {
  if (error instanceof EngineError) return { code: error.code, message: error.message, file: error.file };
  return { code: 'internal', message: messageOf(error) };
}

/**
 * The buffers of every typed array in a message, each once: the one place transfers are decided. Everything a
 * reply holds moves to the page (no copy), so what the worker answers with must be memory it does not keep.
 */
export function transfersOf(message: unknown): Transferable[] {
  const buffers = new Set<ArrayBuffer>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    if (ArrayBuffer.isView(value)) {
      if (value.buffer instanceof ArrayBuffer) buffers.add(value.buffer);
      return;
    }
    for (const inner of Array.isArray(value) ? value : Object.values(value)) visit(inner);
  };
  visit(message);
  return [...buffers];
}

/** How often one file's download progress reaches the page (each is a re-render there). */
const PROGRESS_EVERY_MS = 100;

/**
 * Progress at most every PROGRESS_EVERY_MS per file, and always its first and last report; a report held back
 * follows when its interval ends, so a download that stalls shows how far it got.
 */
export function throttled(report: (p: FileProgress) => void): (p: FileProgress) => void {
  const last = new Map<string, number>();
  const held = new Map<string, FileProgress>();
  const send = (p: FileProgress) => {
    held.delete(p.file);
    last.set(p.file, performance.now());
    report(p);
  };
  return (p) => {
    const now = performance.now();
    const done = p.total !== undefined && p.loaded >= p.total;
    const previous = last.get(p.file);
    if (previous === undefined || done || now - previous >= PROGRESS_EVERY_MS) return send(p);
    if (!held.has(p.file))
      setTimeout(
        () => {
          const latest = held.get(p.file);
          if (latest) send(latest);
        },
        PROGRESS_EVERY_MS - (now - previous),
      );
    held.set(p.file, p);
  };
}

export interface ServeOptions extends Omit<HostOptions, 'onBackendChanged'> {
  storage?: StorageManager;
}

export function serveEngine(port: Port<WorkerEvent, WorkerRequest>, options: ServeOptions): void {
  const send = (event: WorkerEvent) => port.postMessage(event, transfersOf(event));
  /** Answers `request` with its type's reply. */
  const reply = <T extends RequestType>(request: RequestOf<T>, value: Replies[T]) =>
    send({ type: 'reply', id: request.id, value });
  /** Progress of job `id` (lines, or sentences and layers) as it goes. */
  const linesProgress = (id: number) => (progress: LinesProgress) =>
    send({ type: 'lines-progress', id, progress });
  const host = new EngineHost({
    ...options,
    onBackendChanged: (info, notice) => send({ type: 'backend-changed', id: 0, info, notice }),
  });
  const apply = new ApplyHost(() => host.requireEngine());
  const tags = new TagHost(() => host.requireEngine());
  let latestViewRun = 0;
  let queue: Promise<void> = Promise.resolve();

  const handle = async (request: WorkerRequest): Promise<void> => {
    switch (request.type) {
      case 'load': {
        const info = await host.load(
          request,
          throttled((p) => send({ type: 'progress', id: request.id, ...p })),
          () => send({ type: 'warming', id: request.id }),
        );
        reply(request, info);
        return;
      }
      case 'run': {
        if (request.want.lane === 'view' && request.id !== latestViewRun) return reply(request, null);
        reply(request, await host.run(request.id, request.text, request.pair, request.want));
        return;
      }
      case 'layers': {
        reply(request, host.layers(request.runId, request.layers) ?? null);
        return;
      }
      case 'attention': {
        reply(request, await host.attention(request.runId, request.layer, request.head, request.hide));
        return;
      }
      case 'attention-thumbnails': {
        const { runId, layers, size, hide } = request;
        reply(request, await host.attentionThumbnails(runId, layers, size, hide));
        return;
      }
      case 'attention-row': {
        reply(request, await host.attentionRow(request.runId, request.layer, request.head, request.query));
        return;
      }
      case 'release-scores':
        reply(request, await host.releaseScores());
        return;
      case 'factorized': {
        reply(request, host.factorized(request.runId));
        return;
      }
      case 'projection': {
        reply(request, await host.projection(request));
        return;
      }
      case 'compare':
        reply(request, await apply.compare(request.id, request.a, request.b));
        return;
      case 'alignment': {
        reply(request, apply.alignment(request.compareId, request.layer));
        return;
      }
      case 'embed-lines': {
        const done = await apply.embedLines(
          request.id,
          request.lines,
          request.pooling,
          request.batchSize,
          request.layer,
          (progress, partial) => send({ type: 'lines-progress', id: request.id, progress, partial }),
        );
        reply(request, done);
        return;
      }
      case 'lines-view': {
        reply(request, await apply.linesView(request.setId, request.layer, request.query));
        return;
      }
      case 'lines-vectors': {
        reply(request, apply.linesVectors(request.setId, request.layer));
        return;
      }
      case 'classify': {
        const done = await apply.classify(
          request.id,
          request.examples,
          request.texts,
          request.pooling,
          request.layer,
          request.k,
          linesProgress(request.id),
        );
        reply(request, done);
        return;
      }
      case 'classify-view':
        reply(request, apply.classifyView(request.setId, request.layer, request.k, request.pooling));
        return;
      case 'tag': {
        const { examples, text, layer, k } = request;
        reply(request, await tags.tag(request.id, examples, text, layer, k, linesProgress(request.id)));
        return;
      }
      case 'tag-view':
        reply(request, tags.tagView(request.setId, request.layer, request.k));
        return;
      case 'probe':
        reply(request, await tags.probe(request.id, request.probe, linesProgress(request.id)));
        return;
      case 'umap': {
        const { source, neighbours, minDist, seed, k } = request;
        const points =
          source.kind === 'tokens'
            ? await host.tokenVectors(source)
            : source.kind === 'lines'
              ? apply.linePoints(source.setId, source.layer)
              : { vectors: source.vectors, labels: [], groups: [], groupNames: [] };
        const { vectors, ...named } = points;
        const umap = await apply.umap(request.id, vectors, { neighbours, minDist, seed, k }, (progress) =>
          send({ type: 'umap-progress', id: request.id, progress }),
        );
        const projection = umapProjection(umap);
        reply(request, { ...named, projection, layers: 1, umap, cancelled: umap.cancelled });
        return;
      }
      case 'cancel':
        return; // handled as it arrives, below
      case 'export': {
        reply(request, await host.export(request.runId, request.what, request.layer, request.shown));
        return;
      }
      case 'cache-usage':
        if (!options.caches) throw new EngineError('input', 'this browser has no Cache API');
        reply(request, await cacheUsage(options.caches, options.storage));
        return;
      case 'cache-clear':
        if (options.caches) await clearCache(options.caches);
        host.forgetListing();
        reply(request, undefined);
        return;
      case 'debug':
        if (request.action === 'crash') {
          setTimeout(() => {
            throw new Error('simulated worker crash');
          });
          return;
        }
        await host.loseDevice();
        reply(request, undefined);
    }
  };

  port.onmessage = ({ data: request }) => {
    if (request.type === 'run' && request.want.lane === 'view') latestViewRun = request.id;
    // A cancel must not wait behind the job it stops.
    if (request.type === 'cancel') {
      apply.cancel(request.target);
      tags.cancel(request.target);
      host.cancelLoad(request.target);
      reply(request, undefined);
      return;
    }
    // A listing touches no engine: it must not hold up the load it comes with (they share it, see sourceFor).
    if (request.type === 'list') {
      void host.list(request.model).then(
        (files) => reply(request, files),
        (error: unknown) => send({ type: 'error', id: request.id, error: toWire(error) }),
      );
      return;
    }
    queue = queue.then(() =>
      handle(request).catch((error: unknown) =>
        send({ type: 'error', id: request.id, error: toWire(error) }),
      ),
    );
  };
}
