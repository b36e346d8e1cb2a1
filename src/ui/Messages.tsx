/**
 * Banners (which model and why), notices (a lost GPU, a cancelled load), the random-weights warning, where the
 * numbers come from when the file is quantized or fp16, a model the browser would not keep, and errors.
 */
import { precisionSentence } from '../engine/fidelity.ts';
import { useStore } from '../state/store.ts';

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
        <p className="banner" data-testid="message.banner">
          {banner}
        </p>
      )}
      {randomWeights && (
        <p className="warning" data-testid="message.random-weights">
          This model has random weights, for testing: its tokens are real, but its vectors, attention and
          similarities mean nothing.
        </p>
      )}
      {precisionNote && (
        <p className="notice" data-testid="message.precision">
          {precisionNote}
        </p>
      )}
      {notCached && (
        <p className="notice" data-testid="message.not-cached">
          This model runs, but it was not kept for offline use: {notCached}, so the next visit downloads it
          again.
        </p>
      )}
      {notice && (
        <p className="notice" data-testid="message.notice">
          {notice}
        </p>
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
