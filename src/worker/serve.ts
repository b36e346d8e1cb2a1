/**
 * The worker side of the protocol: one request at a time, in order (a cancel and a folder's listing at once);
 * a view run that a newer view run has superseded before it started is answered `cancelled` instead of
 * computed; tensors move with transfer lists.
 */
import { EngineError, messageOf } from '../engine/errors.ts';
import type { FileProgress } from '../engine/modelSource.ts';
import type { FloatTensor } from '../engine/types.ts';
import { cacheUsage, clearCache } from './cachedSource.ts';
import { ApplyHost } from './applyHost.ts';
import { EngineHost, type HostOptions } from './engineHost.ts';
import type { Port, RunView, WireError, WorkerEvent, WorkerRequest } from './protocol.ts';

function toWire(error: unknown): WireError {
  if (error instanceof EngineError) return { code: error.code, message: error.message, file: error.file };
  return { code: 'internal', message: messageOf(error) };
}

/** Buffers of every tensor in a message, each once, to move instead of copy. */
export function transferList(tensors: FloatTensor[]): Transferable[] {
  return [...new Set(tensors.map((t) => t.data.buffer))] as Transferable[];
}

function tensorsOf(run: RunView): FloatTensor[] {
  return [
    ...Object.values(run.hiddenStates),
    ...(run.attentions ?? []),
    ...(run.layerCosines ? [run.layerCosines] : []),
  ];
}

/** How often one file's download progress reaches the page (each is a re-render there). */
const PROGRESS_EVERY_MS = 100;

/** Progress at most every PROGRESS_EVERY_MS per file, and always its first and last report. */
function throttled(report: (p: FileProgress) => void): (p: FileProgress) => void {
  const last = new Map<string, number>();
  return (p) => {
    const now = performance.now();
    const done = p.total !== undefined && p.loaded >= p.total;
    const previous = last.get(p.file);
    if (previous !== undefined && !done && now - previous < PROGRESS_EVERY_MS) return;
    last.set(p.file, now);
    report(p);
  };
}

export interface ServeOptions extends Omit<HostOptions, 'onBackendChanged'> {
  storage?: StorageManager;
}

