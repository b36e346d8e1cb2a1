/**
 * `window.albertPlayground`: a typed handle for end-to-end tests and for people at the browser console,
 * computed by the worker with the page's current model and backend. Numbers come back as nested arrays:
 * hiddenStates[layer 0..L][token][hidden], attentions[layer][head][query][key].
 */
import type { PoolingRequest } from '../engine/sentenceModel.ts';
import type { BackendInfo, FloatTensor } from '../engine/types.ts';
import { useStore } from '../state/store.ts';
import type { Controller } from './controller.ts';

export interface EmbedResult {
  tokens: string[];
  ids: number[];
  tokenTypeIds: number[];
  hiddenStates: number[][][];
  /** Empty when the file fuses attention; `attentionUnavailable` then says why. */
  attentions: number[][][][];
  attentionUnavailable?: string;
  backend: BackendInfo;
}

export interface AlbertPlaygroundApi {
  ready(): Promise<{ model: string; backend: BackendInfo }>;
  embed(text: string, pair?: string): Promise<EmbedResult>;
  /**
   * Pooled vectors of many lines, embedded by the worker in batches (as "Many sentences" does); `ms` is the
   * wall time from the request to the last batch, for benchmarks.
   */
  embedLines(
    lines: string[],
    options: { batchSize: number; pooling: PoolingRequest; layer: number },
  ): Promise<{ vectors: number[][]; ms: number; backend: string }>;
  /** Test hooks: lose the WebGPU device, crash the worker. */
  debug(action: 'lose-device' | 'crash'): Promise<void>;
}

declare global {
  interface Window {
    albertPlayground?: AlbertPlaygroundApi;
  }
}

/** Nests a row-major tensor by its dims. */
export function nested(t: FloatTensor): unknown[] {
  const build = (offset: number, axis: number): unknown[] => {
    const size = t.dims[axis]!;
    if (axis === t.dims.length - 1) return Array.from(t.data.subarray(offset, offset + size));
    const stride = t.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: size }, (_, i) => build(offset + i * stride, axis + 1));
  };
  return build(0, 0);
}

export function automationApi(controller: Controller): AlbertPlaygroundApi {
  return {
    async ready() {
      await controller.ready();
      const { info } = useStore.getState();
      return { model: info!.model, backend: info!.backend };
    },
    async embed(text, pair) {
      await controller.ready();
      const run = await controller.client.run(text, pair, { layers: 'all', attentions: true, lane: 'api' });
      if (!run) throw new Error('the run was cancelled');
      const layers = Object.keys(run.hiddenStates)
        .map(Number)
        .toSorted((a, b) => a - b);
      return {
        tokens: run.tokens,
        ids: run.ids,
        tokenTypeIds: run.tokenTypeIds,
        hiddenStates: layers.map((i) => nested(run.hiddenStates[i]!) as number[][]),
        attentions: (run.attentions ?? []).map((t) => nested(t) as number[][][]),
        ...(useStore.getState().info?.attentionUnavailable && {
          attentionUnavailable: useStore.getState().info!.attentionUnavailable,
        }),
        backend: run.backend,
      };
    },
    async embedLines(lines, options) {
      await controller.ready();
      const started = performance.now();
      const job = controller.client.embedLines({ lines, ...options }, () => undefined);
      const { cancelled } = await job.done;
      const ms = performance.now() - started;
      if (cancelled) throw new Error('the lines were cancelled');
      const vectors = await controller.client.linesVectors(job.id, options.layer);
      return {
        vectors: nested(vectors) as number[][],
        ms,
        backend: useStore.getState().backend?.name ?? 'unknown',
      };
    },
    debug: (action) => controller.client.debug(action),
  };
}
