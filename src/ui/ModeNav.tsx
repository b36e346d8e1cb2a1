/** What the page is for: inspecting one text, or comparing, many sentences, classifying. Part of the URL. */
import { MODES, useStore, type Mode } from '../state/store.ts';

const LABELS: Record<Mode, string> = {
  inspect: 'Inspect a text',
  compare: 'Compare two sentences',
  lines: 'Many sentences',
  classify: 'Few-shot classification',
  tag: 'Tag tokens',
  probe: 'Which layer knows this',
};

export function ModeNav() {
  const mode = useStore((s) => s.mode);
  const setMode = useStore((s) => s.setMode);
  return (
    <nav className="modes" aria-label="what to do">
      {MODES.map((m) => (
        <button
          key={m}
          type="button"
          data-testid={`mode.${m}`}
          aria-current={mode === m ? 'page' : undefined}
          onClick={() => setMode(m)}
        >
          {LABELS[m]}
        </button>
      ))}
    </nav>
  );
}
