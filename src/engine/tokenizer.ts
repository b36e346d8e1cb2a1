/**
 * ALBERT tokenization through Hugging Face's own implementation (@huggingface/tokenizers reading
 * tokenizer.json): pieces and ids exactly as it writes them, the post-processor's template for specials and
 * token types, plus what it does not give — character spans and truncation to the model's maximum length.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { EngineError } from './errors.ts';
import { alignPieces, type Span, type Trim } from './offsets.ts';

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

/** Texts longer than this many UTF-16 units are tokenized a stretch at a time (see stretches). */
export const STRETCH = 10_000;

/**
 * `text` cut into stretches of at most STRETCH units, each cut right before a whitespace run, where Metaspace
 * starts a new word anyway: @huggingface/tokenizers' Metaspace does not split words, so a whole text is one
 * Unigram lattice, and a 1 MB paste overflowed its stack. A run of STRETCH units with no whitespace is cut
 * where it reaches that length (the one place a stretch can tokenize differently from the whole).
 */
export function stretches(text: string): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  let start = 0;
  while (text.length - start > STRETCH) {
    let end = start + STRETCH;
    // Back to the start of the whitespace run at or before `end`; keep `end` if there is none.
    let at = end;
    while (at > start && !/\s/.test(text[at]!)) at--;
    while (at > start && /\s/.test(text[at - 1]!)) at--;
    if (at > start) end = at;
    out.push({ start, text: text.slice(start, end) });
    start = end;
  }
  out.push({ start, text: text.slice(start) });
  return out;
}

export class AlbertTokenizer {
  private readonly tokenizer: Tokenizer;
  private readonly removeSpace: boolean;
  /** Special added tokens by id, with their text: `[MASK]` typed in the text is special, an unknown emoji is not. */
  private readonly specialTokens: Map<number, string>;
  private readonly addedIds: Set<number>;
  private readonly unkId: number | undefined;
  /** The longest sequence the model takes, specials included. */
  readonly maxLength: number;

  constructor(tokenizerJson: JsonObject, tokenizerConfig: JsonObject, maxPositions: number) {
    try {
      this.tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
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
    this.removeSpace = tokenizerConfig.remove_space === true;
    const added = [...this.tokenizer.get_added_tokens_decoder()];
    this.addedIds = new Set(added.map(([id]) => id));
    this.specialTokens = new Map(added.filter(([, t]) => t.special).map(([id, t]) => [id, t.content]));
    const model = tokenizerJson.model as JsonObject | undefined;
    this.unkId = typeof model?.unk_id === 'number' ? model.unk_id : undefined;
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

  /** A text's pieces and their spans, a stretch at a time (see stretches). */
  private segment(text: string): Segment {
    if (text.length <= STRETCH) return this.stretch(text);
    const whole: Segment = { tokens: [], ids: [], offsets: [] };
    const parts = stretches(text);
    for (const [k, { start, text: part }] of parts.entries()) {
      const s = this.stretch(part, { start: k === 0, end: k === parts.length - 1 });
      for (let i = 0; i < s.tokens.length; i++) {
        const span = s.offsets[i];
        whole.tokens.push(s.tokens[i]!);
        whole.ids.push(s.ids[i]!);
        whole.offsets.push(span ? [span[0] + start, span[1] + start] : null);
      }
    }
    return whole;
  }

  private stretch(text: string, trim?: Trim): Segment {
    const { tokens, ids } = this.tokenizer.encode(text, { add_special_tokens: false });
    const pieces = tokens.map((token, i) => ({
      token,
      added: this.addedIds.has(ids[i]!),
      unknown: ids[i] === this.unkId,
    }));
    const normalize = (s: string) => (this.tokenizer.normalizer ? this.tokenizer.normalizer(s) : s);
    return { tokens, ids, offsets: alignPieces(text, pieces, normalize, this.removeSpace, trim) };
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
