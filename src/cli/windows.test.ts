/**
 * `--windows` end to end: a text and a file line longer than 512 tokens, their numbers against the engine's
 * windowed run in this process (itself checked against each window run on its own, in windows.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pool } from '../engine/pooling.ts';
import { runWindows, type WindowedRun } from '../engine/windows.ts';
import { cli, expectOneLineError, tiny } from './testing/runCli.ts';
import { tinyEngine } from '../engine/testing/tinyEngine.ts';

/** 1,050 pieces: one piece per word in the bundled model. */
const LONG = Array.from({ length: 150 }, () => 'brown fox jumps over the lazy dog').join(' ');
const maxDiff = (a: number[], b: ArrayLike<number>) =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

let reference: WindowedRun;
let short: Float32Array;
beforeAll(async () => {
  const engine = await tinyEngine();
  reference = await runWindows(engine, LONG, { overlap: 100 });
  short = pool((await engine.run('short line here')).hiddenStates[3]!, 'mean');
  await engine.dispose();
});

describe('albert-embed --windows', () => {
  it.concurrent(
    '--text: every token, stitched, with the windows and the document vector in the JSON',
    async () => {
      const r = await cli([...tiny, '--windows', '100', '--layers', 'all', '--text', LONG]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(
        'albert-embed: ran 3 windows of up to 512 tokens, overlap 100, over all 1052 tokens\n',
      );
      const out = JSON.parse(r.stdout);
      expect(out.windows).toEqual({
        count: 3,
        overlap: 100,
        maxLength: 512,
        spans: [
          [1, 511],
          [411, 921],
          [821, 1051],
        ],
      });
      expect(out.truncated).toBe(false);
      expect(out.tokens).toHaveLength(1052);
      // 9 significant digits in the JSON: equal to float32 resolution.
      for (let l = 0; l < 4; l++) {
        expect(maxDiff(out.hiddenStates[l].flat(), reference.run.hiddenStates[l]!.data)).toBeLessThan(1e-6);
        expect(maxDiff(out.documentVectors[l], reference.documentVectors.data.subarray(l * 32))).toBeLessThan(
          1e-6,
        );
      }
    },
  );

  it.concurrent(
    '--file: a long line is the mean over its windows, a short one its plain vector',
    async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'albert-windows-')), 'lines.txt');
      writeFileSync(file, `short line here\n${LONG}\n`);
      const r = await cli([...tiny, '--windows', '100', '--file', file]);
      expect(r.code).toBe(0);
      const [first, second] = r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(maxDiff(first.vector, short)).toBeLessThan(1e-6);
      expect(second.tokens).toBe(1052);
      expect(maxDiff(second.vector, reference.documentVectors.data.subarray(3 * 32))).toBeLessThan(1e-6);
      expect(r.stderr).toContain('albert-embed: line 2 ran as 3 windows of up to 512 tokens\n');
      expect(r.stderr).not.toContain('truncated');
    },
  );

  it.concurrent('without --windows the text is truncated, and stderr says so', async () => {
    const r = await cli([...tiny, '--text', LONG]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('albert-embed: input truncated to 512 tokens: 540 dropped\n');
    expect(JSON.parse(r.stdout).windows).toBeUndefined();
  });

  it.concurrent.each([
    [['--windows', 'abc', '--text', 'hi'], 2, /--windows takes an overlap in tokens.*"abc"/],
    [['--windows', '-3', '--text', 'hi'], 2, /--windows takes an overlap in tokens.*"-3"/],
    [['--windows', '--pair', 'b', '--text', 'hi'], 2, /--windows cannot be used with --pair/],
    [['--windows', '--attentions', '--text', 'hi'], 2, /--windows cannot be used with --attentions/],
    [
      ['--windows', '510', '--text', 'hi'],
      1,
      /overlap must be smaller than the 510 text tokens a window holds/,
    ],
  ])('refuses %j with one line', async (args, code, message) => {
    expectOneLineError(await cli([...tiny, ...args]), code, message);
  });
});
