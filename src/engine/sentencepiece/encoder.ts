/**
 * Text to pieces, with spans, for an ALBERT-kind tokenizer.json, step for step as Hugging Face's Rust
 * tokenizers does it (the fast tokenizer behind AutoTokenizer and transformers.js' reference):
 * 1. added tokens (`[MASK]`, `[CLS]`, ...) are cut out of the raw text, `lstrip`/`rstrip` taking the
 *    whitespace beside them into their span;
 * 2. each remaining stretch is normalized (normalizers.ts) and added tokens marked `normalized` are cut out of it;
 * 3. Metaspace turns spaces into `▁`, puts one in front, and splits before each `▁` — so a text ending in a
 *    space ends in a `▁` token, as the Rust tokenizer gives (the slow SentencePiece tokenizer strips it);
 * 4. Unigram cuts each word (unigram.ts), fusing runs of unknown characters.
 * Spans are UTF-16 [start, end) in the input; Rust reports the same positions counted in code points.
 */
import { EngineError } from '../errors.ts';
import { NormalizedString } from './normalizedString.ts';
import { buildNormalizer, type Normalize } from './normalizers.ts';
import { Unigram } from './unigram.ts';

type JsonObject = Record<string, unknown>;

/** One token of a text: id, text (an added token's content, else the piece or the unknown text) and span. */
export interface Piece {
  id: number;
  token: string;
  start: number;
  end: number;
  /** An added token (typed `[MASK]` and the like), matched literally. */
  added: boolean;
}

interface AddedToken {
  id: number;
  content: string;
  singleWord: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

interface Metaspace {
  replacement: string;
  prepend: 'always' | 'first' | 'never';
  split: boolean;
}

/** A stretch of the input: an added token already, or text still to be cut. */
interface Split {
  text: NormalizedString;
  added?: AddedToken;
}

const WHITE_SPACE = /^\p{White_Space}$/u;
const WORD = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;

export class SentencePieceEncoder {
  readonly addedTokens: AddedToken[];
  private readonly rawAdded: AddedToken[];
  private readonly normalizedAdded: AddedToken[];
  private readonly normalize: Normalize;
  private readonly metaspace: Metaspace | null;
  readonly model: Unigram;

  constructor(json: JsonObject) {
    const model = json.model as JsonObject | undefined;
    if (model?.type !== 'Unigram')
      throw new EngineError(
        'invalid-file',
        'tokenizer.json: the model is not Unigram (SentencePiece)',
        'tokenizer.json',
      );
    const vocab = model.vocab as [string, number][];
    this.model = new Unigram(
      vocab,
      typeof model.unk_id === 'number' ? model.unk_id : undefined,
      model.byte_fallback === true,
    );
    this.addedTokens = ((json.added_tokens as JsonObject[] | undefined) ?? []).map((t) => ({
      id: Number(t.id),
      content: String(t.content),
      singleWord: t.single_word === true,
      lstrip: t.lstrip === true,
      rstrip: t.rstrip === true,
      normalized: t.normalized === undefined ? t.special !== true : t.normalized === true,
      special: t.special === true,
    }));
    this.rawAdded = this.addedTokens.filter((t) => !t.normalized && t.content !== '');
    this.normalizedAdded = this.addedTokens.filter((t) => t.normalized && t.content !== '');
    this.normalize = buildNormalizer(json.normalizer as JsonObject | null);
    this.metaspace = metaspaceOf(json.pre_tokenizer as JsonObject | null);
  }

  /** A text's tokens, without the template's specials. */
  encode(text: string): Piece[] {
    let splits: Split[] = [];
    for (const s of this.cutAdded(NormalizedString.from(text), this.rawAdded)) {
      if (s.added) {
        splits.push(s);
        continue;
      }
      this.normalize(s.text);
      splits.push(...this.cutAdded(s.text, this.normalizedAdded));
    }
    splits = splits.filter((s) => s.text.length > 0);
    const pieces: Piece[] = [];
    for (const split of splits) {
      if (split.added) {
        const [start, end] = split.text.originalSpan(0, split.text.length);
        pieces.push({ id: split.added.id, token: split.added.content, start, end, added: true });
        continue;
      }
      for (const word of this.preTokenize(split.text)) {
        for (const t of this.model.tokenize(word.chars)) {
          const [start, end] = word.originalSpan(t.start, t.end);
          pieces.push({ id: t.id, token: t.value, start, end, added: false });
        }
      }
    }
    return pieces;
  }

