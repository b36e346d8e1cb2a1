/** Controls the applications share: the pooling choice, and a running job's progress with its cancel button. */
import type { ReactNode } from 'react';
import type { Pooling } from '../../engine/pooling.ts';
import { resolvePooling, type PoolingRequest, type SentencePooling } from '../../engine/sentenceModel.ts';
import { useStore } from '../../state/store.ts';
import type { LinesProgress, Truncation } from '../../worker/protocol.ts';

export const POOLING_LABELS: Record<Pooling, string> = {
  mean: 'mean of all tokens (specials included, as sentence-transformers does)',
  cls: 'the [CLS] token',
  max: 'max over tokens',
};

/** The pooling in use: the request resolved against the loaded model's own. */
export function usePooling(): SentencePooling {
  const request = useStore((s) => s.pooling);
  const model = useStore((s) => s.info?.sentence);
  return resolvePooling(request, model);
}

/** "mean, normalized, at most 100 tokens" */
function describe(p: SentencePooling): string {
  return [
    POOLING_LABELS[p.mode],
    ...(p.normalize ? ['normalized'] : []),
    ...(p.maxLength ? [`at most ${p.maxLength} tokens`] : []),
  ].join(', ');
}

/** Where the pooling in use comes from, in one sentence. */
function source(p: SentencePooling): string {
  if (p.source === 'model') return `the model's own, from its sentence-transformers files (${p.from})`;
  if (p.source === 'model card') return `the model's own, as ${p.from} states`;
  if (p.source === 'default') return 'the default: this model has no sentence pooling of its own';
  return 'your choice';
}

export function PoolingSelect() {
  const pooling = useStore((s) => s.pooling);
  const setPooling = useStore((s) => s.setPooling);
  const model = useStore((s) => s.info?.sentence);
  const resolved = usePooling();
  return (
    <>
      <label>
        Pooling{' '}
        <select
          data-testid="apply.pooling"
          value={pooling}
          onChange={(e) => setPooling(e.target.value as PoolingRequest)}
        >
          <option value="auto">
            {model ? `the model's own (${describe(model)})` : `default (${POOLING_LABELS.mean})`}
          </option>
          {(Object.keys(POOLING_LABELS) as Pooling[]).map((p) => (
            <option key={p} value={p}>
              {POOLING_LABELS[p]}
            </option>
          ))}
        </select>
      </label>
      <span className="hint" data-testid="apply.pooling-source" data-source={resolved.source}>
        {resolved.mode} pooling: {source(resolved)}
      </span>
    </>
  );
}

/** A running job's bar, "3 of 10 lines · 2.0 lines/s" (or another `unit`, after a `label`) and its cancel. */
export function JobProgress({
  progress,
  onCancel,
  label,
  unit = 'lines',
}: {
  progress: LinesProgress;
  onCancel: () => void;
  label?: string;
  unit?: string;
}) {
  return (
    <p className="job-progress" data-testid="apply.progress">
      <progress max={progress.total} value={progress.done} /> {label && `${label}: `}
      {progress.done} of {progress.total} {unit} · {progress.linesPerSecond.toFixed(1)} {unit}/s{' '}
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

/** Said when a job cut some texts to the model's trained length (sentence models say it in their files). */
export function TruncationNote({
  truncation,
  of,
  testId,
}: {
  truncation?: Truncation;
  of: number;
  testId: string;
}) {
  if (!truncation?.truncated) return null;
  return (
    <p className="hint" data-testid={testId}>
      {truncation.truncated} of {of} texts were cut to {truncation.maxLength} tokens, the longest input this
      model takes for a sentence vector.
    </p>
  );
}

/** Non-empty lines of a text box, trimmed. */
export const nonEmptyLines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** A labelled text box for examples, texts or lines: no spell-checking (token pieces are not words). */
export function TextBox({
  label,
  testId,
  rows,
  value,
  onChange,
}: {
  label: ReactNode;
  testId: string;
  rows: number;
  value: string;
  onChange(value: string): void;
}) {
  return (
    <label className="block">
      {label}
      <textarea
        data-testid={testId}
        rows={rows}
        value={value}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

/** How many nearest examples vote: a whole number from 1 (to `max`, when given). */
export function KInput({
  testId,
  value,
  max,
  onChange,
}: {
  testId: string;
  value: number;
  max?: number;
  onChange(k: number): void;
}) {
  return (
    <label>
      k nearest{' '}
      <input
        type="number"
        data-testid={testId}
        min={1}
        {...(max !== undefined && { max })}
        value={value}
        onChange={(e) => onChange(Math.max(1, Math.floor(Number(e.target.value) || 1)))}
      />
    </label>
  );
}
