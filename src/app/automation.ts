/**
 * `window.albertPlayground`: a typed handle for end-to-end tests and for people at the browser console,
 * computed by the worker with the page's current model and backend. Numbers come back as the worker sent them,
 * typed arrays with their dims (moved, not copied: the page pays nothing for a 512-token run);
 * `nested(tensor)` turns one into arrays, e.g. `nested(r.hiddenStates[12])[token][dim]`.
 */
import type { ProbeResult } from '../engine/probe.ts';
import type { PoolingRequest } from '../engine/sentenceModel.ts';
import { parseTaggedExamples } from '../engine/tagging.ts';
import { parseExamples } from '../ui/apply/classify.ts';
import { nested } from '../engine/nested.ts';
import type { BackendInfo, FloatTensor } from '../engine/types.ts';
import type { WindowSummary } from '../engine/windows.ts';
import { useStore } from '../state/store.ts';
import type { ProbeTask } from '../worker/protocol.ts';
import type { Controller } from './controller.ts';
import { UMAP_DEFAULTS } from '../engine/umapDefaults.ts';

/** Batch size of the API's sentence vectors, the many-sentences panel's, so both give the same numbers. */
const UMAP_BATCH = 16;

/** The vectors `umap()` lays out, with a label per point. */
async function umapVectors(
  controller: Controller,
  texts: string[] | string,
  layer: number,
  pooling: PoolingRequest,
): Promise<{ vectors: FloatTensor; labels: string[] }> {
  const { client } = controller;
  if (typeof texts === 'string') {
    const run = await client.run(texts, undefined, { layers: [layer], attentions: false, lane: 'api' });
    if (!run) throw new Error('the run was cancelled');
    const vectors = run.hiddenStates[layer];
    if (!vectors) throw new Error(`no layer ${layer} in this model`);
    return { vectors, labels: run.tokens.map((t, i) => `${i} ${t}`) };
  }
  const job = client.embedLines({ lines: texts, pooling, batchSize: UMAP_BATCH, layer }, () => undefined);
  if ((await job.done).cancelled) throw new Error('the lines were cancelled');
  return { vectors: await client.linesVectors(job.id, layer), labels: texts };
}

export interface EmbedResult {
  tokens: string[];
  ids: number[];
  tokenTypeIds: number[];
  /** L+1 tensors [tokens, hidden]: 0 is the embedding projection, i the output of layer i. */
  hiddenStates: FloatTensor[];
  /** L tensors [heads, tokens (queries), tokens (keys)]; empty when the file fuses attention (see below). */
  attentions: FloatTensor[];
  attentionUnavailable?: string;
  /** With `windows`: how the text ran (count, overlap, maxLength, each window's token span, each token's window). */
  windows?: WindowSummary;
  /** With `windows`: [L+1, hidden], per hidden state the mean over windows of each window's mean-pooled vector. */
  documentVectors?: FloatTensor;
  backend: BackendInfo;
}

export interface UmapApiOptions {
  layer: number;
  /** Defaults: 15 neighbours (clamped to points − 1), min-dist 0.1, seed 42, pooling 'auto', 2 dimensions. */
  neighbours?: number;
  minDist?: number;
  seed?: number;
  pooling?: PoolingRequest;
  k?: 2 | 3;
}

export interface UmapApiResult {
  /** One row per point: [x, y] (or [x, y, z]). */
  coordinates: number[][];
  /** Token labels ("0 [CLS]") for a text, the lines for many. */
  labels: string[];
  neighbours: number;
  minDist: number;
  seed: number;
  epochs: number;
  /** The vectors laid out, [points, hidden]. */
  vectors: FloatTensor;
  ms: number;
}

export interface AlbertPlaygroundApi {
  ready(): Promise<{ model: string; backend: BackendInfo }>;
  /**
   * Runs text (and pair) in the worker. By default every hidden state and attention map; `layers` and
   * `attentions: false` ask for less (what a benchmark or a script that wants one layer needs). `windows`
   * runs a text longer than the model's maximum as overlapping windows sharing `overlap` pieces, stitched
   * (every token kept, from the window where it is most central; no attention maps when there are several
   * windows); a pair is truncated as always.
   */
  embed(
    text: string,
    pair?: string,
    options?: { layers?: number[] | 'all'; attentions?: boolean; windows?: { overlap: number } },
  ): Promise<EmbedResult>;
  /**
   * Pooled vectors of many lines, embedded by the worker in batches (as "Many sentences" does); `ms` is the
   * wall time from the request to the last batch, for benchmarks.
   */
  embedLines(
    lines: string[],
    options: { batchSize: number; pooling: PoolingRequest; layer: number },
  ): Promise<{ vectors: FloatTensor; ms: number; backend: string }>;
  /**
   * Tags `text`'s tokens from example sentences with spans marked as `[Paris](LOC)` (one per line), by cosine
   * k-NN over the examples' token vectors at `layer` (default: the last), as "Tag tokens" does. One tag per
   * token, `'O'` for none ([CLS]/[SEP] included). Throws on a line it cannot read, naming it.
   */
  tagTokens(
    examples: string,
    text: string,
    options?: { layer?: number; k?: number },
  ): Promise<{ tokens: string[]; tags: string[]; centroidTags: string[] }>;
  /**
   * Cross-validated accuracy of a logistic-regression probe at every hidden state 0..L, and the majority-class
   * chance: `sentence` examples are "label: text" lines (pooled as `pooling`, default the model's own), `token`
   * examples are bracket-marked sentences.
   */
  probe(
    examples: string,
    options: { task: 'sentence' | 'token'; pooling?: PoolingRequest },
  ): Promise<ProbeResult>;
  /**
   * UMAP in the worker: one text's token vectors at `layer` (a string; every token, [CLS]/[SEP] included), or
   * many texts' pooled sentence vectors (an array, embedded as `embedLines` does, batches of 16). Returns each
   * point's coordinates, what the layout ran with, and the vectors it laid out (so a script can check them).
   */
  umap(texts: string[] | string, options: UmapApiOptions): Promise<UmapApiResult>;
  /** A tensor of `embed()` as nested arrays (costs the page a copy: for scripts, not for views). */
  nested(tensor: FloatTensor): unknown[];
  /** Test hooks: lose the WebGPU device, crash the worker. */
  debug(action: 'lose-device' | 'crash'): Promise<void>;
}

