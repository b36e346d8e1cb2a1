/**
 * `albert-embed --file` end to end: a pooled vector per line, batched with padding, must equal each line's own
 * run pooled; line numbers are the file's; npy holds the same numbers; progress and warnings go to stderr.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pool, type Pooling } from '../engine/pooling.ts';
import { maxAbsDiff } from '../engine/testing/fixtures.ts';
import { parseNpy } from '../engine/testing/npyParser.ts';
import { cli, expectOneLineError, tiny } from './testing/runCli.ts';
import { tinyEngine } from '../engine/testing/tinyEngine.ts';

/** Lines of different lengths, so that batches pad; a blank and a whitespace-only line, which are skipped. */
const LINES = [
  'hello world',
  '',
  'the cat sat on the mat and looked at the dog for a while',
  ' \t ',
  'last',
  'a b c',
];
const KEPT = [1, 3, 5, 6];
const LONG = 'hello world '.repeat(300);

interface JsonLine {
  line: number;
  text: string;
  tokens: number;
  vector: number[];
}
const jsonLines = (stdout: string): JsonLine[] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as JsonLine);

/**
 * Progress on stderr: a throttled line now and then (on a slow machine), and always a final one with the time.
 */
function expectProgress(stderr: string, final: string): void {
  const lines = stderr.trimEnd().split('\n');
  for (const line of lines.slice(0, -1))
    expect(line).toMatch(/^albert-embed: \d+(\/4)? lines, \d+\.\d lines\/s$/);
  expect(lines.at(-1)).toMatch(
    new RegExp(`^albert-embed: ${final} lines, \\d+\\.\\d lines/s, \\d+\\.\\d s$`),
  );
}

/** Each text's own run (unpadded, batch 1), pooled: what every batched vector must equal. */
let single: (text: string, layer: number, pooling: Pooling) => { vector: Float32Array; tokens: number };
let dir: string;
let file: string;
beforeAll(async () => {
  const engine = await tinyEngine();
  const runs = new Map<string, Awaited<ReturnType<typeof engine.run>>>();
  for (const text of [...LINES.filter((l) => l.trim()), LONG]) runs.set(text, await engine.run(text));
  await engine.dispose();
  single = (text, layer, pooling) => {
    const run = runs.get(text)!;
    return { vector: pool(run.hiddenStates[layer]!, pooling), tokens: run.ids.length };
  };
  dir = mkdtempSync(join(tmpdir(), 'albert-file-'));
  file = join(dir, 'lines.txt');
  writeFileSync(file, `${LINES.join('\n')}\n`);
});

const withFile = (...args: string[]) => cli([...tiny, '--file', file, ...args]);