export function serveEngine(port: Port<WorkerEvent, WorkerRequest>, options: ServeOptions): void {
  const send = (event: WorkerEvent, transfer: Transferable[] = []) => port.postMessage(event, transfer);
  const host = new EngineHost({
    ...options,
    onBackendChanged: (info, notice) => send({ type: 'backend-changed', id: 0, info, notice }),
  });
  const apply = new ApplyHost(() => host.requireEngine());
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
        send({ type: 'ready', id: request.id, info });
        return;
      }
      case 'run': {
        if (request.want.lane === 'view' && request.id !== latestViewRun) {
          send({ type: 'cancelled', id: request.id });
          return;
        }
        const run = await host.run(request.id, request.text, request.pair, request.want);
        send({ type: 'result', id: request.id, run }, transferList(tensorsOf(run)));
        return;
      }
      case 'layers': {
        const hiddenStates = host.layers(request.runId, request.layers);
        if (!hiddenStates) send({ type: 'cancelled', id: request.id });
        else
          send(
            { type: 'layers', id: request.id, runId: request.runId, hiddenStates },
            transferList(Object.values(hiddenStates)),
          );
        return;
      }
      case 'attention': {
        const { map, tokens } = await host.attention(
          request.runId,
          request.layer,
          request.head,
          request.hide,
        );
        send({ type: 'attention', id: request.id, map, tokens }, [map.data.buffer as Transferable]);
        return;
      }
      case 'attention-thumbnails': {
        const { maps, tokens } = await host.attentionThumbnails(
          request.runId,
          request.layers,
          request.size,
          request.hide,
        );
        send({ type: 'thumbnails', id: request.id, maps, tokens }, [maps.data.buffer as Transferable]);
        return;
      }
      case 'attention-row': {
        const row = await host.attentionRow(request.runId, request.layer, request.head, request.query);
        send({ type: 'attention-row', id: request.id, ...row }, [
          row.scores.buffer as Transferable,
          row.probabilities.buffer as Transferable,
        ]);
        return;
      }
      case 'release-scores':
        await host.releaseScores();
        send({ type: 'done', id: request.id });
        return;
      case 'factorized': {
        const tensor = host.factorized(request.runId);
        send({ type: 'tensor', id: request.id, tensor }, [tensor.data.buffer as Transferable]);
        return;
      }
      case 'projection': {
        const view = await host.projection(request);
        send({ type: 'projection', id: request.id, view }, [view.projection.scores.buffer as Transferable]);
        return;
      }
      case 'compare':
        send({
          type: 'compare',
          id: request.id,
          view: await apply.compare(request.id, request.a, request.b),
        });
        return;
      case 'alignment': {
        const alignment = apply.alignment(request.compareId, request.layer);
        send({ type: 'alignment', id: request.id, alignment }, [
          alignment.cosines.data.buffer as Transferable,
        ]);
        return;
      }
      case 'embed-lines': {
        const { count, cancelled, truncated, maxLength } = await apply.embedLines(
          request.id,
          request.lines,
          request.pooling,
          request.batchSize,
          request.layer,
          (progress, partial) =>
            send(
              { type: 'lines-progress', id: request.id, progress, partial },
              partial ? [partial.matrix.data.buffer as Transferable] : [],
            ),
        );
        send({ type: 'lines-done', id: request.id, count, cancelled, truncated, maxLength });
        return;
      }
      case 'lines-view': {
        const view = await apply.linesView(request.setId, request.layer, request.query);
        send({ type: 'lines-view', id: request.id, view }, [view.matrix.data.buffer as Transferable]);
        return;
      }
      case 'lines-vectors': {
        const tensor = apply.linesVectors(request.setId, request.layer);
        send({ type: 'tensor', id: request.id, tensor }, [tensor.data.buffer as Transferable]);
        return;
      }
      case 'classify': {
        const { results, cancelled, truncated, maxLength } = await apply.classify(
          request.id,
          request.examples,
          request.texts,
          request.pooling,
          request.layer,
          request.k,
          (progress) => send({ type: 'lines-progress', id: request.id, progress }),
        );
        send({ type: 'classified', id: request.id, results, cancelled, truncated, maxLength });
        return;
      }
      case 'cancel':
        return; // handled as it arrives, below
      case 'export': {
        const files = await host.export(request.runId, request.what, request.layer);
        send(
          { type: 'files', id: request.id, files },
          files.map((f) => f.bytes.buffer as Transferable),
        );
        return;
      }
      case 'cache-usage':
        if (!options.caches) throw new EngineError('input', 'this browser has no Cache API');
        send({
          type: 'cache-usage',
          id: request.id,
          usage: await cacheUsage(options.caches, options.storage),
        });
        return;
      case 'cache-clear':
        if (options.caches) await clearCache(options.caches);
        send({ type: 'done', id: request.id });
        return;
      case 'debug':
        if (request.action === 'crash') {
          setTimeout(() => {
            throw new Error('simulated worker crash');
          });
          return;
        }
        await host.loseDevice();
        send({ type: 'done', id: request.id });
    }
  };

  port.onmessage = ({ data: request }) => {
    if (request.type === 'run' && request.want.lane === 'view') latestViewRun = request.id;
    // A cancel must not wait behind the job it stops.
    if (request.type === 'cancel') {
      apply.cancel(request.target);
      send({ type: 'done', id: request.id });
      return;
    }
    // A listing touches no engine: it must not hold up the load it comes with (they share it, see sourceFor).
    if (request.type === 'list') {
      void host.list(request.model).then(
        (files) => send({ type: 'listing', id: request.id, ...(files && { files }) }),
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
