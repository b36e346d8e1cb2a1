/**
 * What the attention and projection views fetch from a run the worker keeps: one map, downsampled thumbnails
 * of many heads, one query's row of scores and probabilities, and PCA coordinates. Pure functions of a run, so
 * they are tested without a worker; only their small results cross to the page.
 */
import type { AlbertRun } from '../engine/albert.ts';
import { downsampleMax, headAverage, headMap, withoutTokens } from '../engine/analysis.ts';
import { EngineError } from '../engine/errors.ts';
import { projectPaths, projectTogether, stack } from '../engine/projection.ts';
import type { FloatTensor } from '../engine/types.ts';
import type { Hidden, PointVectors, ProjectionRequest, ProjectionView } from './protocol.ts';

type Head = number | 'mean';

function layerAttention(run: AlbertRun, layer: number): FloatTensor {
  const all = run.attentions[layer];
  if (!all) throw new EngineError('input', `no attention for layer ${layer + 1}`);
  return all;
}

function checkHead(all: FloatTensor, head: Head): void {
  const heads = all.dims[0]!;
  if (head !== 'mean' && (!Number.isInteger(head) || head < 0 || head >= heads))
    throw new EngineError('input', `no head ${head} (this model has ${heads})`);
}

/** Which tokens of a run a view leaves out: pads (the run's last `padding`), and the other specials. */
export function hiddenTokens(run: AlbertRun, hide: Hidden): boolean[] {
  const firstPad = run.tokens.length - run.padding;
  return run.special.map((special, i) => (i >= firstPad ? hide.padding : special && hide.specials));
}

/** The map as the view shows it; with nothing left out, one head's map is a view into the run's tensor. */
function shownMap(
  run: AlbertRun,
  layer: number,
  head: Head,
  hide: Hidden,
): { map: FloatTensor; tokens: number[] } {
  const all = layerAttention(run, layer);
  checkHead(all, head);
  const picked = head === 'mean' ? headAverage(all) : headMap(all, head);
  const drop = hiddenTokens(run, hide);
  if (!drop.includes(true))
    return { map: picked, tokens: Array.from({ length: picked.dims[0]! }, (_, i) => i) };
  const { map, kept } = withoutTokens(picked, drop);
  return { map, tokens: kept };
}

/**
 * One [n, n] map (a head or the mean over heads), with the token indices its rows and columns stand for; its
 * own buffer, so it can move to the page.
 */
export function attentionMap(
  run: AlbertRun,
  layer: number,
  head: Head,
  hide: Hidden,
): { map: FloatTensor; tokens: number[] } {
  const shown = shownMap(run, layer, head, hide);
  if (shown.map.data.buffer !== run.attentions[layer]!.data.buffer) return shown;
  return { map: { data: shown.map.data.slice(), dims: shown.map.dims }, tokens: shown.tokens };
}

/**
 * Every head of the given layers, each shrunk to at most size × size (largest weight per block):
 * [layers.length, heads, s, s], and the token indices the full maps cover.
 */
export function attentionThumbnails(
  run: AlbertRun,
  layers: number[],
  size: number,
  hide: Hidden,
): { maps: FloatTensor; tokens: number[] } {
  let tokens: number[] = [];
  let side = 0;
  const parts: Float32Array[] = [];
  let heads = 0;
  for (const layer of layers) {
    const all = layerAttention(run, layer);
    heads = all.dims[0]!;
    for (let h = 0; h < heads; h++) {
      // Downsampled from the run's own memory: no copy of the full map.
      const full = shownMap(run, layer, h, hide);
      tokens = full.tokens;
      const small = downsampleMax(full.map, size);
      side = small.dims[0]!;
      parts.push(small.data);
    }
  }
  const data = new Float32Array(parts.length * side * side);
  parts.forEach((p, i) => data.set(p, i * side * side));
  return { maps: { data, dims: [layers.length, heads, side, side] }, tokens };
}

