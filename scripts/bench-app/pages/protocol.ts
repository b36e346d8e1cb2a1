/**
 * What a peer page and its worker say to each other, and what the page offers the harness on `window.bench`:
 * the first result (the mark `bench:first-result`), then timed runs.
 */
export type PeerRequest = { id: number; ids?: number[]; text?: string };
export type PeerReply = { id: number; ms?: number; error?: string };

export interface BenchPage {
  /** Resolves after the first run (model loaded, session created, a short input run). */
  ready: Promise<void>;
  /** One run of these token ids (bare sessions) or this text (transformers.js); resolves with wall ms. */
  run(input: { ids: number[]; text: string }): Promise<number>;
}

declare global {
  interface Window {
    bench?: BenchPage;
  }
}
