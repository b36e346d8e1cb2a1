/**
 * The page half of every peer: starts the worker, runs the first input at once (cold start ends when its result
 * is back: mark `bench:first-result`), then serves timed runs to the harness through `window.bench`.
 */
import type { PeerReply, PeerRequest } from './protocol.ts';

/**
 * The app's first text, and 14 ids as long as its tokens ([CLS] … [SEP]): which ids does not change the time.
 */
const FIRST = {
  ids: Array.from({ length: 14 }, (_, i) => (i === 0 ? 2 : i === 13 ? 3 : 5 + i)),
  text: 'The quick brown fox jumps over the lazy dog.',
};

export function startPeer(worker: Worker): void {
  let next = 1;
  const pending = new Map<number, { resolve(ms: number): void; reject(e: Error): void }>();
  worker.onmessage = ({ data }: MessageEvent<PeerReply>) => {
    const p = pending.get(data.id);
    pending.delete(data.id);
    if (data.error) p?.reject(new Error(data.error));
    else p?.resolve(data.ms!);
  };
  const run = (input: { ids: number[]; text: string }) =>
    new Promise<number>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...input } satisfies PeerRequest);
    });
  const ready = run(FIRST).then(() => void performance.mark('bench:first-result'));
  window.bench = { ready, run };
}
