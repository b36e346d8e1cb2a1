/** A new deploy installed behind the running version: one line offering to switch to it. */
import { useStore } from '../state/store.ts';

export function UpdateNotice() {
  const applyUpdate = useStore((s) => s.applyUpdate);
  if (!applyUpdate) return null;
  return (
    <p className="notice update" role="status" data-testid="message.update">
      A new version of the playground is ready.{' '}
      <button type="button" onClick={applyUpdate} data-testid="message.update.reload">
        Reload
      </button>{' '}
      <small>(your texts are kept)</small>
    </p>
  );
}
