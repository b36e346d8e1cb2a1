/**
 * Banners (which model and why), notices (a lost GPU, a cancelled load), the random-weights warning, where the
 * numbers come from when the file is quantized or fp16, a model the browser would not keep, and errors.
 * On a phone every message but an error folds to one line that opens on a tap, so the text box stays in the
 * first screen; errors always show in full.
 */
import { useState, type ReactNode } from 'react';
import { precisionSentence } from '../engine/fidelity.ts';
import { useStore } from '../state/store.ts';
import { usePhone } from './useMediaQuery.ts';

/** One message: a paragraph on a wide screen; on a phone, a one-line summary that unfolds. */
function Message({ kind, testId, children }: { kind: string; testId: string; children: ReactNode }) {
  const phone = usePhone();
  const [open, setOpen] = useState(false);
  if (!phone)
    return (
      <p className={kind} data-testid={testId}>
        {children}
      </p>
    );
  return (
    <details
      className={`${kind} folding`}
      data-testid={testId}
      open={open}
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary>{children}</summary>
    </details>
  );
}

export function Messages() {
  const banner = useStore((s) => s.banner);
  const notice = useStore((s) => s.notice);
  const error = useStore((s) => s.error);
  const runError = useStore((s) => s.runError);
  const randomWeights = useStore((s) => s.info?.randomWeights);
  const notCached = useStore((s) => s.info?.notCached);
  const precision = useStore((s) => s.info?.precision);
  const precisionNote = precision && precisionSentence(precision);
  return (
    <div className="messages">
      {banner && (
        <Message kind="banner" testId="message.banner">
          {banner}
        </Message>
      )}
      {randomWeights && (
        <Message kind="warning" testId="message.random-weights">
          This model has random weights, for testing: its tokens are real, but its vectors, attention and
          similarities mean nothing.
        </Message>
      )}
      {precisionNote && (
        <Message kind="notice" testId="message.precision">
          {precisionNote}
        </Message>
      )}
      {notCached && (
        <Message kind="notice" testId="message.not-cached">
          This model runs, but it was not kept for offline use: {notCached}, so the next visit downloads it
          again.
        </Message>
      )}
      {notice && (
        <Message kind="notice" testId="message.notice">
          {notice}
        </Message>
      )}
      {error && (
        <p className="error" role="alert" data-testid="message.error">
          Could not load the model: {error.message}
        </p>
      )}
      {runError && (
        <p className="error" role="alert" data-testid="message.run-error">
          Could not run the model: {runError.message}
        </p>
      )}
    </div>
  );
}
