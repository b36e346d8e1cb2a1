/**
 * Small multiples of attention maps: every head of one layer, or the whole model (layers × heads). Each
 * thumbnail is computed in the worker (largest weight per block, so thin patterns survive shrinking) and has its
 * own scale from 0 to its largest weight; clicking one opens it in the large map.
 */
import { thumbnailViews } from '../charts/attention.ts';
import { HeatmapThumbnail } from '../charts/heatmap/HeatmapThumbnail.tsx';
import { valueRange } from '../charts/heatmap/image.ts';
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
}

export function AttentionThumbnails(props: ThumbnailsProps) {
  const { client } = useController();
  const { runId, layers, size, hide } = props;
  const key = `${runId}:${layers.join(',')}:${size}:${hide.specials}:${hide.padding}`;
  const fetched = useFetched(key, () => client.attentionThumbnails(runId, layers, size, hide));
  if (fetched.error) return <p className="error">Could not fetch the thumbnails: {fetched.error}</p>;
  const maps = fetched.value?.maps;
  if (!maps || fetched.valueKey?.split(':')[1] !== layers.join(',')) return <p>computing thumbnails…</p>;
  const side = maps.dims[2]!;
  const views = thumbnailViews(maps);
  const heads = maps.dims[1]!;
  return (
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
          range={{ min: 0, max: valueRange(values).max || 1 }}
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
