/**
 * A view that opens on request: the plotly views load plotly (4.6 MB) and draw on the main thread, so they
 * appear only when asked for, and only once there is a run to show.
 */
import { useState, type ReactNode } from 'react';
import { useStore } from '../state/store.ts';

export function OnRequest({
  label,
  testId,
  children,
}: {
  label: string;
  testId: string;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const hasRun = useStore((s) => s.run !== undefined);
  if (!hasRun) return null;
  return (
    <section className="on-request">
      <button type="button" data-testid={testId} aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide' : 'Show'} {label}
      </button>
      {open && children}
    </section>
  );
}
