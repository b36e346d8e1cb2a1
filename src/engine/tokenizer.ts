/**
 * ALBERT tokenization through Hugging Face's own implementation (@huggingface/tokenizers reading
 * tokenizer.json): pieces and ids exactly as it writes them, the post-processor's template for specials and
 * token types, plus what it does not give — character spans and truncation to the model's maximum length.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { EngineError } from './errors.ts';
import { alignPieces, type Span } from './offsets.ts';

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
}

interface Segment {
  tokens: string[];
  ids: number[];
  offsets: Span[];
}

type JsonObject = Record<string, unknown>;

export class AlbertTokenizer {
  private readonly tokenizer: Tokenizer;
  private readonly removeSpace: boolean;
  private readonly specialIds: Set<number>;
  private readonly addedIds: Set<number>;
  private readonly unkId: number | undefined;
  /** The longest sequence the model takes, specials included. */
  readonly maxLength: number;

  constructor(tokenizerJson: JsonObject, tokenizerConfig: JsonObject, maxPositions: number) {
    try {
      this.tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    } catch (error) {
      throw new EngineError('invalid-file', `tokenizer.json could not be loaded: ${(error as Error).message}`, 'tokenizer.json');
    }
    const configured = Number(tokenizerConfig.model_max_length);
    this.maxLength = Number.isFinite(configured) && configured > 0 ? Math.min(configured, maxPositions) : maxPositions;
    this.removeSpace = tokenizerConfig.remove_space === true;
    const added = [...this.tokenizer.get_added_tokens_decoder()];
    this.addedIds = new Set(added.map(([id]) => id));
    this.specialIds = new Set(added.filter(([, t]) => t.special).map(([id]) => id));
    const model = tokenizerJson.model as JsonObject | undefined;
    this.unkId = typeof model?.unk_id === 'number' ? model.unk_id : undefined;
  }

  /** Encodes one text, or a pair as `[CLS] A [SEP] B [SEP]` with token types 0 and 1. */
  encode(text: string, pair?: string): Encoding {
    const a = this.segment(text);
    const b = pair === undefined ? undefined : this.segment(pair);
    const budget = this.maxLength - this.templateSize(b !== undefined);
    let keepA = a.tokens.length;
    let keepB = b?.tokens.length ?? 0;
    // longest_first, as Hugging Face truncates: drop from the longer segment (from the pair on a tie).
    while (keepA + keepB > budget && keepA + keepB > 0) {
      if (keepA > keepB) keepA--;
      else keepB--;
    }
    const droppedTokens = a.tokens.length - keepA + (b ? b.tokens.length - keepB : 0);
    return this.applyTemplate(cut(a, keepA), b && cut(b, keepB), droppedTokens);
  }

  /** The piece for an id (e.g. for showing predictions). */
  idToToken(id: number): string | undefined {
    return this.tokenizer.id_to_token(id);
  }

  private segment(text: string): Segment {
    const { tokens, ids } = this.tokenizer.encode(text, { add_special_tokens: false });
    const pieces = tokens.map((token, i) => ({
      token,
      added: this.addedIds.has(ids[i]!),
      unknown: ids[i] === this.unkId,
    }));
    const normalize = (s: string) => (this.tokenizer.normalizer ? this.tokenizer.normalizer(s) : s);
    return { tokens, ids, offsets: alignPieces(text, pieces, normalize, this.removeSpace) };
  }

  private templateSize(isPair: boolean): number {
    if (!this.tokenizer.post_processor) return 0;
    return this.tokenizer.post_processor([], isPair ? [] : null, true).tokens.length;
  }

  /** Runs the tokenizer's own post-processor on placeholders, then puts the real tokens where they landed. */
  private applyTemplate(a: Segment, b: Segment | undefined, droppedTokens: number): Encoding {
    const placeholder = (tag: string) => (_: string, i: number) => `\u0000${tag}${i}`;
    const segments: Record<string, Segment> = { A: a };
    let tokens: string[];
    let typeIds: number[];
    if (this.tokenizer.post_processor) {
      const out = this.tokenizer.post_processor(a.tokens.map(placeholder('A')), b ? b.tokens.map(placeholder('B')) : null, true);
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
    };
    for (const t of tokens) {
      if (t.startsWith('\u0000')) {
        const seg = segments[t[1]!]!;
        const i = Number(t.slice(2));
        result.tokens.push(seg.tokens[i]!);
        result.ids.push(seg.ids[i]!);
        result.offsets.push(seg.offsets[i] ?? null);
        result.special.push(this.specialIds.has(seg.ids[i]!));
      } else {
        const id = this.tokenizer.token_to_id(t);
        if (id === undefined)
          throw new EngineError('invalid-file', `tokenizer.json: template token "${t}" is not in the vocabulary`, 'tokenizer.json');
        result.tokens.push(t);
        result.ids.push(id);
        result.offsets.push(null);
        result.special.push(true);
      }
    }
    return result;
  }
}

function cut(s: Segment, keep: number): Segment {
  return keep === s.tokens.length
    ? s
    : { tokens: s.tokens.slice(0, keep), ids: s.ids.slice(0, keep), offsets: s.offsets.slice(0, keep) };
}
