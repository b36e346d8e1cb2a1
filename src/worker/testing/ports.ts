/**
 * A page and a worker joined as a real Worker joins them: each message is structured-cloned with its transfer
 * list, so a transferred buffer is detached on the side that sent it (a worker that moves memory it keeps breaks
 * here as it would in a browser), and arrives in a later microtask.
 */
import type { Port, WorkerEvent, WorkerPort, WorkerRequest } from '../protocol.ts';

export interface LinkedPorts {
  page: WorkerPort;
  worker: Port<WorkerEvent, WorkerRequest>;
  /** Every request the worker received, in order. */
  received: WorkerRequest[];
  /** The transfer list of every message the worker sent. */
  transferred: Transferable[][];
}

export function linkedPorts(): LinkedPorts {
  let closed = false;
  const received: WorkerRequest[] = [];
  const transferred: Transferable[][] = [];
  const page: WorkerPort = {
    onmessage: null,
    onerror: null,
    postMessage: (message, transfer = []) => {
      if (closed) return;
      const data = structuredClone(message, { transfer });
      queueMicrotask(() => {
        if (closed) return;
        received.push(data);
        worker.onmessage?.({ data } as MessageEvent<WorkerRequest>);
      });
    },
    terminate: () => {
      closed = true;
    },
  };
  const worker: Port<WorkerEvent, WorkerRequest> = {
    onmessage: null,
    postMessage: (message, transfer = []) => {
      if (closed) return;
      transferred.push(transfer);
      const data = structuredClone(message, { transfer });
      queueMicrotask(() => page.onmessage?.({ data } as MessageEvent<WorkerEvent>));
    },
  };
  return { page, worker, received, transferred };
}
