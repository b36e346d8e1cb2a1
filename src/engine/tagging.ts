/**
 * Few-shot token tagging. Examples are sentences with spans marked as `[Paris](LOC) is in [France](LOC).`;
 * every other token is `O`. The markup becomes plain text plus character spans, the spans become one tag per
 * token through the tokenizer's offsets, and a new text's tokens are tagged by their nearest labelled tokens
 * (cosine k-NN) or by the nearest class centroid. Tags belong to words: every piece of a word carries the tag
 * of the word, and [CLS]/[SEP] (any special token) carry none.
 */
import type { Span } from './offsets.ts';
import { classify } from './sentences.ts';

/** The tag of a token outside every span, and of tokens that carry none ([CLS]/[SEP]) where a string is due. */
export const OUTSIDE = 'O';

export interface TagSpan {
  /** [start, end) in UTF-16 code units of the plain text. */
  start: number;
  end: number;
  label: string;
}

/** One example sentence: the text without markup and its labelled spans. */
export interface TaggedExample {
  text: string;
  spans: TagSpan[];
}

export interface ParsedTaggedExamples {
  examples: TaggedExample[];
  /** Lines that cannot be read (1-based), each with why. */
  badLines: { line: number; reason: string }[];
}

/** A tokenized text as tagging needs it: pieces, their spans in the text, and which are specials. */
export interface TokenizedText {
  tokens: string[];
  offsets: Span[];
  special: boolean[];
}

/**
 * One line of markup as text and spans; a string saying what is wrong when the brackets do not balance or a
 * label or span is empty. `[` and `]` only ever delimit spans (there is no escape).
 */
export function parseTaggedLine(line: string): TaggedExample | string {
  const spans: TagSpan[] = [];
  let text = '';
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === ']') return `"]" at column ${i + 1} closes no "["`;
    if (ch !== '[') {
      text += ch;
      i++;
      continue;
    }
    const close = line.indexOf(']', i + 1);
    const nested = line.indexOf('[', i + 1);
    if (close < 0 || (nested >= 0 && nested < close)) return `"[" at column ${i + 1} is not closed by "]"`;
    if (line[close + 1] !== '(') return `"[…]" at column ${i + 1} is not followed by "(LABEL)"`;
    const end = line.indexOf(')', close + 2);
    if (end < 0) return `"(" at column ${close + 2} is not closed by ")"`;
    const label = line.slice(close + 2, end).trim();
    const inner = line.slice(i + 1, close);
    if (!label) return `the span at column ${i + 1} has an empty label`;
    if (!inner.trim()) return `the span at column ${i + 1} marks no text`;
    spans.push({ start: text.length, end: text.length + inner.length, label });
    text += inner;
    i = end + 1;
  }
  return { text, spans };
}

/** Example sentences, one per line (blank lines skipped); lines that cannot be read are reported, not used. */
export function parseTaggedExamples(source: string): ParsedTaggedExamples {
  const examples: TaggedExample[] = [];
  const badLines: ParsedTaggedExamples['badLines'] = [];
  source.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const parsed = parseTaggedLine(line.trim());
    if (typeof parsed === 'string') badLines.push({ line: i + 1, reason: parsed });
    else examples.push(parsed);
  });
  return { examples, badLines };
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** The span a piece covers without the space a leading `▁` stands for (null: it covers no text). */
function trimmedSpan(text: string, span: Span): [number, number] | null {
  if (!span) return null;
  let [start] = span;
  const end = span[1];
  while (start < end && /\s/u.test(text[start]!)) start++;
  return start < end ? [start, end] : null;
}

/**
 * Whether token i continues the word of token i − 1: no space between and letters or digits on both sides,
 * or the previous piece is a bare `▁` (SentencePiece's word start, cut off before a piece it cannot join).
 */
function continuesWord(tokenized: TokenizedText, text: string, i: number): boolean {
  const { tokens, offsets, special } = tokenized;
  if (i === 0 || special[i] || special[i - 1]) return false;
  const previous = offsets[i - 1];
  const current = offsets[i];
  if (previous && current) {
    const at = current[0];
    if (at !== previous[1]) return false;
    if (!trimmedSpan(text, previous)) return true;
    return at > 0 && WORD_CHAR.test(text[at - 1]!) && WORD_CHAR.test(text[at] ?? '');
  }
  // No offsets (the alignment lost the thread): SentencePiece starts every word with `▁`.
  const piece = tokens[i]!;
  const before = tokens[i - 1]!;
  if (before === '▁') return true;
  return !piece.startsWith('▁') && WORD_CHAR.test(piece[0] ?? '') && WORD_CHAR.test(before.at(-1)!);
}

