/**
 * A value fetched from the worker for the current key: stale answers (for a key no longer current) are
 * dropped, and the last value stays on screen while the next one is on its way, so views do not flicker.
 */
import { useEffect, useState } from 'react';

export interface Fetched<T> {
  value?: T;
  /** The key the value belongs to. */
  valueKey?: string;
  error?: string;
  pending: boolean;
}

/** Runs `fetch` whenever `key` changes (nothing while it is undefined). */
export function useFetched<T>(key: string | undefined, fetch: () => Promise<T>): Fetched<T> {
  const [state, setState] = useState<Fetched<T>>({ pending: false });
  useEffect(() => {
    if (key === undefined) return;
    let current = true;
    setState((s) => ({ ...s, pending: true, error: undefined }));
    fetch().then(
      (value) => current && setState({ value, valueKey: key, pending: false }),
      (e: unknown) => current && setState((s) => ({ ...s, error: (e as Error).message, pending: false })),
    );
    return () => {
      current = false;
    };
    // `fetch` is a fresh closure each render; the key says when it asks for something new.
  }, [key]);
  return state;
}
