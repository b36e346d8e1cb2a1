/** A Storage in memory for tests; `failing` makes every write throw as a full or disabled storage does. */
export function memoryStorage(failing = false): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => map.delete(k),
    setItem: (k, v) => {
      if (failing) throw new DOMException('quota', 'QuotaExceededError');
      map.set(k, v);
    },
  };
}