/** One query's row at one head: the pre-softmax scores (from `scores`) and the model's probabilities. */
export function attentionRow(
  run: AlbertRun,
  scores: FloatTensor[],
  layer: number,
  head: number,
  query: number,
): { scores: Float32Array; probabilities: Float32Array } {
  const all = layerAttention(run, layer);
  checkHead(all, head);
  const n = all.dims[1]!;
  if (!Number.isInteger(query) || query < 0 || query >= n)
    throw new EngineError('input', `no token ${query} (this text has ${n})`);
  const row = (t: FloatTensor) => t.data.slice((head * n + query) * n, (head * n + query + 1) * n);
  return { scores: row(scores[layer]!), probabilities: row(all) };
}

const short = (text: string) => (text.length > 40 ? `${text.slice(0, 39)}…` : text);

/** The points of a token projection: which rows of each run it keeps, and a label and group per point. */
interface TokenPoints {
  sets: AlbertRun[];
  keep: number[][];
  labels: string[];
  groups: number[];
  groupNames: string[];
}

/**
 * The main run's tokens and each compared text's, less the hidden ones. Groups are segments for a single text,
 * texts when comparing.
 */
function tokenPoints(
  main: { run: AlbertRun; text: string; pair?: string },
  compared: { run: AlbertRun; text: string }[],
  hide: Hidden,
): TokenPoints {
  const sets = [main.run, ...compared.map((c) => c.run)];
  const keep = sets.map((r) => {
    const drop = hiddenTokens(r, hide);
    return r.tokens.map((_, i) => i).filter((i) => !drop[i]);
  });
  if (keep.reduce((s, k) => s + k.length, 0) < 2)
    throw new EngineError('input', 'a projection needs at least two tokens');
  const labels: string[] = [];
  const groups: number[] = [];
  keep.forEach((rows, s) =>
    rows.forEach((i) => {
      labels.push(`${i} ${sets[s]!.tokens[i]}`);
      groups.push(compared.length ? s : sets[s]!.tokenTypeIds[i]!);
    }),
  );
  const groupNames = compared.length
    ? [main, ...compared].map((c, s) => `text ${s + 1}: ${short(c.text)}`)
    : main.pair !== undefined
      ? ['segment A', 'segment B']
      : ['tokens'];
  return { sets, keep, labels, groups, groupNames };
}

function layerOf(sets: AlbertRun[], layer: number): FloatTensor[] {
  const at = sets.map((r) => r.hiddenStates[layer]);
  if (at.some((t) => !t)) throw new EngineError('input', `no layer ${layer} in this model`);
  return at as FloatTensor[];
}

/**
 * PCA coordinates of the main run's tokens (and of each compared text's), at one layer or over all layers
 * ("paths"). Groups are segments for a single text, texts when comparing.
 */
export function projection(
  main: { run: AlbertRun; text: string; pair?: string },
  compared: { run: AlbertRun; text: string }[],
  request: Pick<ProjectionRequest, 'mode' | 'layer' | 'k' | 'hide'>,
): ProjectionView {
  const { sets, keep, labels, groups, groupNames } = tokenPoints(main, compared, request.hide);
  const layerCount = main.run.hiddenStates.length;
  if (request.mode === 'paths') {
    const layers = Array.from({ length: layerCount }, (_, l) => sets.map((r) => r.hiddenStates[l]!));
    return {
      projection: projectPaths(layers, request.k, keep),
      labels,
      groups,
      groupNames,
      layers: layerCount,
    };
  }
  return {
    projection: projectTogether(layerOf(sets, request.layer), request.k, keep),
    labels,
    groups,
    groupNames,
    layers: 1,
  };
}

/**
 * The token vectors a UMAP of the projection view lays out: the kept tokens of the main run and each compared
 * text at one layer, as one [points, hidden] matrix, with the same labels and groups as the PCA.
 */
export function tokenVectors(
  main: { run: AlbertRun; text: string; pair?: string },
  compared: { run: AlbertRun; text: string }[],
  layer: number,
  hide: Hidden,
): PointVectors {
  const { sets, keep, labels, groups, groupNames } = tokenPoints(main, compared, hide);
  const { x, n, d } = stack(layerOf(sets, layer), keep);
  return { vectors: { data: x, dims: [n, d] }, labels, groups, groupNames };
}
