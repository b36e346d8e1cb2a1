/**
 * Whether a CSS media query matches, re-rendering when it changes (a phone turned, the system's dark mode
 * switched). The layout itself is CSS; this is for what CSS cannot reach: plotly's colours, and panels that
 * start folded on a phone.
 */
import { useCallback, useSyncExternalStore } from 'react';

/** Narrower than this is a phone: panels start folded and banners collapse to one line (see styles.css). */
export const PHONE_QUERY = '(max-width: 640px)';
export const DARK_QUERY = '(prefers-color-scheme: dark)';

export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
}

/** The system asks for a dark page. */
export const useDark = () => useMediaQuery(DARK_QUERY);
/** The page is phone-narrow. */
export const usePhone = () => useMediaQuery(PHONE_QUERY);
