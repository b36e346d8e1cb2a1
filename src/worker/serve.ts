/**
 * The worker side: answers protocol requests with the engine. Kept apart from the worker entry so that tests
 * can drive it through a fake port.
 */
import { AlbertEngine, type AlbertRun } from '../engine/albert.ts';
import type { HostEnvironment } from '../engine/backend.ts';
import { EngineError, messageOf } from '../engine/errors.ts';
import { hubBaseUrl, urlSource, type ModelSource } from '../engine/modelSource.ts';
import type { OrtModule } from '../engine/session.ts';
import type { ModelLocation, Port, WireError, WorkerEvent, WorkerRequest } from './protocol.ts';

export interface ServeOptions {
  ort: () => Promise<OrtModule>;
  host: () => HostEnvironment;
  /** Resolves site paths such as `/models/x/` against the page. */
  baseUrl: string;
  /** Overrides where files come from (tests read folders from disk). */
  source?: (location: ModelLocation) => ModelSource;
}

function toWire(error: unknown): WireError {
  if (error instanceof EngineError) return { code: error.code, message: error.message, file: error.file };
  return { code: 'internal', message: messageOf(error) };
}

/** Buffers of every tensor in a run, each once, to move instead of copy. */
export function transferList(run: AlbertRun): Transferable[] {
  const buffers = new Set<ArrayBufferLike>();
  for (const t of [
    ...run.hiddenStates,
    ...run.attentions,
    ...run.attentionScores,
    ...(run.logits ? [run.logits] : []),
  ])
    buffers.add(t.data.buffer);
  return [...buffers] as Transferable[];
}

function sourceFor(location: ModelLocation, baseUrl: string): ModelSource {
  if (location.kind === 'hub') return urlSource(hubBaseUrl(location.repo, location.endpoint));
  return urlSource(new URL(location.url, baseUrl).href);
}

export function serveEngine(port: Port<WorkerEvent, WorkerRequest>, options: ServeOptions): void {
  let engine: AlbertEngine | undefined;
  const send = (event: WorkerEvent, transfer: Transferable[] = []) => port.postMessage(event, transfer);

  port.onmessage = async ({ data: request }) => {
    try {
      if (request.type === 'load') {
        const previous = engine;
        engine = undefined;
        await previous?.dispose();
        const source = options.source?.(request.model) ?? sourceFor(request.model, options.baseUrl);
        engine = await AlbertEngine.load({
          source,
          ort: await options.ort(),
          host: options.host(),
          backend: request.backend,
          dtype: request.dtype,
          modelFile: request.modelFile,
          onProgress: (p) => send({ type: 'progress', id: request.id, ...p }),
        });
        const c = engine.config;
        send({
          type: 'ready',
          id: request.id,
          info: {
            model: source.id,
            modelFile: engine.modelFile,
            layers: c.num_hidden_layers,
            heads: c.num_attention_heads,
            hiddenSize: c.hidden_size,
            embeddingSize: c.embedding_size,
            maxLength: engine.tokenizer.maxLength,
            hasLogits: engine.prepared.outputs.logits !== undefined,
            backend: engine.backend,
            timings: engine.loadTimings,
          },
        });
      } else {
        if (!engine) throw new EngineError('input', 'no model is loaded yet');
        const run = await engine.run(request.text, request.pair, request.outputs);
        send({ type: 'result', id: request.id, run }, transferList(run));
      }
    } catch (error) {
      send({ type: 'error', id: request.id, error: toWire(error) });
    }
  };
}
