/**
 * The text (and optional second segment). Runs as you type (debounced by the controller). Below, the text
 * again with the hovered token's characters marked — rendered as text, never as HTML — up to where the model
 * stopped reading a text too long for it.
 */
import type { WindowSummary } from '../engine/windows.ts';
import { useStore, type LongTexts } from '../state/store.ts';
import type { RunView } from '../worker/protocol.ts';

/** Where the model's tokens of one segment end in its text (all of it, unless the run was cut). */
function readTo(run: Pick<RunView, 'truncated' | 'offsets' | 'tokenTypeIds'>, segment: number, text: string) {
  if (!run.truncated) return text.length;
  let end = 0;
  run.offsets.forEach((span, i) => {
    if (span && run.tokenTypeIds[i] === segment) end = Math.max(end, span[1]);
  });
  return end;
}

/**
 * One segment's text with the hovered span marked. What the model did not read stays in the page's text but is
 * not laid out: a pasted megabyte would otherwise hold the main thread for seconds (a "…" says it goes on).
 */
function Highlighted({ text, span, read }: { text: string; span: [number, number] | null; read: number }) {
  const shown = text.slice(0, read);
  return (
    <>
      {span ? shown.slice(0, span[0]) : shown}
      {span && <mark data-testid="text.mark">{shown.slice(span[0], span[1])}</mark>}
      {span && shown.slice(span[1])}
      {read < text.length && (
        <>
          <span className="unread-mark" data-testid="text.unread" />
          <span className="unread">{text.slice(read)}</span>
        </>
      )}
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
          <Highlighted text={run.text} span={segment === 0 ? span : null} read={readTo(run, 0, run.text)} />
          {run.pair !== undefined && (
            <>
              <span className="separator"> ⟂ </span>
              <Highlighted
                text={run.pair}
                span={segment === 1 ? span : null}
                read={readTo(run, 1, run.pair)}
              />
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