declare global {
  interface Window {
    albertPlayground?: AlbertPlaygroundApi;
  }
}

/** Bracket-marked example sentences, or an error naming every line that cannot be read. */
function taggedExamples(text: string) {
  const parsed = parseTaggedExamples(text);
  if (parsed.badLines.length)
    throw new Error(parsed.badLines.map((b) => `line ${b.line}: ${b.reason}`).join('; '));
  return parsed;
}

export function automationApi(controller: Controller): AlbertPlaygroundApi {
  return {
    async ready() {
      await controller.ready();
      const { info } = useStore.getState();
      return { model: info!.model, backend: info!.backend };
    },
    async embed(text, pair, options = {}) {
      await controller.ready();
      const attentionUnavailable = useStore.getState().info?.attentionUnavailable;
      const run = await controller.client.run(text, pair, {
        layers: options.layers ?? 'all',
        attentions: options.attentions ?? true,
        lane: 'api',
        ...(options.windows && { windows: options.windows }),
      });
      if (!run) throw new Error('the run was cancelled');
      const layers = Object.keys(run.hiddenStates)
        .map(Number)
        .toSorted((a, b) => a - b);
      return {
        tokens: run.tokens,
        ids: run.ids,
        tokenTypeIds: run.tokenTypeIds,
        hiddenStates: layers.map((i) => run.hiddenStates[i]!),
        attentions: run.attentions ?? [],
        ...(attentionUnavailable && { attentionUnavailable }),
        ...(run.windows &&
          run.windows.count > 1 && {
            attentionUnavailable: `attention is per window: this text ran as ${run.windows.count} windows`,
          }),
        ...(run.windows && { windows: run.windows, documentVectors: run.documentVectors! }),
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
        vectors,
        ms,
        backend: useStore.getState().backend?.name ?? 'unknown',
      };
    },
    async tagTokens(examples, text, options = {}) {
      await controller.ready();
      const parsed = taggedExamples(examples);
      const layer = options.layer ?? useStore.getState().info!.layers;
      const job = controller.client.tag(
        { examples: parsed.examples, text, layer, k: options.k ?? 3 },
        () => undefined,
      );
      const { view } = await job.done;
      if (!view) throw new Error('the tagging was cancelled');
      return { tokens: view.tokens, tags: view.tags, centroidTags: view.centroidTags };
    },
    async probe(examples, { task, pooling = 'auto' }) {
      await controller.ready();
      const probe = (request: ProbeTask) => controller.client.probe(request, () => undefined).done;
      let reply;
      if (task === 'sentence') {
        const parsed = parseExamples(examples);
        if (parsed.badLines.length) throw new Error(`line ${parsed.badLines.join(', ')}: not "label: text"`);
        reply = await probe({ task, examples: parsed.examples, pooling });
      } else reply = await probe({ task, examples: taggedExamples(examples).examples });
      if (!reply.result) throw new Error('the probe was cancelled');
      return reply.result;
    },
    async umap(texts, options) {
      await controller.ready();
      const started = performance.now();
      const { layer, pooling = 'auto', k = 2 } = options;
      const { vectors, labels } = await umapVectors(controller, texts, layer, pooling);
      const job = controller.client.umap(
        {
          source: { kind: 'vectors', vectors },
          neighbours: options.neighbours ?? UMAP_DEFAULTS.neighbours,
          minDist: options.minDist ?? UMAP_DEFAULTS.minDist,
          seed: options.seed ?? UMAP_DEFAULTS.seed,
          k,
        },
        () => undefined,
      );
      const { umap } = await job.done;
      return {
        coordinates: Array.from({ length: umap.points }, (_, i) =>
          Array.from(umap.coordinates.subarray(i * umap.k, (i + 1) * umap.k)),
        ),
        labels,
        neighbours: umap.neighbours,
        minDist: umap.minDist,
        seed: umap.seed,
        epochs: umap.epochs,
        vectors,
        ms: performance.now() - started,
      };
    },
    nested,
    debug: (action) => controller.client.debug(action),
  };
}
