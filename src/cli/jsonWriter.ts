/**
 * Streams the CLI's JSON so memory stays flat however many layers and tokens are printed (all 13 layers of
 * a 512-token text are ~5 M numbers). Floats are written with 9 significant digits, which round-trips float32
 * exactly.
 */
import type { Writable } from 'node:stream';
import type { FloatTensor } from '../engine/types.ts';

export function formatFloat(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  return String(Number(v.toPrecision(9)));
}

/** Rows of a tensor's last axis as JSON arrays, nested by the leading axes. */
function* tensorJson(t: FloatTensor): Generator<string> {
  const dims = t.dims;
  const width = dims[dims.length - 1] ?? 0;
  const rows = width === 0 ? 0 : t.data.length / width;
  const strides = dims.slice(0, -1).map((_, i) => dims.slice(i, -1).reduce((a, b) => a * b, 1));
  for (let r = 0; r < rows; r++) {
    let open = '';
    for (const s of strides) if (r % s === 0) open += '[';
    const cells: string[] = new Array(width);
    for (let c = 0; c < width; c++) cells[c] = formatFloat(t.data[r * width + c]!);
    let close = '';
    for (const s of strides) if ((r + 1) % s === 0) close += ']';
    yield `${open}[${cells.join(',')}]${close}${r + 1 < rows ? ',' : ''}`;
  }
  if (rows === 0) yield '[]';
}

export class JsonStreamWriter {
  private first = true;

  constructor(private readonly out: Writable) {}

  private async write(chunk: string): Promise<void> {
    if (!this.out.write(chunk)) await new Promise<void>((resolve) => this.out.once('drain', resolve));
  }

  async begin(): Promise<void> {
    await this.write('{');
  }

  async field(name: string, value: unknown): Promise<void> {
    await this.write(`${this.first ? '' : ','}\n${JSON.stringify(name)}:${JSON.stringify(value)}`);
    this.first = false;
  }

  /** A field holding a list of tensors, each written as nested arrays. */
  async tensors(name: string, list: FloatTensor[]): Promise<void> {
    await this.write(`${this.first ? '' : ','}\n${JSON.stringify(name)}:[`);
    this.first = false;
    for (let i = 0; i < list.length; i++) {
      for (const chunk of tensorJson(list[i]!)) await this.write(chunk);
      if (i + 1 < list.length) await this.write(',\n');
    }
    await this.write(']');
  }

  async end(): Promise<void> {
    await this.write('\n}\n');
  }
}
