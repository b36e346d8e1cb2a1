/** `--file`'s pipeline without a model: line numbering, no read-ahead, flat memory, the .npy sink. */
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../engine/testing/npyParser.ts';
import { jsonLinesSink, npySink } from './lineSinks.ts';
import { embedLines, readLines, type Embedder, type Line, type LineSink } from './lines.ts';

const collect = async (lines: AsyncIterable<Line>) => {
  const out: Line[] = [];
  for await (const line of lines) out.push(line);
  return out;
};

/** Vectors of `width` whose first value is the text's length (the rest print with 9 digits), instantly. */
const fakeEmbedder =
  (width: number): Embedder =>
  async (texts) => ({
    vectors: texts.map((t) => Float32Array.from({ length: width }, (_, i) => (i ? i / 7 : t.length))),
    tokens: texts.map((t) => t.length),
    dropped: texts.map(() => 0),
  });

const truncating: Embedder = async (texts) => ({
  ...(await fakeEmbedder(2)(texts)),
  dropped: texts.map((t) => (t === 'long' ? 7 : 0)),
});

const failing: Embedder = async () => {
  throw new Error('out of memory');
};

const quiet = { batchSize: 4, maxLength: 512, warn: () => {} };
const dir = mkdtempSync(join(tmpdir(), 'albert-lines-'));

describe('readLines', () => {
  it('numbers lines as the file does, skips blank ones, takes CRLF, a BOM and a missing last newline', async () => {
    const text = '\uFEFFfirst\r\n\r\n  \nfourth\n\nsixth';
    expect(await collect(readLines(Readable.from([Buffer.from(text)])))).toEqual([
      { line: 1, text: 'first' },
      { line: 4, text: 'fourth' },
      { line: 6, text: 'sixth' },
    ]);
  });

  it('joins characters and lines split across chunks', async () => {
    const bytes = Buffer.from('héllo wörld\n日本語\n');
    const oneByteChunks = Array.from(bytes, (b) => Buffer.from([b]));
    expect(await collect(readLines(Readable.from(oneByteChunks)))).toEqual([
      { line: 1, text: 'héllo wörld' },
      { line: 2, text: '日本語' },
    ]);
  });
});

describe('embedLines', () => {
  it('reads no further ahead than one batch, and writes in order', async () => {
    let pulled = 0;
    const written: number[] = [];
    let worstAhead = 0;
    async function* lines() {
      for (let line = 1; line <= 50; line++) {
        pulled++;
        worstAhead = Math.max(worstAhead, pulled - written.length);
        yield { line, text: `line ${line}` };
      }
    }
    const sink: LineSink = {
      write: async (line) => void written.push(line.line),
      close: async () => {},
      abort: () => {},
    };
    expect(await embedLines(lines(), fakeEmbedder(3), sink, { ...quiet, batchSize: 8 })).toBe(50);
    expect(written).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(worstAhead).toBeLessThanOrEqual(8);
  });

  it('warns about truncated lines by line number, and aborts the sink when embedding fails', async () => {
    const warnings: string[] = [];
    const lines = Readable.from([Buffer.from('a\n\nlong\nb\n')]);
    const sink = npySink(join(dir, 'warned.npy'), 2);
    await embedLines(readLines(lines), truncating, sink, { ...quiet, warn: (m) => warnings.push(m) });
    expect(warnings).toEqual(['line 3 truncated to 512 tokens: 7 dropped']);

    const target = join(dir, 'failed.npy');
    const run = embedLines(
      readLines(Readable.from([Buffer.from('a\n')])),
      failing,
      npySink(target, 2),
      quiet,
    );
    await expect(run).rejects.toThrow('out of memory');
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('keeps memory flat: what is alive mid-run does not grow with the number of lines', async () => {
    // Live memory after a full GC, sampled as the run goes: unlike RSS, it does not depend on when V8 chooses
    // to collect. Holding every text, vector or output line of 2,000 (8 KB texts, 1,024-wide vectors, 18 KB of
    // JSON each) would keep 8 MB or more alive, and 10 times less for 200; streaming keeps one batch alive.
    // (Checked: keeping the texts or the vectors in the sink, or ignoring backpressure, fails this test.)
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const live = () => {
      gc();
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      return heapUsed + arrayBuffers;
    };
    const text = 'word '.repeat(1600);
    const files = new Map(
      [200, 2000].map((count) => {
        const path = join(dir, `lines-${count}.txt`);
        writeFileSync(path, Array.from({ length: count }, (_, i) => `${i} ${text}`).join('\n'));
        return [count, path];
      }),
    );
    const liveGrowth = async (count: number) => {
      let bytes = 0;
      // A slow reader, so that backpressure is exercised.
      const out = new Writable({
        write(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          setImmediate(done);
        },
      });
      // Array buffers are freed after a GC, not during it: let the last run's go first.
      live();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const before = live();
      let peak = before;
      await embedLines(
        readLines(createReadStream(files.get(count)!)),
        fakeEmbedder(1024),
        jsonLinesSink(undefined, out),
        {
          ...quiet,
          batchSize: 16,
          onProgress: (done) => {
            if (done % 160 === 0) peak = Math.max(peak, live());
          },
        },
      );
      expect(bytes).toBeGreaterThan(count * 15_000);
      return peak - before;
    };
    await liveGrowth(200); // warms up: compiled code, the heap's own structures
    const small = await liveGrowth(200);
    const large = await liveGrowth(2000);
    expect(large).toBeLessThan(small + 5 * 2 ** 20);
  });
});

describe('npySink', () => {
  it('writes a (lines, width) float32 array whose header is patched at the end; zero lines are (0, width)', async () => {
    const path = join(dir, 'three.npy');
    const lines = Readable.from([Buffer.from('a\nbb\n\nccc\n')]);
    expect(await embedLines(readLines(lines), fakeEmbedder(5), npySink(path, 5), quiet)).toBe(3);
    const array = parseNpy(new Uint8Array(readFileSync(path)));
    expect(array.shape).toEqual([3, 5]);
    expect(array.headerLength + 10).toBe(128);
    expect(array.values.filter((_, i) => i % 5 === 0)).toEqual([1, 2, 3]);

    const empty = join(dir, 'empty.npy');
    await embedLines(
      readLines(Readable.from([Buffer.from('\n\n')])),
      fakeEmbedder(5),
      npySink(empty, 5),
      quiet,
    );
    expect(parseNpy(new Uint8Array(readFileSync(empty))).shape).toEqual([0, 5]);
  });
});
