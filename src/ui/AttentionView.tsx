/**
 * "Attention": one map of queries × keys for the selected layer — one head or the mean over heads — fetched
 * from the worker on demand, optionally without [CLS]/[SEP] (rows renormalized, and the view says so).
 */
import { useEffect, useMemo, useState } from 'react';
import type { FloatTensor } from '../engine/types.ts';
import { useStore } from '../state/store.ts';
import { attentionHeatmap } from './charts/attention.ts';
import { Plot } from './charts/Plot.tsx';
import { useController } from './controllerContext.ts';

export function AttentionView() {
  const controller = useController();
  const run = useStore((s) => s.run);
  const layer = useStore((s) => s.layer);
  const heads = useStore((s) => s.info?.heads ?? 0);
  const [head, setHead] = useState<number | 'mean'>('mean');
  const [hideSpecials, setHideSpecials] = useState(false);
  const [shown, setShown] = useState<{ map: FloatTensor; tokens: number[]; key: string }>();
  const [error, setError] = useState<string>();
  const key = `${run?.runId}:${layer}:${head}:${hideSpecials}`;
  useEffect(() => {
    if (!run || layer === 0) return;
    let current = true;
    controller.client
      .attention(run.runId, layer - 1, head, hideSpecials)
      .then((result) => current && setShown({ ...result, key }))
      .catch((e: unknown) => current && setError((e as Error).message));
    return () => {
      current = false;
    };
  }, [controller, run, layer, head, hideSpecials, key]);
  const figure = useMemo(() => {
    if (!shown || !run) return undefined;
    const title = `Layer ${layer}, ${head === 'mean' ? 'mean over heads' : `head ${head}`}${hideSpecials ? ' — [CLS]/[SEP] removed, rows renormalized' : ''}`;
    return attentionHeatmap(
      shown.map,
      shown.tokens.map((i) => run.tokens[i]!),
      title,
      shown.tokens,
    );
  }, [shown, run, layer, head, hideSpecials]);
  if (!run) return null;
  return (
    <div data-testid="view.attention">
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
      </div>
      {layer === 0 ? (
        <p className="hint">
          Layer 0 is the embedding projection: it has no attention. Pick layer 1 or above.
        </p>
      ) : error ? (
        <p className="error">Could not fetch the attention map: {error}</p>
      ) : (
        figure && (
          <Plot
            figure={figure}
            testId="chart.attention"
            height={Math.min(900, 160 + 22 * (shown?.tokens.length ?? 0))}
          />
        )
      )}
    </div>
  );
}
