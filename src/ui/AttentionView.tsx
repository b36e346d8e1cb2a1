/**
 * "Attention": the selected layer's map of queries × keys — one head or the mean over heads — fetched from the
 * worker on demand; the arithmetic of a clicked cell; every head of the layer as small multiples; and the
 * whole model as layers × heads thumbnails. Hiding [CLS]/[SEP] renormalizes each row, and the title says so.
 */
import { useCallback, useMemo } from 'react';
import { dtypeOfFile } from '../engine/dtypes.ts';
import { useHidden, useStore, type Head } from '../state/store.ts';
import { ArithmeticTable } from './attention/ArithmeticTable.tsx';
import { AttentionThumbnails } from './attention/AttentionThumbnails.tsx';
import { attentionHeatmapSpec } from './charts/attention.ts';
import { HeatmapCanvas } from './charts/heatmap/HeatmapCanvas.tsx';
import { useController } from './controllerContext.ts';
import { showPiece } from './format.ts';
import { useFetched } from './useFetched.ts';

/** Thumbnail sides in cells: the layer's heads, and the model overview. */
const HEAD_GRID_SIZE = 128;
const OVERVIEW_SIZE = 32;
/** Lengths a padded batch commonly has. */
const PAD_LENGTHS = [16, 32, 64, 128, 256, 512];

/** Pad the text as a batch would, and leave the pads out of the views (or not, to see the mask at work). */
function PaddingControls({ maxLength, tokens }: { maxLength: number; tokens: number }) {
  const padTo = useStore((s) => s.padTo);
  const setPadTo = useStore((s) => s.setPadTo);
  const hidePadding = useStore((s) => s.hidePadding);
  const setHidePadding = useStore((s) => s.setHidePadding);
  return (
    <>
      <label>
        Pad to{' '}
        <select
          data-testid="attention.pad"
          value={String(padTo)}
          onChange={(e) => setPadTo(Number(e.target.value))}
        >
          <option value="0">no padding</option>
          {PAD_LENGTHS.filter((n) => n <= maxLength).map((n) => (
            <option key={n} value={n} disabled={n <= tokens}>
              {n} tokens (as in a batch)
            </option>
          ))}
        </select>
      </label>
      <label>
        <input
          type="checkbox"
          data-testid="attention.hide-padding"
          checked={hidePadding}
          disabled={!padTo}
          onChange={(e) => setHidePadding(e.target.checked)}
        />{' '}
        Mask padding (leave the &lt;pad&gt; rows and columns out; the model gives pads no weight)
      </label>
    </>
  );
}

function AttentionControls({
  heads,
  maxLength,
  tokens,
}: {
  heads: number;
  maxLength: number;
  tokens: number;
}) {
  const head = useStore((s) => s.head);
  const setHead = useStore((s) => s.setHead);
  const hideSpecials = useStore((s) => s.hideSpecials);
  const setHideSpecials = useStore((s) => s.setHideSpecials);
  return (
    <div className="row">
      <label>
        Head{' '}
        <select
          data-testid="attention.head"
          value={String(head)}
          onChange={(e) => setHead(e.target.value === 'mean' ? 'mean' : Number(e.target.value))}
        >
          <option value="mean">mean over heads</option>
          {Array.from({ length: heads }, (_, h) => (
            <option key={h} value={h}>
              head {h}
            </option>
          ))}
        </select>
      </label>
      <label>
        <input
          type="checkbox"
          data-testid="attention.hide-specials"
          checked={hideSpecials}
          onChange={(e) => setHideSpecials(e.target.checked)}
        />{' '}
        Hide [CLS]/[SEP] (each row is renormalized to sum to 1)
      </label>
      <PaddingControls maxLength={maxLength} tokens={tokens} />
    </div>
  );
}

/**
 * A file that fuses attention (onnxruntime's optimized exports) never holds the maps as numbers: say so, and
 * offer the folder's plain export, which has them.
 */
