/** How download progress reaches the page: throttled per file, but never stuck on an old figure. */
import { describe, expect, it } from 'vitest';
import type { FileProgress } from '../engine/modelSource.ts';
import { throttled } from './serve.ts';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('throttled progress', () => {
  it('sends the first and last report of a file, and holds the ones between to one per 100 ms', () => {
    const sent: FileProgress[] = [];
    const report = throttled((p) => sent.push(p));
    for (let loaded = 0; loaded <= 1000; loaded += 100) report({ file: 'a', loaded, total: 1000 });
    expect(sent.map((p) => p.loaded)).toEqual([0, 1000]);
  });

  it('sends a held-back report when its interval ends: a download that then stalls shows how far it got', async () => {
    const sent: FileProgress[] = [];
    const report = throttled((p) => sent.push(p));
    report({ file: 'a', loaded: 0, total: 1000 });
    report({ file: 'a', loaded: 300, total: 1000 });
    report({ file: 'a', loaded: 400, total: 1000 });
    expect(sent.map((p) => p.loaded)).toEqual([0]);
    await wait(150);
    expect(sent.map((p) => p.loaded)).toEqual([0, 400]);
    // A file that finished before the interval ended is not set back by what was held.
    report({ file: 'b', loaded: 0, total: 10 });
    report({ file: 'b', loaded: 5, total: 10 });
    report({ file: 'b', loaded: 10, total: 10 });
    await wait(150);
    expect(sent.filter((p) => p.file === 'b').map((p) => p.loaded)).toEqual([0, 10]);
  });
});
