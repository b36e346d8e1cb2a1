/**
 * ALBERT tokenization as Hugging Face's Rust tokenizer (the fast tokenizer behind AutoTokenizer) does it:
 * pieces, ids and character spans from our own rendering of its pipeline (sentencepiece/encoder.ts), the
 * post-processor's template for specials and token types from @huggingface/tokenizers, plus truncation to the
 * model's maximum length.
 *
 * Why not @huggingface/tokenizers (0.2) end to end: it drops a trailing `▁` (Rust keeps it: "hello world\n" ends
 * in a `▁` token), approximates the Precompiled charsmap with NFKC (zero-width characters come out wrong),
 * does not fuse runs of unknown characters as Unigram's fuse_unk does, and gives no spans.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { EngineError } from './errors.ts';
import type { Span } from './offsets.ts';
import { SentencePieceEncoder } from './sentencepiece/encoder.ts';

export type { Span } from './offsets.ts';

export interface Encoding {
  tokens: string[];
  ids: number[];
  tokenTypeIds: number[];
  /** Each token's [start, end) in its own segment's text (UTF-16 code units); null for template specials. */
  offsets: Span[];
  /** Special tokens: the template's [CLS]/[SEP] and added tokens such as a typed [MASK]. */
  special: boolean[];
  /** True when the input was longer than the model's maximum and tokens were dropped. */
  truncated: boolean;
  droppedTokens: number;
  /** Pad tokens appended at the end (as in a padded batch); the model's attention mask is 0 for them. */
  padding: number;
}

/** One text's pieces, before the template adds specials: what windows over a long text slice. */
export interface Segment {
  tokens: string[];
  ids: number[];
  offsets: Span[];
}

type JsonObject = Record<string, unknown>;

export class AlbertTokenizer {
  private readonly tokenizer: Tokenizer;
  private readonly encoder: SentencePieceEncoder;
  /** Special added tokens by id, with their text: `[MASK]` typed in the text is special, an unknown emoji is not. */
  private readonly specialTokens: Map<number, string>;
  /** The longest sequence the model takes, specials included. */
  readonly maxLength: number;

  constructor(tokenizerJson: JsonObject, tokenizerConfig: JsonObject, maxPositions: number) {
    try {
      this.tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
      this.encoder = new SentencePieceEncoder(tokenizerJson);
    } catch (error) {
      throw new EngineError(
        'invalid-file',
        `tokenizer.json could not be loaded: ${(error as Error).message}`,
        'tokenizer.json',
      );
    }
    const configured = Number(tokenizerConfig.model_max_length);
    this.maxLength =
      Number.isFinite(configured) && configured > 0 ? Math.min(configured, maxPositions) : maxPositions;
    this.specialTokens = new Map(
      this.encoder.addedTokens.filter((t) => t.special).map((t) => [t.id, t.content]),
    );
  }

  /**
   * Encodes one text, or a pair as `[CLS] A [SEP] B [SEP]` with token types 0 and 1, truncated to `maxLength`
   * tokens (at most the model's maximum).
   */
  encode(text: string, pair?: string, maxLength = this.maxLength): Encoding {
    const a = this.segment(text);
    const b = pair === undefined ? undefined : this.segment(pair);
    const budget = Math.min(maxLength, this.maxLength) - this.templateSize(b !== undefined);
    const [keepA, keepB] = b
      ? longestFirst(a.tokens.length, b.tokens.length, Math.max(budget, 0))
      : [Math.min(a.tokens.length, Math.max(budget, 0)), 0];
    const droppedTokens = a.tokens.length - keepA + (b ? b.tokens.length - keepB : 0);
    return this.applyTemplate(cut(a, keepA), b && cut(b, keepB), droppedTokens);
  }

  /** A text's pieces, none dropped: a long text is planned into windows over these (see windows.ts). */
  pieces(text: string): Segment {
    return this.segment(text);
  }

  /** How many specials the template adds to one text ([CLS] and [SEP] for ALBERT: 2). */
  get singleTemplateSize(): number {
    return this.templateSize(false);
  }

  /**
   * The template applied to pieces [start, end) of a text: exactly what `encode` gives for a text whose pieces
   * were these, with offsets still into the whole text. Nothing counts as dropped: the caller chose the slice.
   */
  window(pieces: Segment, start: number, end: number): Encoding {
    const slice: Segment = {
      tokens: pieces.tokens.slice(start, end),
      ids: pieces.ids.slice(start, end),
      offsets: pieces.offsets.slice(start, end),
    };
    return this.applyTemplate(slice, undefined, 0);
  }

