/**
 * The TensorFlow Embedding Projector's two files: vectors (one row per point, tab-separated, no header) and
 * metadata (a header row, then one row per point). Tokens are escaped so a tab or newline inside a piece cannot
 * break the table.
 */

export interface ProjectorPoint {
  token: string;
  position: number;
  /** Which text the point came from (the segment, or a line in a comparison). */
  text: string;
}

const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\r?\n/g, '\\n');

export function projectorVectorsTsv(data: Float32Array, rows: number, width: number): string {
  if (rows * width !== data.length)
    throw new Error(`projector: ${rows}×${width} does not match ${data.length} values`);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++)
    lines.push(
      Array.from(data.subarray(r * width, (r + 1) * width), (v) => String(Number(v.toPrecision(9)))).join(
        '\t',
      ),
    );
  return `${lines.join('\n')}\n`;
}

export function projectorMetadataTsv(points: ProjectorPoint[]): string {
  return `token\tposition\ttext\n${points.map((p) => `${cell(p.token)}\t${p.position}\t${cell(p.text)}`).join('\n')}\n`;
}
