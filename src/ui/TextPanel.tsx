/**
 * The text (and optional second segment). Runs as you type (debounced by the controller). Below, the text
 * again with the hovered token's characters marked — rendered as text, never as HTML.
 */
import { useStore } from '../state/store.ts';

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
