/**
 * A long worker job as a panel holds it (embedding many lines, classifying): started, its progress (and a partial
 * view now and then), cancel, its end (cancelled or not) and its error, in one place. A job started later
 * replaces an earlier one: answers about the earlier one are dropped.
 */
import { useRef, useState } from 'react';
import type { EngineClient } from '../../worker/client.ts';
import type { LinesProgress } from '../../worker/protocol.ts';

export interface Job<P, G = LinesProgress> {
  id: number;
  progress?: G;
  /** The latest partial view the job sent. */
  partial?: P;
  running: boolean;
  /** Set when it ended early on the user's cancel. */
  cancelled?: boolean;
}

/** What a job resolves to: whether it was cancelled, and what else its request's reply holds. */
type Ended = { cancelled: boolean };

/** G: what progress the job reports (lines done, or a UMAP's epochs). */
export function useJob<R extends Ended, P = never, G = LinesProgress>(client: EngineClient, failure: string) {
  const [job, setJob] = useState<Job<P, G>>();
  const [error, setError] = useState<string>();
  const latest = useRef(0);

  /**
   * Starts a job: `begin` asks the client for it with a progress callback; `onEnd` gets its reply and id
   * unless a newer job was started meanwhile.
   */
  const start = (
    begin: (onProgress: (progress: G, partial?: P) => void) => { id: number; done: Promise<R> },
    onEnd: (reply: R, id: number) => void,
  ) => {
    setError(undefined);
    const started = begin((progress, partial) =>
      setJob((j) => (j?.id === started.id ? { ...j, progress, partial: partial ?? j.partial } : j)),
    );
    latest.current = started.id;
    setJob({ id: started.id, running: true });
    started.done.then(
      (reply) => {
        if (latest.current !== started.id) return;
        setJob((j) => j && { ...j, running: false, cancelled: reply.cancelled });
        onEnd(reply, started.id);
      },
      (e: unknown) => {
        if (latest.current !== started.id) return;
        setJob(undefined);
        setError(`${failure}: ${(e as Error).message}`);
      },
    );
  };

  const cancel = () => {
    if (job?.running) void client.cancel(job.id);
  };

  return { job, error, start, cancel };
}
