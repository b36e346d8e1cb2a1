/** Small pure formatters shared by components. */

/** Decimal units, as the Hugging Face hub lists file sizes (45.3 MB is 45,300,000 bytes). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** A token's piece as shown on a chip: the SentencePiece space marker stays visible. */
export function showPiece(piece: string): string {
  return piece.length === 0 ? '∅' : piece;
}

export function vectorNorm(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return Math.sqrt(sum);
}

/** The numbers of a vector as text to copy: one line, space separated, 6 significant digits. */
export function vectorText(values: ArrayLike<number>): string {
  return Array.from(values, (v) => Number(v.toPrecision(6))).join(' ');
}
