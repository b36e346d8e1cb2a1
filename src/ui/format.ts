/** Small pure formatters shared by components. */

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