  /**
   * The encoding padded at the end to `length` tokens (at most the model's maximum) with the pad token, as a
   * batch pads its shorter texts. Pads are special, of segment 0, and cover no text.
   */
  pad(encoding: Encoding, length: number): Encoding {
    const extra = Math.min(length, this.maxLength) - encoding.ids.length;
    if (extra <= 0) return encoding;
    const padId = this.padId();
    const token = this.idToToken(padId) ?? '<pad>';
    const more = <T>(value: T) => new Array<T>(extra).fill(value);
    return {
      ...encoding,
      tokens: [...encoding.tokens, ...more(token)],
      ids: [...encoding.ids, ...more(padId)],
      tokenTypeIds: [...encoding.tokenTypeIds, ...more(0)],
      offsets: [...encoding.offsets, ...more<Span>(null)],
      special: [...encoding.special, ...more(true)],
      padding: encoding.padding + extra,
    };
  }

  private padId(): number {
    for (const [id, content] of this.specialTokens) if (/^(<pad>|\[PAD\])$/.test(content)) return id;
    throw new EngineError('input', 'this tokenizer has no pad token');
  }

  /** The piece for an id (e.g. for showing predictions). */
  idToToken(id: number): string | undefined {
    return this.tokenizer.id_to_token(id);
  }

  /** A text's pieces and their spans. */
  private segment(text: string): Segment {
    const pieces = this.encoder.encode(text);
    return {
      tokens: pieces.map((p) => p.token),
      ids: pieces.map((p) => p.id),
      offsets: pieces.map((p): Span => [p.start, p.end]),
    };
  }

  private templateSize(isPair: boolean): number {
    if (!this.tokenizer.post_processor) return 0;
    return this.tokenizer.post_processor([], isPair ? [] : null, true).tokens.length;
  }

  /** Runs the tokenizer's own post-processor on placeholders, then puts the real tokens where they landed. */
  private applyTemplate(a: Segment, b: Segment | undefined, droppedTokens: number): Encoding {
    const segments: Record<string, Segment> = { A: a };
    let tokens: string[];
    let typeIds: number[];
    if (this.tokenizer.post_processor) {
      const out = this.tokenizer.post_processor(
        a.tokens.map(placeholder('A')),
        b ? b.tokens.map(placeholder('B')) : null,
        true,
      );
      tokens = out.tokens;
      typeIds = out.token_type_ids ?? tokens.map(() => 0);
    } else {
      tokens = [...a.tokens.map(placeholder('A')), ...(b?.tokens.map(placeholder('B')) ?? [])];
      typeIds = tokens.map((_, i) => (i < a.tokens.length ? 0 : 1));
    }
    if (b) segments.B = b;
    const result: Encoding = {
      tokens: [],
      ids: [],
      tokenTypeIds: typeIds,
      offsets: [],
      special: [],
      truncated: droppedTokens > 0,
      droppedTokens,
      padding: 0,
    };
    for (const t of tokens) {
      if (t.startsWith('\u0000')) {
        const seg = segments[t[1]!]!;
        const i = Number(t.slice(2));
        result.tokens.push(seg.tokens[i]!);
        result.ids.push(seg.ids[i]!);
        result.offsets.push(seg.offsets[i] ?? null);
        result.special.push(this.specialTokens.get(seg.ids[i]!) === seg.tokens[i]);
      } else {
        const id = this.tokenizer.token_to_id(t);
        if (id === undefined)
          throw new EngineError(
            'invalid-file',
            `tokenizer.json: template token "${t}" is not in the vocabulary`,
            'tokenizer.json',
          );
        result.tokens.push(t);
        result.ids.push(id);
        result.offsets.push(null);
        result.special.push(true);
      }
    }
    return result;
  }
}

/**
 * How many tokens of each segment to keep, as Hugging Face tokenizers' LongestFirst does: cut only the longer
 * segment if that suffices, else give each half the budget (the odd token to the longer, or to B on a tie).
 */
export function longestFirst(n1: number, n2: number, max: number): [number, number] {
  if (n1 + n2 <= max) return [n1, n2];
  const swap = n1 > n2;
  let short = swap ? n2 : n1;
  let long = short > max ? short : Math.max(short, max - short);
  if (short + long > max) {
    short = Math.floor(max / 2);
    long = short + (max % 2);
  }
  return swap ? [long, short] : [short, long];
}

/** Stand-ins for a segment's tokens, found again after the post-processor has placed them. */
const placeholder = (tag: string) => (_: string, i: number) => `\u0000${tag}${i}`;

function cut(s: Segment, keep: number): Segment {
  return keep === s.tokens.length
    ? s
    : { tokens: s.tokens.slice(0, keep), ids: s.ids.slice(0, keep), offsets: s.offsets.slice(0, keep) };
}
