/** `--file`'s progress: throttled, in place on a terminal, always a final line. */
import { describe, expect, it } from 'vitest';
import { Progress } from './progress.ts';

function progress(tty: boolean, total?: number) {
  let now = 0;
  const written: string[] = [];
  const p = new Progress({ total, tty, write: (t) => written.push(t), now: () => now });
  return { p, written, at: (ms: number) => (now = ms) };
}

describe('Progress', () => {
  it('off a terminal: a line at most every 5 s, then the final line with the time', () => {
    const { p, written, at } = progress(false, 500);
    for (let ms = 100; ms <= 9000; ms += 100) {
      at(ms);
      p.update(ms / 20);
    }
    at(10_000);
    p.finish(500);
    expect(written).toEqual([
      'albert-embed: 250/500 lines, 50.0 lines/s\n',
      'albert-embed: 500/500 lines, 50.0 lines/s, 10.0 s\n',
    ]);
  });

  it('on a terminal: rewrites one line a few times a second; a warning clears it first', () => {
    const { p, written, at } = progress(true);
    at(100);
    p.update(10);
    at(300);
    p.update(30);
    p.message('line 31 truncated to 512 tokens: 4 dropped');
    at(500);
    p.finish(50);
    expect(written).toEqual([
      '\r\x1b[Kalbert-embed: 30 lines, 100.0 lines/s',
      '\r\x1b[Kalbert-embed: line 31 truncated to 512 tokens: 4 dropped\n',
      'albert-embed: 50 lines, 100.0 lines/s, 0.5 s\n',
    ]);
  });
});