// Sequential tests, each running a few CLIs at once: on a 2-core machine, every CLI of the file at once would
// take most of the per-test timeout.
describe('albert-embed --file', () => {
  it('streams JSON lines equal to single runs, with the file’s own line numbers, and progress on stderr', async () => {
    const [json, fromStdin] = await Promise.all([
      cli([...tiny, '--file', file, '--batch-size', '2']),
      cli([...tiny, '--file', '-', '--batch-size', '3', '--layer', '1', '--pooling', 'max'], {
        input: LINES.join('\r\n'),
      }),
    ]);
    expect(json.code).toBe(0);
    const rows = jsonLines(json.stdout);
    expect(rows.map((r) => r.line)).toEqual(KEPT);
    expect(Object.keys(rows[0]!).toSorted()).toEqual(['line', 'text', 'tokens', 'vector']);
    for (const row of rows) {
      expect(row.text).toBe(LINES[row.line - 1]);
      const expected = single(row.text, 3, 'mean');
      expect(row.tokens).toBe(expected.tokens);
      expect(row.vector).toHaveLength(32);
      expect(maxAbsDiff(row.vector, expected.vector)).toBeLessThan(1e-5);
    }
    expectProgress(json.stderr, '4/4');

    // stdin (CRLF line ends), another layer and pooling; its total is not known in advance.
    expect(fromStdin.code).toBe(0);
    const other = jsonLines(fromStdin.stdout);
    expect(other.map((r) => [r.line, r.text])).toEqual(KEPT.map((n) => [n, LINES[n - 1]]));
    for (const row of other)
      expect(maxAbsDiff(row.vector, single(row.text, 1, 'max').vector)).toBeLessThan(1e-5);
    expectProgress(fromStdin.stderr, '4');
  });

  it('--format npy writes one (lines, hidden) array equal to the JSON lines; --out for JSON lines', async () => {
    const npyFile = join(dir, 'vectors.npy');
    const jsonFile = join(dir, 'vectors.jsonl');
    const [npy, json] = await Promise.all([
      cli([...tiny, '--file', file, '--format', 'npy', '--out', npyFile, '--batch-size', '3']),
      cli([...tiny, '--file', file, '--out', jsonFile]),
    ]);
    expect(npy.code).toBe(0);
    expect(npy.stdout).toBe('');
    expect(npy.stderr).toMatch(/lines\/s.*\nalbert-embed: wrote .*vectors\.npy\n$/);
    expect(json.stdout).toBe('');
    const rows = jsonLines(readFileSync(jsonFile, 'utf8'));
    // A copy: a small file's Buffer is a view into a shared pool, past whose end the parser would read.
    const array = parseNpy(new Uint8Array(readFileSync(npyFile)));
    expect(array.shape).toEqual([4, 32]);
    expect(
      maxAbsDiff(
        array.values,
        rows.flatMap((r) => r.vector),
      ),
    ).toBeLessThan(1e-6);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('truncates a line longer than the model takes, with a warning naming its line', async () => {
    const longFile = join(dir, 'long.txt');
    writeFileSync(longFile, `hello world\n${LONG}\nlast\n`);
    const r = await cli([...tiny, '--file', longFile]);
    expect(r.code).toBe(0);
    const rows = jsonLines(r.stdout);
    expect(rows.map((row) => [row.line, row.tokens])).toEqual([
      [1, 4],
      [2, 512],
      [3, single('last', 3, 'mean').tokens],
    ]);
    // The short lines were padded to 512 in the same batch; no vector changes for it.
    for (const row of rows)
      expect(maxAbsDiff(row.vector, single(row.text, 3, 'mean').vector)).toBeLessThan(1e-5);
    expect(r.stderr.split('\n')[0]).toBe('albert-embed: line 2 truncated to 512 tokens: 91 dropped');
  });

  it('usage errors: options that do not go with --file, bad --batch-size, npy without --out', async () => {
    const results = await Promise.all([
      withFile('--text', 'x'),
      withFile('--compare', 'x'),
      withFile('--pair', 'x'),
      withFile('--layers', 'all'),
      withFile('--attentions'),
      withFile('--batch-size', '0'),
      withFile('--batch-size', '1.5'),
      withFile('--format', 'tsv', '--out', dir),
      withFile('--format', 'npy'),
      cli([...tiny, '--text', 'x', '--batch-size', '4']),
    ]);
    const messages = [
      /--file cannot be used with --text/,
      /--file cannot be used with --compare/,
      /--file cannot be used with --pair/,
      /--file cannot be used with --layers/,
      /--file cannot be used with --attentions/,
      /--batch-size must be a positive integer \(got "0"\)/,
      /--batch-size must be a positive integer \(got "1\.5"\)/,
      /--file writes JSON lines or, with --format npy, one \.npy/,
      /--format npy needs --out \(a file\)/,
      /--batch-size applies to --file/,
    ];
    results.forEach((r, i) => expectOneLineError(r, 2, messages[i]!));
  });

  it('stops quietly when the reader of its stdout does (| head)', async () => {
    const many = join(dir, 'many.txt');
    writeFileSync(many, 'a line of words\n'.repeat(20_000));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...tiny, '--file', many]);
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const first = await new Promise<string>((resolve) =>
      child.stdout.once('data', (d) => resolve(String(d))),
    );
    child.stdout.destroy();
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(first).toMatch(/^\{"line":1,"text":"a line of words","tokens":\d+,"vector":\[/);
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/error|EPIPE/i);
  });

  it('a file that is missing or a folder: one line, exit 1, before the model loads', async () => {
    const [missing, folder] = await Promise.all([
      cli([...tiny, '--file', join(dir, 'no-such.txt')]),
      cli([...tiny, '--file', dir]),
    ]);
    expectOneLineError(missing, 1, /^albert-embed: error: --file .*no-such\.txt does not exist$/m);
    expectOneLineError(folder, 1, /--file .* is a folder, not a file/);
    expect(existsSync(join(dir, 'no-such.txt'))).toBe(false);
  });
});
