/**
 * Attention views: one map (queries × keys) on the canvas heatmap, and the thumbnails of every head (the
 * arithmetic of one cell is engine/arithmetic.ts).
 */
import type { FloatTensor } from '../../engine/types.ts';
import { valueRange } from './heatmap/image.ts';
import type { HeatmapSpec } from './heatmap/scene.ts';
import { tokenLabels } from './types.ts';

/**
 * One attention map, queries down and keys across, on the canvas heatmap. The scale runs from 0 to the map's
 * largest weight (not 1), so a diffuse head is as readable as a sharp one; the legend says where it ends.
 * @param positions each row's token position in the text, when the map covers only some tokens (specials
 *   hidden); labels then keep the text's numbering
 */
export function attentionHeatmapSpec(
  map: FloatTensor,
  tokens: string[],
  title: string,
  positions?: number[],
): HeatmapSpec {
  const n = map.dims[0]!;
  const labels = positions ? tokens.map((t, i) => `${positions[i] ?? i} ${t}`) : tokenLabels(tokens);
  const { max } = valueRange(map.data);
  return {
    values: map.data,
    rows: n,
    cols: n,
    rowLabels: labels,
    colLabels: labels,
    title,
    xTitle: 'key (attended to)',
    yTitle: 'query (attending)',
    legendTitle: 'weight',
    range: { min: 0, max: max || 1 },
    scale: 'sequential',
  };
}

/** [layers, heads, s, s] thumbnails as one Float32Array view per (layer, head), layer-major. */
export function thumbnailViews(maps: FloatTensor): Float32Array[][] {
  const [layers, heads, side] = maps.dims as [number, number, number];
  const size = side * side;
  return Array.from({ length: layers }, (_l, l) =>
    Array.from({ length: heads }, (_h, h) =>
      maps.data.subarray((l * heads + h) * size, (l * heads + h + 1) * size),
    ),
  );
}