function FusedAttentionNotice({ reason }: { reason: string }) {
  const controller = useController();
  const choice = useStore((s) => s.choice);
  const file = useStore((s) => s.info?.attentionFile) ?? 'onnx/model.onnx';
  const dtype = dtypeOfFile(file);
  return (
    <section className="attention-view" data-testid="view.attention">
      <p className="warning" data-testid="attention.unavailable">
        No attention maps: {reason}.
      </p>
      {choice && (
        <button
          type="button"
          data-testid="attention.load-plain"
          onClick={() => void controller.load(choice, dtype ? { dtype } : { modelFile: file })}
        >
          Load {file.replace(/^onnx\//, '')}
        </button>
      )}
    </section>
  );
}

export function AttentionView() {
  const unavailable = useStore((s) => s.info?.attentionUnavailable);
  const windows = useStore((s) => s.run?.windows?.count ?? 1);
  if (unavailable) return <FusedAttentionNotice reason={unavailable} />;
  return windows > 1 ? <WindowedAttentionNotice windows={windows} /> : <AttentionMaps />;
}

/** A text run as several windows has one attention map per window and none over all of its tokens. */
function WindowedAttentionNotice({ windows }: { windows: number }) {
  const setLongTexts = useStore((s) => s.setLongTexts);
  return (
    <section className="attention-view" data-testid="view.attention">
      <p className="hint" data-testid="attention.windowed">
        Attention is per window: this text ran as {windows} windows, and no attention map spans them (a token
        of one window never attends to another window's). To see the maps of the first window, truncate the
        text to the model's length.
      </p>
      <button type="button" data-testid="attention.truncate" onClick={() => setLongTexts('truncate')}>
        Truncate instead
      </button>
    </section>
  );
}

function AttentionMaps() {
  const { client } = useController();
  const run = useStore((s) => s.run);
  const info = useStore((s) => s.info);
  const layer = useStore((s) => s.layer);
  const head = useStore((s) => s.head);
  const hide = useHidden();
  const cell = useStore((s) => s.attentionCell);
  const setCell = useStore((s) => s.setAttentionCell);
  const key = run && layer > 0 ? `${run.runId}:${layer}:${head}:${hide.specials}:${hide.padding}` : undefined;
  const fetched = useFetched(key, () => client.attention(run!.runId, layer - 1, head, hide));
  const shown = fetched.value;
  const spec = useMemo(() => {
    if (!shown || !run) return undefined;
    const [, l, h, specials] = fetched.valueKey!.split(':');
    const title = `Layer ${l}, ${h === 'mean' ? 'mean over heads' : `head ${h}`}${specials === 'true' ? ' — [CLS]/[SEP] removed, rows renormalized' : ''}`;
    return attentionHeatmapSpec(
      shown.map,
      shown.tokens.map((i) => run.tokens[i]!),
      title,
      shown.tokens,
    );
  }, [shown, run, fetched.valueKey]);
  const hover = useCallback(
    (row: number, col: number, value: number) => {
      const name = (i: number) =>
        `${shown?.tokens[i]} ${showPiece(run?.tokens[shown?.tokens[i] ?? 0] ?? '')}`;
      return `query ${name(row)} → key ${name(col)}: ${value.toFixed(4)}`;
    },
    [shown, run],
  );
  const pick = useCallback((l: number, h: Head) => {
    useStore.setState({ layer: l + 1, head: h });
  }, []);
  if (!run || !info) return null;
  const openCell = cell && cell.runId === run.runId && typeof head === 'number' ? cell : undefined;
  return (
    <section className="attention-view" data-testid="view.attention">
      <AttentionControls
        heads={info.heads}
        maxLength={info.maxLength}
        tokens={run.tokens.length - run.padding}
      />
      {layer === 0 ? (
        <p className="hint">
          Layer 0 is the embedding projection: it has no attention. Pick layer 1 or above, or a thumbnail
          below.
        </p>
      ) : fetched.error ? (
        <p className="error">Could not fetch the attention map: {fetched.error}</p>
      ) : (
        spec &&
        shown && (
          <>
            <p className="hint">
              {typeof head === 'number'
                ? 'Click a cell to see the arithmetic behind its weight.'
                : 'Pick a head to click a cell and see the arithmetic behind its weight (the mean has none of its own).'}
            </p>
            <HeatmapCanvas
              spec={spec}
              testId="chart.attention"
              hover={hover}
              onCellClick={(row, col) =>
                setCell({ runId: run.runId, query: shown.tokens[row]!, key: shown.tokens[col]! })
              }
              selected={
                openCell
                  ? { row: shown.tokens.indexOf(openCell.query), col: shown.tokens.indexOf(openCell.key) }
                  : undefined
              }
            />
          </>
        )
      )}
      {openCell && layer > 0 && typeof head === 'number' && (
        <ArithmeticTable
          runId={run.runId}
          layer={layer - 1}
          head={head}
          query={openCell.query}
          keyToken={openCell.key}
          tokens={run.tokens}
          headSize={info.hiddenSize / info.heads}
          onClose={() => setCell(undefined)}
        />
      )}
      {layer > 0 && (
        <>
          <h3>Every head of layer {layer}</h3>
          <AttentionThumbnails
            runId={run.runId}
            layers={[layer - 1]}
            size={HEAD_GRID_SIZE}
            px={120}
            hide={hide}
            selected={{ layer: layer - 1, head }}
            onPick={pick}
            testId="attention.heads"
            title={`Every head of layer ${layer} (each on its own scale, largest weight per block)`}
          />
        </>
      )}
      <h3>The whole model: layers × heads</h3>
      <AttentionThumbnails
        runId={run.runId}
        layers={Array.from({ length: info.layers }, (_, l) => l)}
        size={OVERVIEW_SIZE}
        px={40}
        hide={hide}
        selected={{ layer: layer - 1, head }}
        onPick={pick}
        testId="attention.overview"
        title="Attention of every layer and head (each on its own scale, largest weight per block)"
      />
    </section>
  );
}
