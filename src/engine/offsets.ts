/**
 * Character spans for SentencePiece pieces. tokenizers.js returns pieces but no offsets, so we rebuild the map
 * from the original text to the normalized text the pieces are cut from, using the tokenizer's own normalizer
 * one character at a time (plus the two-character `` and '' quotes and collapsed runs of spaces), then walk the
 * pieces along it. A `▁` stands for a space (and covers it) or for the prefix space Metaspace adds (and covers
 * nothing). Where the walk cannot follow (a normalization that only happens across characters, as with Hangul
 * jamo), the remaining pieces get no span rather than a wrong one.
 */

/** [start, end) in UTF-16 code units of the original text, or null where there is none. */
export type Span = [number, number] | null;

export interface AlignmentPiece {
  token: string;
  /** True for added tokens (e.g. `[MASK]` typed in the text), matched literally. */
  added: boolean;
  /** True for the unknown token, whose text does not say what it covers. */
  unknown: boolean;
}

interface StreamChar {
  ch: string;
  start: number;
  end: number;
}

const SPACE_RE = /^\s+$/u;
const MARK_RE = /^\p{M}$/u;

/**
 * The characters normalized together: one code point with the combining marks that follow it (decomposed
 * accents, as macOS pastes them, belong to the letter they sit on), or a two-character `` or '' quote.
 */
function unitAt(text: string, i: number): string {
  if (text.startsWith('``', i) || text.startsWith("''", i)) return text.slice(i, i + 2);
  let unit = String.fromCodePoint(text.codePointAt(i)!);
  for (
    let next = text.codePointAt(i + unit.length);
    next !== undefined && MARK_RE.test(String.fromCodePoint(next));
  ) {
    unit += String.fromCodePoint(next);
    next = text.codePointAt(i + unit.length);
  }
  return unit;
}

/** Which ends of a text `remove_space` trims: both, unless the text is a stretch of a longer one. */
export interface Trim {
  start: boolean;
  end: boolean;
}

/** The normalized text as characters, each knowing the original span it came from. */
function normalizedStream(
  text: string,
  normalize: (s: string) => string,
  removeSpace: boolean,
  trim: Trim,
): StreamChar[] {
  const cache = new Map<string, string>();
  const stream: StreamChar[] = [];
  let i = 0;
  while (i < text.length) {
    const unit = unitAt(text, i);
    const input = removeSpace && SPACE_RE.test(unit) ? ' ' : unit;
    let out = cache.get(input);
    if (out === undefined) {
      out = normalize(input);
      cache.set(input, out);
    }
    for (const ch of out) {
      const last = stream[stream.length - 1];
      if (ch === ' ' && last?.ch === ' ') last.end = i + unit.length;
      else stream.push({ ch, start: i, end: i + unit.length });
    }
    i += unit.length;
  }
  if (removeSpace && trim.start) while (stream[0]?.ch === ' ') stream.shift();
  if (removeSpace && trim.end) while (stream[stream.length - 1]?.ch === ' ') stream.pop();
  return stream;
}

/**
 * Spans of `pieces` (the content tokens of one text, no template specials) in `text`.
 * @param normalize the tokenizer's normalizer
 * @param removeSpace tokenizer_config's `remove_space` (whitespace runs collapse and the text is trimmed)
 * @param trim the ends that are the text's own (a stretch of a longer text keeps the spaces at its cuts)
 */
export function alignPieces(
  text: string,
  pieces: AlignmentPiece[],
  normalize: (s: string) => string,
  removeSpace: boolean,
  trim: Trim = { start: true, end: true },
): Span[] {
  const stream = normalizedStream(text, normalize, removeSpace, trim);
  let p = 0;

  /** Stream positions `piece` covers from position `at`, or null if it does not match there. */
  const match = (piece: string, at: number): { end: number; start?: number; stop?: number } | null => {
    let q = at;
    let start: number | undefined;
    let stop: number | undefined;
    for (const ch of piece) {
      const s = stream[q];
      if (ch === '▁' && s?.ch !== ' ') continue; // the prefix space Metaspace adds
      if (!s || s.ch !== (ch === '▁' ? ' ' : ch)) return null;
      start ??= s.start;
      stop = s.end;
      q++;
    }
    return { end: q, start, stop };
  };

  const spans: Span[] = [];
  for (let k = 0; k < pieces.length; k++) {
    const piece = pieces[k]!;
    if (piece.added) {
      const from = stream[p]?.start ?? text.length;
      const at = text.indexOf(piece.token, from);
      if (at >= 0) {
        const end = at + piece.token.length;
        while (p < stream.length && stream[p]!.start < end) p++;
        spans.push([at, end]);
        continue;
      }
    }
    if (piece.unknown || piece.added) {
      // The unknown token covers the characters up to where the next piece matches.
      const next = pieces[k + 1];
      const nextText = next && !next.added && !next.unknown ? next.token : undefined;
      const first = p;
      p++;
      const endsUnknown = (at: number) =>
        stream[at]!.ch === ' ' || (nextText !== undefined && match(nextText, at) !== null);
      while (p < stream.length && !endsUnknown(p)) p++;
      spans.push(
        first < stream.length ? [stream[first]!.start, stream[Math.min(p, stream.length) - 1]!.end] : null,
      );
      continue;
    }
    const m = match(piece.token, p);
    if (!m) {
      // Lost the thread: give no spans rather than wrong ones.
      while (spans.length < pieces.length) spans.push(null);
      return spans;
    }
    const here = stream[p]?.start ?? text.length;
    spans.push(m.start === undefined ? [here, here] : [m.start, m.stop!]);
    p = m.end;
  }
  return spans;
}