  /**
   * Cuts the added tokens out of `s`, leftmost-longest (as the Rust AddedVocabulary's automaton), with
   * single_word, lstrip and rstrip as it applies them.
   */
  private cutAdded(s: NormalizedString, tokens: AddedToken[]): Split[] {
    if (tokens.length === 0 || s.length === 0) return [{ text: s }];
    const text = s.chars;
    const out: Split[] = [];
    let done = 0;
    for (let i = 0; i < text.length;) {
      let best: AddedToken | undefined;
      let bestLength = 0;
      for (const t of tokens) {
        const cps = t.content;
        const length = matchAt(text, i, cps);
        if (length > bestLength) [best, bestLength] = [t, length];
      }
      if (!best) {
        i++;
        continue;
      }
      let start = i;
      let stop = i + bestLength;
      if (best.singleWord) {
        const before = start === 0 || !WORD.test(String.fromCodePoint(text[start - 1]!));
        const after = stop === text.length || !WORD.test(String.fromCodePoint(text[stop]!));
        if (!before || !after) {
          i++;
          continue;
        }
      }
      // The whitespace run before (lstrip) or after (rstrip), not reaching into the previous match.
      if (best.lstrip) while (start > done && isWhiteSpace(text[start - 1]!)) start--;
      if (best.rstrip) while (stop < text.length && isWhiteSpace(text[stop]!)) stop++;
      if (done < start) out.push({ text: s.slice(done, start) });
      out.push({ text: s.slice(start, stop), added: best });
      done = stop;
      i = stop;
    }
    if (done < text.length) out.push({ text: s.slice(done, text.length) });
    return out;
  }

  /** Metaspace: spaces to `▁`, a `▁` in front, words split before each `▁` (MergedWithNext). */
  private preTokenize(s: NormalizedString): NormalizedString[] {
    const m = this.metaspace;
    if (!m) return [s];
    const rep = m.replacement.codePointAt(0)!;
    const spaces: [number, number][] = [];
    s.chars.forEach((cp, i) => {
      if (cp === 0x20) spaces.push([i, i + 1]);
    });
    if (spaces.length > 0) s.replaceMatches(spaces, m.replacement);
    const first = m.prepend === 'always' || (m.prepend === 'first' && s.origin === 0);
    if (m.prepend !== 'never' && first && s.chars[0] !== rep) s.prepend(m.replacement);
    if (!m.split) return [s];
    const words: NormalizedString[] = [];
    let start = 0;
    for (let i = 1; i <= s.length; i++) {
      if (i === s.length || s.chars[i] === rep) {
        words.push(s.slice(start, i));
        start = i;
      }
    }
    return words.filter((w) => w.length > 0);
  }
}

/** Rust regex's `\s`: the White_Space property. */
const isWhiteSpace = (cp: number) => WHITE_SPACE.test(String.fromCodePoint(cp));

/** Length in code points of `content` found at `text[i]`, or 0. */
function matchAt(text: readonly number[], i: number, content: string): number {
  let k = i;
  for (const c of content) {
    if (text[k] !== c.codePointAt(0)) return 0;
    k++;
  }
  return k - i;
}

function metaspaceOf(config: JsonObject | null | undefined): Metaspace | null {
  if (!config) return null;
  if (config.type === 'Sequence') {
    const inner = (config.pretokenizers as JsonObject[]).filter((p) => p.type === 'Metaspace');
    if (inner.length === 1 && (config.pretokenizers as JsonObject[]).length === 1)
      return metaspaceOf(inner[0]);
  }
  if (config.type !== 'Metaspace')
    throw new EngineError(
      'invalid-file',
      `tokenizer.json: pre-tokenizer ${String(config.type)} is not supported (ALBERT uses Metaspace)`,
      'tokenizer.json',
    );
  const scheme = config.prepend_scheme;
  const prepend =
    scheme === 'first' || scheme === 'never' || scheme === 'always'
      ? scheme
      : config.add_prefix_space === false
        ? 'never'
        : 'always';
  return { replacement: String(config.replacement ?? '▁'), prepend, split: config.split !== false };
}
