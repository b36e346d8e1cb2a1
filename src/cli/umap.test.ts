/**
 * `albert-embed --file … --umap` end to end: the coordinates it prints are the engine's UMAP layout of the very
 * vectors `--file` prints for the same lines (bit for bit: the same code on the same numbers), a seed repeats
 * them, another moves them, and bad parameters are one-line usage errors.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { umapLayout } from '../engine/umap.ts';
import { cli, expectOneLineError, tiny } from './testing/runCli.ts';

const LINES = ['hello world', 'the cat sat on the mat', '', 'the dog ran', 'a bird sang', 'rain fell', 'hi'];

interface Printed {
  line: number;
  text: string;
  tokens: number;
  vector?: number[];
  umap?: number[];
}
const parse = (stdout: string): Printed[] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Printed);

let file: string;
beforeAll(() => {
  file = join(mkdtempSync(join(tmpdir(), 'albert-umap-')), 'lines.txt');
  writeFileSync(file, LINES.join('\n'));
});

describe('--umap', () => {
  it("prints each line's coordinates: the engine's layout of the vectors --file prints", async () => {
    const params = ['--neighbours', '3', '--min-dist', '0.25', '--seed', '11'];
    const [vectors, layout, again, otherSeed] = await Promise.all([
      cli([...tiny, '--file', file, '--layer', '2']),
      cli([...tiny, '--file', file, '--layer', '2', '--umap', ...params]),
      cli([...tiny, '--file', file, '--layer', '2', '--umap', ...params]),
      cli([...tiny, '--file', file, '--layer', '2', '--umap', ...params.slice(0, 4), '--seed', '12']),
    ]);
    expect(layout.code).toBe(0);
    const printed = parse(layout.stdout);
    expect(printed.map((p) => [p.line, p.text])).toEqual([
      [1, 'hello world'],
      [2, 'the cat sat on the mat'],
      [4, 'the dog ran'],
      [5, 'a bird sang'],
      [6, 'rain fell'],
      [7, 'hi'],
    ]);
    expect(layout.stderr).toMatch(
      /^albert-embed: UMAP of 6 lines \(neighbours 3, min-dist 0\.25, seed 11, 500 epochs\) in \d+\.\d s$/m,
    );
    // --file prints float32 values in 9 significant digits, which give back the same float32.
    const rows = parse(vectors.stdout).map((p) => p.vector!);
    const expected = await umapLayout(Float32Array.from(rows.flat()), rows.length, rows[0]!.length, {
      neighbours: 3,
      minDist: 0.25,
      seed: 11,
    });
    expect(printed.flatMap((p) => p.umap!)).toEqual(Array.from(expected.coordinates));
    expect(again.stdout).toBe(layout.stdout);
    expect(otherSeed.stdout).not.toBe(layout.stdout);
  });

  it('rejects parameters it cannot use, in one line', async () => {
    const results = await Promise.all([
      cli([...tiny, '--text', 'hi', '--umap']),
      cli([...tiny, '--file', file, '--neighbours', '4']),
      cli([...tiny, '--file', file, '--umap', '--min-dist', '1.5']),
      cli([...tiny, '--file', file, '--umap', '--neighbours', '1']),
      cli([...tiny, '--file', file, '--umap', '--seed', '1.5']),
      cli([...tiny, '--file', file, '--umap', '--format', 'npy', '--out', join(tmpdir(), 'x.npy')]),
    ]);
    const messages = [
      /--umap applies to --file \(see --help\)$/m,
      /--neighbours, --min-dist and --seed apply to --umap/,
      /--min-dist must be a number from 0 to 1 \(got "1\.5"\)/,
      /--neighbours must be at least 2 \(got "1"\)/,
      /--seed must be a non-negative integer \(got "1\.5"\)/,
      /--umap prints JSON lines: it cannot be used with --format npy/,
    ];
    results.forEach((r, i) => expectOneLineError(r, 2, messages[i]!));
  });
});