/**
 * For each token, the index of the first piece of its word; −1 for special tokens. A word is a run of pieces
 * with no space between them and letters or digits where they meet, so "France." is the word "france" and
 * the word ".", and "Kyoto" cut into "▁kyo" + "to" (or "▁" + "kyoto") is one word.
 */
export function wordStarts(tokenized: TokenizedText, text: string): number[] {
  const starts: number[] = [];
  tokenized.tokens.forEach((_, i) => {
    if (tokenized.special[i]) starts.push(-1);
    else starts.push(continuesWord(tokenized, text, i) ? starts[i - 1]! : i);
  });
  return starts;
}

/**
 * One tag per token of an example: a piece is inside a span when its characters (without the space a `▁`
 * stands for) fall in it; a word takes the first tag one of its pieces has, so all its pieces share it;
 * specials get null (no tag).
 */
export function exampleTags(tokenized: TokenizedText, example: TaggedExample): (string | null)[] {
  const own = tokenized.offsets.map((span) => {
    const covered = trimmedSpan(example.text, span);
    if (!covered) return OUTSIDE;
    const inside = example.spans.find((s) => covered[0] >= s.start && covered[1] <= s.end);
    return inside?.label ?? OUTSIDE;
  });
  const starts = wordStarts(tokenized, example.text);
  const wordTag = new Map<number, string>();
  starts.forEach((start, i) => {
    if (start >= 0 && own[i] !== OUTSIDE && !wordTag.has(start)) wordTag.set(start, own[i]!);
  });
  return starts.map((start) => (start < 0 ? null : (wordTag.get(start) ?? OUTSIDE)));
}

/** A labelled token of the examples: which sentence and token it is, its tag, its vector at one layer. */
export interface ReferenceToken {
  sentence: number;
  token: number;
  label: string;
  vector: Float32Array;
}

/** How one token was tagged: its nearest labelled tokens, the k-NN votes and the centroid cosines. */
export interface TokenScores {
  /** The k nearest labelled tokens (indices into the references), best first. */
  neighbours: { reference: number; label: string; cosine: number }[];
  /** Per tag, the sum of the cosines of its tokens among the k nearest. */
  votes: Record<string, number>;
  /** Cosine with each tag's centroid (the mean of its tokens' vectors). */
  centroid: Record<string, number>;
  knnTag: string;
  centroidTag: string;
}

export interface TokenTagging {
  /** One tag per token by k-NN, every piece of a word with its first piece's tag; `O` for specials. */
  tags: string[];
  /** The same by nearest centroid. */
  centroidTags: string[];
  /** Per token its scores; null for specials, which are not tagged. */
  scores: (TokenScores | null)[];
}

/**
 * Tags a text's tokens from labelled tokens: each non-special token by its k nearest references (cosine-
 * weighted votes) and by the nearest tag centroid; then every piece of a word takes the tag of its first
 * piece, so a word is never split between tags.
 * @param vectors the text's token vectors at the references' layer
 * @param starts the text's `wordStarts`
 */
export function tagTokens(
  references: ReferenceToken[],
  vectors: Float32Array[],
  starts: number[],
  k: number,
): TokenTagging {
  const items = starts.flatMap((start, i) => (start < 0 ? [] : [i]));
  const classified = classify(
    references,
    items.map((i) => vectors[i]!),
    Math.max(1, Math.min(Math.floor(k), references.length)),
  );
  const scores: (TokenScores | null)[] = starts.map(() => null);
  items.forEach((token, j) => {
    const c = classified[j]!;
    scores[token] = {
      neighbours: c.neighbours.map((n) => ({ reference: n.example, label: n.label, cosine: n.cosine })),
      votes: c.votes,
      centroid: c.centroid,
      knnTag: c.knnLabel,
      centroidTag: c.centroidLabel,
    };
  });
  const wordTag = (pick: (s: TokenScores) => string) =>
    starts.map((start) => (start < 0 ? OUTSIDE : pick(scores[start]!)));
  return { tags: wordTag((s) => s.knnTag), centroidTags: wordTag((s) => s.centroidTag), scores };
}
