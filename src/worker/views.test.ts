/**
 * The view requests over the protocol, checked against the independent float64 reference: attention maps and
 * their thumbnails, one query's arithmetic (scores fetched only on request), the factorized embeddings, and
 * the PCA projection with a compared text on the same axes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectTogether } from '../engine/projection.ts';
import { maxAbsDiff, TINY_MODEL, tinyConfig } from '../engine/testing/fixtures.ts';
import {
  readReferenceWeights,
  referenceForward,
  type ReferenceConfig,
} from '../engine/testing/referenceAlbert.ts';
import type { EngineClient } from './client.ts';
import type { RunWant, WorkerRequest } from './protocol.ts';
import { inProcessClient } from './testing/inProcess.ts';

const weights = readReferenceWeights(
  readFileSync(join(TINY_MODEL, 'onnx/model.onnx')),
  tinyConfig() as unknown as ReferenceConfig,
);
const reference = (run: { ids: number[]; tokenTypeIds: number[] }) =>
  referenceForward(weights, run.ids, run.tokenTypeIds);

let client: EngineClient;
let received: WorkerRequest[];
beforeAll(async () => {
  ({ client, received } = await inProcessClient());
});

const TOL = 1e-4;
const SHOW_ALL = { specials: false, padding: false };
/** A view run of layer 0 (the views then fetch what they need from the run the worker keeps). */
const VIEW: RunWant = { layers: [0], attentions: false, lane: 'view' };

const viewRun = async (text: string, pair?: string, padTo?: number) =>
  (await client.run(text, pair, { ...VIEW, ...(padTo && { padTo }) }))!;

describe('view requests', () => {
  it('thumbnails: every head of every layer; at full size they are the maps themselves', async () => {
    const run = await viewRun('the cat sat on the mat');
    const n = run.tokens.length;
    const ref = reference(run);
    const { maps, tokens } = await client.attentionThumbnails(run.runId, [0, 1, 2], 64, SHOW_ALL);
    expect(maps.dims).toEqual([3, 4, n, n]);
    expect(tokens).toEqual(run.tokens.map((_, i) => i));
    expect(
      maxAbsDiff(maps.data, Float32Array.from(ref.attentions.flatMap((a) => Array.from(a)))),
    ).toBeLessThan(TOL);
    // Shrunk to 4×4, each pixel is the largest weight of its block: the first pixel of layer 2, head 3.
    const small = await client.attentionThumbnails(run.runId, [1], 4, SHOW_ALL);
    expect(small.maps.dims).toEqual([1, 4, 4, 4]);
    const a = ref.attentions[1]!;
    let block = 0;
    const r1 = Math.floor(n / 4);
    for (let i = 0; i < r1; i++)
      for (let j = 0; j < r1; j++) block = Math.max(block, a[(3 * n + i) * n + j]!);
    expect(small.maps.data[3 * 16]).toBeCloseTo(block, 4);
  });

  it('arithmetic: one query row of real scores whose softmax is the model’s row; scores only on request', async () => {
    const run = await viewRun('hello world', 'the cat');
    const n = run.tokens.length;
    const ref = reference(run);
    const runsBefore = received.filter((r) => r.type === 'run').length;
    const row = await client.attentionRow(run.runId, 2, 1, 3);
    const at = (t: Float64Array) => Array.from(t.subarray((1 * n + 3) * n, (1 * n + 4) * n));
    expect(maxAbsDiff(row.scores, at(ref.scores[2]!))).toBeLessThan(1e-4);
    expect(maxAbsDiff(row.probabilities, at(ref.attentions[2]!))).toBeLessThan(TOL);
    await client.attentionRow(run.runId, 0, 0, 0);
    await client.releaseScores();
    // The page sent no run for the scores: the worker re-ran the text itself, once.
    expect(received.filter((r) => r.type === 'run').length).toBe(runsBefore);
    await expect(client.attentionRow(run.runId, 0, 9, 0)).rejects.toThrow('no head 9 (this model has 4)');
  });

  it('padding: a padded view run; masked pads leave the map, unmasked they show zero weight', async () => {
    const run = await viewRun('hello world', undefined, 8);
    expect([run.tokens.length, run.padding]).toEqual([8, 4]);
    const masked = await client.attention(run.runId, 1, 'mean', { specials: false, padding: true });
    expect(masked.tokens).toEqual([0, 1, 2, 3]);
    const shown = await client.attention(run.runId, 1, 'mean', SHOW_ALL);
    expect(shown.map.dims).toEqual([8, 8]);
    // Every query gives the pads no weight, so leaving them out rescales nothing.
    for (let q = 0; q < 8; q++)
      for (let k = 4; k < 8; k++) expect(shown.map.data[q * 8 + k]).toBeLessThan(1e-12);
    expect(
      maxAbsDiff(
        masked.map.data,
        [0, 1, 2, 3].flatMap((q) => Array.from(shown.map.data.subarray(q * 8, q * 8 + 4))),
      ),
    ).toBeLessThan(1e-7);
    // [CLS]/[SEP] hidden but pads kept: the pads stay in the map.
    const specials = await client.attention(run.runId, 1, 'mean', { specials: true, padding: false });
    expect(specials.tokens).toEqual([1, 2, 4, 5, 6, 7]);
  });

  it('factorized embeddings: [tokens, embedding_size] before the projection', async () => {
    const run = await viewRun('embeddings');
    const tensor = await client.factorized(run.runId);
    expect(tensor.dims).toEqual([run.tokens.length, 16]);
    expect(maxAbsDiff(tensor.data, reference(run).embeddings)).toBeLessThan(TOL);
  });

  it('projection: compared texts on the same axes, grouped by text; paths cover every layer', async () => {
    const run = await viewRun('the cat');
    const view = await client.projection({
      runId: run.runId,
      mode: 'layer',
      layer: 2,
      k: 2,
      compare: ['hello world', '  ', 'hello world'],
      hide: { specials: true, padding: false },
    });
    expect(view.groupNames).toEqual(['text 1: the cat', 'text 2: hello world']);
    expect(view.labels).toEqual(['1 ▁the', '2 ▁cat', '1 ▁hello', '2 ▁world']);
    expect(view.groups).toEqual([0, 0, 1, 1]);
    // The same projection computed from the reference's vectors.
    const other = (await client.run('hello world', undefined, {
      layers: [2],
      attentions: false,
      lane: 'api',
    }))!;
    const fromReference = [run, other].map((r) => {
      const h = reference(r).hiddenStates[2]!;
      return { data: Float32Array.from(h), dims: [r.tokens.length, 32] };
    });
    const expected = projectTogether(fromReference, 2, [
      [1, 2],
      [1, 2],
    ]);
    expect(maxAbsDiff(view.projection.scores, expected.scores)).toBeLessThan(1e-3);
    expect(view.projection.explainedRatio[0]).toBeCloseTo(expected.explainedRatio[0]!, 3);

    const paths = await client.projection({
      runId: run.runId,
      mode: 'paths',
      layer: 0,
      k: 2,
      compare: [],
      hide: { specials: false, padding: false },
    });
    expect(paths.layers).toBe(4);
    expect(paths.projection.points).toBe(run.tokens.length);
    expect(paths.projection.scores).toHaveLength(4 * run.tokens.length * 2);
    expect(paths.groupNames).toEqual(['tokens']);
  });
});
