/**
 * The text (and optional second segment). Runs as you type (debounced by the controller). Below, the text
 * again with the hovered token's characters marked — rendered as text, never as HTML.
 */
import type { WindowSummary } from '../engine/windows.ts';
import { useStore, type LongTexts } from '../state/store.ts';

function Highlighted({ text, span }: { text: string; span: [number, number] | null }) {
  if (!span) return <>{text}</>;
  return (
    <>
      {text.slice(0, span[0])}
      <mark data-testid="text.mark">{text.slice(span[0], span[1])}</mark>
      {text.slice(span[1])}
    </>
  );
}

export function TextPanel() {
  const text = useStore((s) => s.text);
  const pair = useStore((s) => s.pair);
  const pairEnabled = useStore((s) => s.pairEnabled);
  const setText = useStore((s) => s.setText);
  const setPair = useStore((s) => s.setPair);
  const setPairEnabled = useStore((s) => s.setPairEnabled);
  const run = useStore((s) => s.run);
  const hovered = useStore((s) => s.hoveredToken);
  const span = run && hovered !== null ? (run.offsets[hovered] ?? null) : null;
  const segment = run && hovered !== null ? run.tokenTypeIds[hovered] : undefined;
  return (
    <section className="text-panel">
      <label className="block">
        Text
        <textarea
          data-testid="text.input"
          value={text}
          rows={4}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <label>
        <input
          type="checkbox"
          data-testid="text.pair-toggle"
          checked={pairEnabled}
          onChange={(e) => setPairEnabled(e.target.checked)}
        />{' '}
        Second segment (encoded as [CLS] A [SEP] B [SEP])
      </label>
      {pairEnabled && (
        <textarea
          data-testid="text.pair"
          value={pair}
          rows={2}
          spellCheck={false}
          onChange={(e) => setPair(e.target.value)}
        />
      )}
      <LongTextsControl />
      {run?.windows && <WindowsNote windows={run.windows} />}
      {run && (
        <div
          className="highlight"
          data-testid="text.highlight"
          aria-label="the text with the hovered token marked"
        >
          <Highlighted text={run.text} span={segment === 0 ? span : null} />
          {run.pair !== undefined && (
            <>
              <span className="separator"> ⟂ </span>
              <Highlighted text={run.pair} span={segment === 1 ? span : null} />
            </>
          )}
        </div>
      )}
    </section>
  );
}

/**
 * What a text longer than the model's maximum does: truncate (the default, and the note under the chips says
 * what was dropped) or overlapping windows, whose overlap the user picks. A pair is always truncated.
 */
function LongTextsControl() {
  const longTexts = useStore((s) => s.longTexts);
  const overlap = useStore((s) => s.overlap);
  const setLongTexts = useStore((s) => s.setLongTexts);
  const setOverlap = useStore((s) => s.setOverlap);
  const pairEnabled = useStore((s) => s.pairEnabled);
  const maxLength = useStore((s) => s.info?.maxLength ?? 512);
  return (
    <div className="long-texts" role="group" aria-label="long texts">
      Long texts:{' '}
      {(['truncate', 'windows'] as LongTexts[]).map((mode) => (
        <label key={mode}>
          <input
            type="radio"
            name="long-texts"
            data-testid={`text.long-${mode}`}
            checked={longTexts === mode}
            onChange={() => setLongTexts(mode)}
          />{' '}
          {mode}
        </label>
      ))}
      {longTexts === 'windows' && (
        <label>
          {' '}
          overlap{' '}
          <input
            type="number"
            data-testid="text.overlap"
            min={0}
            max={maxLength - 3}
            step={1}
            value={overlap}
            onChange={(e) => {
              const value = e.target.valueAsNumber;
              if (Number.isInteger(value) && value >= 0) setOverlap(value);
            }}
          />{' '}
          tokens
        </label>
      )}
      {longTexts === 'windows' && pairEnabled && (
        <span className="hint"> (windows take one text: a pair is truncated)</span>
      )}
    </div>
  );
}

/** How the text ran: how many windows, of what size, sharing how many pieces. */
function WindowsNote({ windows }: { windows: WindowSummary }) {
  const { count, maxLength, overlap } = windows;
  return (
    <p className="hint" data-testid="text.windows-note">
      {count === 1
        ? `1 window of up to ${maxLength} tokens: the text fits, nothing was cut.`
        : `${count} windows of up to ${maxLength} tokens, overlap ${overlap}: each token's vectors come from the window where it is most central. Attention is per window.`}
    </p>
  );
}
