/** Controls the applications share: the pooling choice, and a running job's progress with its cancel button. */
import type { Pooling } from '../../engine/pooling.ts';
import { useStore } from '../../state/store.ts';
import type { LinesProgress } from '../../worker/protocol.ts';

export const POOLING_LABELS: Record<Pooling, string> = {
  mean: 'mean of all tokens (specials included, as sentence-transformers does)',
  cls: 'the [CLS] token',
  max: 'max over tokens',
};

export function PoolingSelect() {
  const pooling = useStore((s) => s.pooling);
  const setPooling = useStore((s) => s.setPooling);
  return (
    <label>
      Pooling{' '}
      <select
        data-testid="apply.pooling"
        value={pooling}
        onChange={(e) => setPooling(e.target.value as Pooling)}
      >
        {(Object.keys(POOLING_LABELS) as Pooling[]).map((p) => (
          <option key={p} value={p}>
            {POOLING_LABELS[p]}
          </option>
        ))}
      </select>
    </label>
  );
}

export function JobProgress({ progress, onCancel }: { progress: LinesProgress; onCancel: () => void }) {
  return (
    <p className="job-progress" data-testid="apply.progress">
      <progress max={progress.total} value={progress.done} /> {progress.done} of {progress.total} lines ·{' '}
      {progress.linesPerSecond.toFixed(1)} lines/s{' '}
      <button type="button" data-testid="apply.cancel" onClick={onCancel}>
        Cancel
      </button>
    </p>
  );
}

/** Said wherever a result would be read as meaning something while the weights are random. */
export function RandomWeightsNote({ what }: { what: string }) {
  const random = useStore((s) => s.info?.randomWeights);
  if (!random) return null;
  return (
    <p className="warning" data-testid="apply.random-note">
      This model's weights are random (a test model): {what} mean nothing here. Load albert-base-v2 for real
      results.
    </p>
  );
}

/** Non-empty lines of a text box, trimmed. */
export const nonEmptyLines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
