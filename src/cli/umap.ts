/**
 * `--file … --umap`: the lines' pooled vectors laid out by UMAP, one JSON line per line with its coordinates.
 * A layout needs every point at once, so the lines are held (2,000 lines of albert-base: 6 MB of vectors).
 */
import type { Writable } from 'node:stream';
import { umapLayout, type UmapResult } from '../engine/umap.ts';
import type { UmapParameters } from './args.ts';
import type { Line, LineSink } from './lines.ts';

export interface HeldLine {
  line: Line;
  tokens: number;
  vector: Float32Array;
}

/** A sink that keeps what it is given, for a layout over all of it. */
export function heldLines(): { sink: LineSink; lines: HeldLine[] } {
  const lines: HeldLine[] = [];
  return {
    lines,
    sink: {
      async write(line, tokens, vector) {
        lines.push({ line, tokens, vector: vector.slice() });
      },
      async close() {},
      abort() {},
    },
  };
}

/** The held lines' UMAP layout (2-D), epochs reported as they run. */
export async function layoutLines(
  lines: HeldLine[],
  parameters: UmapParameters,
  onEpoch?: (epoch: number, epochs: number) => void,
): Promise<UmapResult> {
  const d = lines[0]?.vector.length ?? 0;
  const x = new Float32Array(lines.length * d);
  lines.forEach((l, i) => x.set(l.vector, i * d));
  return umapLayout(x, lines.length, d, parameters, {
    onProgress: (p) => onEpoch?.(p.epoch, p.epochs),
  });
}

/**
 * `{"line":n,"text":"…","tokens":n,"umap":[x,y]}` per line. Coordinates are written in full (JavaScript's
 * shortest round-trip form), so a reader gets the very numbers the layout computed.
 */
export async function writeLayout(out: Writable, lines: HeldLine[], result: UmapResult): Promise<void> {
  const { k, coordinates } = result;
  const text = lines
    .map(
      ({ line, tokens }, i) =>
        `{"line":${line.line},"text":${JSON.stringify(line.text)},"tokens":${tokens},"umap":${JSON.stringify(
          Array.from(coordinates.subarray(i * k, (i + 1) * k)),
        )}}\n`,
    )
    .join('');
  await new Promise<void>((resolve, reject) =>
    out.write(text, (error) => (error ? reject(error) : resolve())),
  );
}
