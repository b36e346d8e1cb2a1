/** Banners (which model and why), notices (a lost GPU), the random-weights warning and errors. */
import { useStore } from '../state/store.ts';

export function Messages() {
  const banner = useStore((s) => s.banner);
  const notice = useStore((s) => s.notice);
  const error = useStore((s) => s.error);
  const runError = useStore((s) => s.runError);
  const randomWeights = useStore((s) => s.info?.randomWeights);
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
