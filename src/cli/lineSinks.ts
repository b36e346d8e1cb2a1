/**
 * The two outputs of `--file`. JSON lines are streamed with backpressure. A .npy file needs its row count in
 * the header, which is unknown until the end: a fixed-size header is reserved, rows are appended as they come,
 * and the real header is written over the reserved bytes at the end — in a temporary file renamed into place,
 * so a failed run leaves no file that looks whole.
 */
import { once } from 'node:events';
import { closeSync, createWriteStream, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { float32LE, npyHeader } from '../engine/export/npy.ts';
import { formatFloat } from './jsonWriter.ts';
import type { Line, LineSink } from './lines.ts';

/**
 * `{"line":n,"text":"…","tokens":n,"vector":[…]}` per line, floats with 9 significant digits, to `path` (a file,
 * ended on close) or else to `out` (stdout, left open).
 */
export function jsonLinesSink(
  path: string | undefined,
  out: Writable = path ? createWriteStream(path) : process.stdout,
): LineSink {
  // A closed stdout (`| head`) or a full disk: the next write throws, rather than an unhandled 'error' event.
  let failure: Error | undefined;
  out.on('error', (error) => (failure = error));
  const write = async (chunk: string) => {
    if (failure) throw failure;
    if (!out.write(chunk)) await once(out, 'drain');
  };
  return {
    async write(line: Line, tokens: number, vector: Float32Array) {
      const cells = Array.from(vector, formatFloat).join(',');
      await write(
        `{"line":${line.line},"text":${JSON.stringify(line.text)},"tokens":${tokens},"vector":[${cells}]}\n`,
      );
    },
    async close() {
      if (path)
        await new Promise<void>((resolve, reject) =>
          out.end((error?: Error | null) => (error ? reject(error) : resolve())),
        );
    },
    abort() {
      if (path) out.destroy();
    },
  };
}

/** Header bytes reserved (magic, version, length, dict): room for any shape, a multiple of 64 as NumPy pads. */
const NPY_HEADER_BYTES = 128;

/** One (lines, width) float32 array in `path`. */
export function npySink(path: string, width: number): LineSink {
  const partial = `${path}.partial-${process.pid}`;
  const fd = openSync(partial, 'w');
  let open = true;
  let rows = 0;
  writeSync(fd, npyHeader([0, width], NPY_HEADER_BYTES));
  const row = new Uint8Array(width * 4);
  return {
    async write(_line: Line, _tokens: number, vector: Float32Array) {
      if (vector.length !== width) throw new Error(`npy: a vector of ${vector.length}, expected ${width}`);
      writeSync(fd, float32LE(vector, row));
      rows++;
    },
    async close() {
      writeSync(fd, npyHeader([rows, width], NPY_HEADER_BYTES), 0, NPY_HEADER_BYTES, 0);
      closeSync(fd);
      open = false;
      renameSync(partial, path);
    },
    abort() {
      if (open) closeSync(fd);
      open = false;
      rmSync(partial, { force: true });
    },
  };
}
