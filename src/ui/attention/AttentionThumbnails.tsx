/**
 * Small multiples of attention maps: every head of one layer, or the whole model (layers × heads). Each
 * thumbnail is computed in the worker (largest weight per block, so thin patterns survive shrinking) and has its
 * own scale from 0 to its largest weight; clicking one opens it in the large map.
 */
import { useState } from 'react';
import type { FloatTensor } from '../../engine/types.ts';
import { thumbnailViews } from '../charts/attention.ts';
import { downloadScene, filenameFromTestId } from '../charts/heatmap/exportHeatmap.ts';
import { gridScene } from '../charts/heatmap/gridScene.ts';
import { HeatmapThumbnail } from '../charts/heatmap/HeatmapThumbnail.tsx';
import { heatmapPixels, valueRange } from '../charts/heatmap/image.ts';
import type { Hidden } from '../../worker/protocol.ts';
import { useController } from '../controllerContext.ts';
import { useFetched } from '../useFetched.ts';

export interface ThumbnailsProps {
  runId: number;
  /** Engine layer indices (0..L-1): the view labels them 1..L. */
  layers: number[];
  /** Largest thumbnail side in cells. */
  size: number;
  /** On-screen side in px. */
  px: number;
  hide: Hidden;
  selected: { layer: number; head: number | 'mean' };
  onPick(layer: number, head: number): void;
  testId: string;
  /** The downloaded figure's title. */
  title: string;
}

const ownRange = (values: Float32Array) => ({ min: 0, max: valueRange(values).max || 1 });

/** The thumbnails as one PNG or SVG, each on its own scale as on screen. */
function download(maps: FloatTensor, layers: number[], title: string, testId: string, format: 'png' | 'svg') {
  const side = maps.dims[2]!;
  const heads = maps.dims[1]!;
  const cells = thumbnailViews(maps).map((row) =>
    row.map((values) => ({
      pixels: heatmapPixels(values, side, side, ownRange(values), 'sequential'),
      rows: side,
      cols: side,
    })),
  );
  return downloadScene(
    gridScene({
      title,
      rowLabels: layers.map((l) => `layer ${l + 1}`),
      colLabels: Array.from({ length: heads }, (_, h) => `head ${h}`),
      cells,
      cellPx: Math.max(48, Math.min(128, side)),
    }),
    format,
    filenameFromTestId(testId),
  );
}

export function AttentionThumbnails(props: ThumbnailsProps) {
  const { client } = useController();
  const { runId, layers, size, hide } = props;
  const key = `${runId}:${layers.join(',')}:${size}:${hide.specials}:${hide.padding}`;
  const fetched = useFetched(key, () => client.attentionThumbnails(runId, layers, size, hide));
  const [error, setError] = useState<string>();
  if (fetched.error) return <p className="error">Could not fetch the thumbnails: {fetched.error}</p>;
  const maps = fetched.value?.maps;
  if (!maps || fetched.valueKey?.split(':')[1] !== layers.join(',')) return <p>computing thumbnails…</p>;
  const side = maps.dims[2]!;
  const views = thumbnailViews(maps);
  const heads = maps.dims[1]!;
  const save = (format: 'png' | 'svg') => () =>
    void download(maps, layers, props.title, props.testId, format).catch((e: unknown) =>
      setError((e as Error).message),
    );
  return (
    <>
      <div className="chart-downloads">
        <button type="button" data-testid={`${props.testId}.png`} onClick={save('png')}>
          PNG
        </button>
        <button type="button" data-testid={`${props.testId}.svg`} onClick={save('svg')}>
          SVG
        </button>
      </div>
      {error && <p className="error">Could not save the figure: {error}</p>}
      <div
        className="thumbnails"
        data-testid={props.testId}
        style={{ gridTemplateColumns: `auto repeat(${heads}, ${props.px}px)` }}
      >
        <span />
        {Array.from({ length: heads }, (_, h) => (
          <span key={h} className="thumbnails-head">
            head {h}
          </span>
        ))}
        {views.map((row, i) => (
          <Row key={layers[i]} {...props} layer={layers[i]!} maps={row} side={side} />
        ))}
      </div>
    </>
  );
}

function Row(props: ThumbnailsProps & { layer: number; maps: Float32Array[]; side: number }) {
  const { layer, maps, side, selected, px, testId } = props;
  return (
    <>
      <span className="thumbnails-layer">layer {layer + 1}</span>
      {maps.map((values, head) => (
        <HeatmapThumbnail
          key={head}
          values={values}
          rows={side}
          cols={side}
          range={ownRange(values)}
          scale="sequential"
          label={`layer ${layer + 1}, head ${head}`}
          selected={selected.layer === layer && selected.head === head}
          onClick={() => props.onPick(layer, head)}
          testId={`${testId}.thumb`}
          size={px}
        />
      ))}
    </>
  );
}
