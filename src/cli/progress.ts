/**
 * Progress of `--file` on stderr, throttled so that a fast run does not print a line per batch: updated in place
 * a few times a second on a terminal, a plain line every few seconds otherwise (a log file or a pipe), and always
 * a final line with the count and the rate.
 */

export interface ProgressOptions {
  /** Lines to embed, when known in advance (a regular file is counted first; stdin is not). */
  total?: number;
  write: (text: string) => void;
  /** A terminal: rewrite one line in place instead of appending lines. */
  tty: boolean;
  /** Milliseconds between updates (default 250 on a terminal, 5000 otherwise). */
  intervalMs?: number;
  now?: () => number;
}

const PREFIX = 'albert-embed: ';
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
      this.options.write(`${CLEAR}${PREFIX}${this.status(done, now)}`);
      this.showing = true;
    } else this.options.write(`${PREFIX}${this.status(done, now)}\n`);
  }

  /** A message on its own line (e.g. a truncation warning), clearing an in-place progress line first. */
  message(text: string): void {
    this.options.write(`${this.showing ? CLEAR : ''}${PREFIX}${text}\n`);
    this.showing = false;
  }

  /** The final line: lines, rate and time taken. */
  finish(done: number): void {
    const now = this.now();
    this.message(`${this.status(done, now)}, ${((now - this.started) / 1000).toFixed(1)} s`);
  }

  private status(done: number, now: number): string {
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const count = this.options.total === undefined ? `${done}` : `${done}/${this.options.total}`;
    return `${count} lines, ${rate.toFixed(1)} lines/s`;
  }
}
