/**
 * Progress on stderr (`--file`'s lines, a hub model's downloads), throttled so that a fast run does not print a
 * line per batch: updated in place a few times a second on a terminal, a plain line every few seconds otherwise (a
 * log file or a pipe), and always a final line with the count and the rate.
 */
import type { Download } from '../engine/node/hubCacheSource.ts';
import { formatBytes } from '../shared/format.ts';

export interface ProgressOptions {
  /** Lines to embed, when known in advance (a regular file is counted first; stdin is not). */
  total?: number;
  write: (text: string) => void;
  /** A terminal: rewrite one line in place instead of appending lines. */
  tty: boolean;
  /** Milliseconds between updates (default 250 on a terminal, 5000 otherwise). */
  intervalMs?: number;
  now?: () => number;
  /** The status of `done` of `total` at a rate per second (default: lines, `320/500 lines, 41.2 lines/s`). */
  describe?: (done: number, total: number | undefined, perSecond: number) => string;
  /** What each line starts with (default `albert-embed: `). */
  prefix?: string;
}

function lines(done: number, total: number | undefined, perSecond: number): string {
  return `${total === undefined ? done : `${done}/${total}`} lines, ${perSecond.toFixed(1)} lines/s`;
}

/** A file's bytes: `onnx/model.onnx 12.3 MB/45.3 MB, 8.1 MB/s`. */
export function bytesOf(file: string) {
  return (done: number, total: number | undefined, perSecond: number) =>
    `${file} ${formatBytes(done)}${total === undefined ? '' : `/${formatBytes(total)}`}, ${formatBytes(Math.round(perSecond))}/s`;
}

const CLEAR = '\r\x1b[K';

export class Progress {
  private readonly started: number;
  private lastShown: number;
  private showing = false;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? (() => performance.now());
    this.intervalMs = options.intervalMs ?? (options.tty ? 250 : 5000);
    this.started = this.now();
    this.lastShown = this.started;
  }

  /** `done` lines embedded so far; prints when the interval has passed since the last print. */
  update(done: number): void {
    const now = this.now();
    if (now - this.lastShown < this.intervalMs) return;
    this.lastShown = now;
    if (this.options.tty) {
      this.options.write(`${CLEAR}${this.prefix}${this.status(done, now)}`);
      this.showing = true;
    } else this.options.write(`${this.prefix}${this.status(done, now)}\n`);
  }

  /** A message on its own line (e.g. a truncation warning), clearing an in-place progress line first. */
  message(text: string): void {
    this.options.write(`${this.showing ? CLEAR : ''}${this.prefix}${text}\n`);
    this.showing = false;
  }

  /** The final line: lines, rate and time taken. */
  finish(done: number): void {
    const now = this.now();
    this.message(`${this.status(done, now)}, ${((now - this.started) / 1000).toFixed(1)} s`);
  }

  private get prefix(): string {
    return this.options.prefix ?? 'albert-embed: ';
  }

  private status(done: number, now: number): string {
    const seconds = (now - this.started) / 1000;
    return (this.options.describe ?? lines)(done, this.options.total, seconds > 0 ? done / seconds : 0);
  }
}

/**
 * A hub model's downloads on a terminal: a Progress per file, in place while it downloads and a final line when
 * it is in (as huggingface_hub's bars stay). Nothing off a terminal, where stderr keeps to notes and errors.
 */
export function downloadProgress(
  write: (text: string) => void,
  tty: boolean,
  now?: () => number,
): ((download: Download) => void) | undefined {
  if (!tty) return undefined;
  const bars = new Map<string, Progress>();
  return ({ file, loaded, total, state }) => {
    let bar = bars.get(file);
    if (!bar) {
      bar = new Progress({ total, write, tty, describe: bytesOf(file), ...(now && { now }) });
      bars.set(file, bar);
    }
    if (state === 'downloading') return bar.update(loaded);
    bars.delete(file);
    if (state === 'done') bar.finish(loaded);
    else bar.message(`${file}: download failed`);
  };
}
