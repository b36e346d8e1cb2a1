/** `--file`'s progress and a hub model's downloads: throttled, in place on a terminal, always a final line. */
import { describe, expect, it } from 'vitest';
import { downloadProgress, Progress } from './progress.ts';

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

  it('downloads on a terminal: bytes of each file in place, a line when one is in, a line when one fails', () => {
    let now = 0;
    const written: string[] = [];
    const show = downloadProgress(
      (t) => written.push(t),
      true,
      () => now,
    )!;
    const total = 45_300_000;
    show({ file: 'onnx/model.onnx', loaded: 0, total, state: 'downloading' });
    now = 1000;
    show({ file: 'onnx/model.onnx', loaded: 12_300_000, total, state: 'downloading' });
    now = 2000;
    show({ file: 'onnx/model.onnx', loaded: total, total, state: 'done' });
    show({ file: 'tokenizer.json', loaded: 0, total: 760_000, state: 'downloading' });
    now = 3000;
    show({ file: 'tokenizer.json', loaded: 1000, total: 760_000, state: 'failed' });
    expect(written).toEqual([
      '\r\x1b[Kalbert-embed: onnx/model.onnx 12.3 MB/45.3 MB, 12.3 MB/s',
      '\r\x1b[Kalbert-embed: onnx/model.onnx 45.3 MB/45.3 MB, 22.6 MB/s, 2.0 s\n',
      'albert-embed: tokenizer.json: download failed\n',
    ]);
  });

  it('downloads off a terminal print nothing', () => {
    expect(downloadProgress(() => undefined, false)).toBeUndefined();
  });
});
