/**
 * AlbertTokenizer on the bundled test vocabulary (scripts/fixtures/tokenizerJson.ts). Segmentation is judged by
 * an independent Viterbi over the vocabulary's scores, spans by an independent rendering of ALBERT's normalizer
 * chain, truncation by the numbers Hugging Face's tokenizers (`truncate_encodings`, LongestFirst) gives.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AlbertTokenizer, type Encoding, type Span } from './tokenizer.ts';

const modelFile = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../public/models/albert-tiny-random/${name}`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
const tokenizerJson = modelFile('tokenizer.json');
const tokenizerConfig = modelFile('tokenizer_config.json');
const tokenizer = new AlbertTokenizer(tokenizerJson, tokenizerConfig, 512);
const vocab = (tokenizerJson.model as { vocab: [string, number][] }).vocab;
const idOf = new Map(vocab.map(([piece], id) => [piece, id]));

/** The best-scoring split of lowercase ASCII text into vocabulary pieces: SentencePiece's Viterbi, written out. */
function viterbi(text: string): string[] {
  const s = `▁${text.replaceAll(' ', '▁')}`;
  const best: number[] = [0];
  const from: number[] = [-1];
  for (let end = 1; end <= s.length; end++) {
    best[end] = -Infinity;
    for (let start = 0; start < end; start++) {
      const id = idOf.get(s.slice(start, end));
      if (id === undefined || id < 5) continue; // ids 0-4 are the specials, never cut from text
      const score = best[start]! + vocab[id]![1];
      if (score > best[end]!) [best[end], from[end]] = [score, start];
    }
  }
  const pieces: string[] = [];
  for (let end = s.length; end > 0; end = from[end]!) pieces.unshift(s.slice(from[end]!, end));
  return pieces;
}

/** The controls SentencePiece's nmt_nfkc deletes: C0 other than NUL and whitespace, DEL, U+008F, U+009F. */
function droppedControl(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return (
    (cp >= 0x01 && cp <= 0x08) || cp === 0x0b || (cp >= 0x0e && cp <= 0x1f) || [0x7f, 0x8f, 0x9f].includes(cp)
  );
}

/** ALBERT's normalization written independently of the tokenizer: quotes, NFKD, no accents, lowercase, no controls. */
const albertNormalize = (s: string) =>
  s
    .replace(/``|''/g, '"')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\p{Cc}/gu, (c) => (droppedControl(c) ? '' : c))
    .replace(/\s+/g, ' ');

/** Indices of the content tokens of segment `typeId` (its own [CLS]/[SEP] left out). */
function contentOf(e: Encoding, typeId: number): number[] {
  const mine = e.tokenTypeIds.flatMap((t, i) => (t === typeId ? [i] : []));
  return mine.slice(typeId === 0 ? 1 : 0, -1);
}

/** Every content token has a span inside `text`, in order, without overlap, that normalizes to its piece. */
function expectSpansCover(text: string, e: Encoding, typeId = 0): void {
  let previousEnd = 0;
  for (const i of contentOf(e, typeId)) {
    const token = e.tokens[i]!;
    const span = e.offsets[i] ?? null;
    expect(span, `span of ${JSON.stringify(token)} (token ${i})`).not.toBeNull();
    const [start, end] = span!;
    expect(start).toBeGreaterThanOrEqual(previousEnd);
    expect(end).toBeGreaterThanOrEqual(start);
    expect(end).toBeLessThanOrEqual(text.length);
    previousEnd = end;
    const covered = text.slice(start, end);
    if (token === '[MASK]') {
      expect(covered).toBe('[MASK]');
      continue;
    }
    // A leading ▁ covers the space it stands for, or nothing where it is the prefix Metaspace adds.
    const piece = token.replaceAll('▁', ' ');
    expect(
      [piece, piece.replace(/^ /, '')],
      `${JSON.stringify(covered)} for ${JSON.stringify(token)}`,
    ).toContain(albertNormalize(covered));
  }
}

const typeCount = (e: Encoding, typeId: number) => e.tokenTypeIds.filter((t) => t === typeId).length;
const slices = (text: string, offsets: Span[]) => offsets.map((span) => span && text.slice(span[0], span[1]));

describe('pieces and ids', () => {
  it('encodes golden sentences with [CLS]=2 and [SEP]=3 around them', () => {
    const golden: [string, string[], number[]][] = [
      ['hello world', ['▁hello', '▁world'], [205, 199]],
      [
        'The cat sat on the mat.',
        ['▁the', '▁cat', '▁sat', '▁on', '▁the', '▁mat', '.'],
        [6, 224, 225, 19, 6, 226, 379],
      ],
      [
        'the quick brown fox jumps over the lazy dog',
        ['▁the', '▁', 'qu', 'ick', '▁brown', '▁fox', '▁jumps', '▁over', '▁the', '▁lazy', '▁dog'],
        [6, 5, 234, 235, 206, 207, 208, 92, 6, 209, 210],
      ],
      ['I love this movie!', ['▁i', '▁love', '▁this', '▁movie', '!'], [291, 220, 29, 217, 381]],
      ['unthinkable', ['▁', 'un', 'th', 'in', 'k', 'a', 'b', 'le'], [5, 243, 245, 247, 354, 344, 345, 257]],
    ];
    for (const [text, pieces, ids] of golden) {
      const e = tokenizer.encode(text);
      expect(e.tokens).toEqual(['[CLS]', ...pieces, '[SEP]']);
      expect(e.ids).toEqual([2, ...ids, 3]);
      expect(e.tokenTypeIds).toEqual(e.ids.map(() => 0));
      expect(e.special).toEqual(e.ids.map((_, i) => i === 0 || i === ids.length + 1));
      expect(e.offsets[0]).toBeNull();
      expect(e.offsets.at(-1)).toBeNull();
    }
  });

  it('segments as a Viterbi over the vocabulary scores does', () => {
    const sentences = [
      'hello world',
      'the quick brown fox jumps over the lazy dog',
      'singing and dancing in the rain',
      'unthinkable restatement',
      'she sells sea shells by the sea shore',
      'a b c 1 2 3',
      'mother earth and father time',
      'attention is all you need',
      'the movie was terrible, i hated it!',
      'xylophones quietly vex jazzy wizards',
      'tokenization of 42 things @ 9:30 (approx.)',
      'ring the bells; they are ringing',
    ];
    for (const text of sentences) {
      const pieces = viterbi(text);
      const e = tokenizer.encode(text);
      expect(e.tokens.slice(1, -1), text).toEqual(pieces);
      expect(e.ids.slice(1, -1), text).toEqual(pieces.map((p) => idOf.get(p)));
    }
  });

  it('maps ids back to pieces', () => {
    expect(tokenizer.idToToken(1)).toBe('<unk>');
    expect(tokenizer.idToToken(4)).toBe('[MASK]');
    expect(tokenizer.idToToken(205)).toBe('▁hello');
  });
});

describe('pairs', () => {
  it('lays out [CLS] A [SEP] B [SEP] with token types 0 then 1', () => {
    const e = tokenizer.encode('hello world', 'the cat');
    expect(e.tokens).toEqual(['[CLS]', '▁hello', '▁world', '[SEP]', '▁the', '▁cat', '[SEP]']);
    expect(e.ids).toEqual([2, 205, 199, 3, 6, 224, 3]);
    expect(e.tokenTypeIds).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(e.special).toEqual([true, false, false, true, false, false, true]);
    expect(e.offsets).toEqual([null, [0, 5], [5, 11], null, [0, 3], [3, 7], null]);
  });

  it('encodes an empty pair as [CLS] [SEP] [SEP]', () => {
    const e = tokenizer.encode('', '');
    expect(e.tokens).toEqual(['[CLS]', '[SEP]', '[SEP]']);
    expect(e.tokenTypeIds).toEqual([0, 0, 1]);
    expect(e.offsets).toEqual([null, null, null]);
  });
});

describe('spans', () => {
  it('maps "hello world" to [0,5] and [5,11]', () => {
    expect(tokenizer.encode('hello world').offsets).toEqual([null, [0, 5], [5, 11], null]);
  });
});

describe('normalization, as ALBERT does it', () => {
  it('lowercases', () => {
    expect(tokenizer.encode('HELLO World').ids).toEqual([2, 205, 199, 3]);
  });

  it('strips accents, with spans over the accented originals', () => {
    const text = 'Héllo wörld';
    const e = tokenizer.encode(text);
    expect(e.tokens).toEqual(['[CLS]', '▁hello', '▁world', '[SEP]']);
    expect(slices(text, e.offsets)).toEqual([null, 'Héllo', ' wörld', null]);
  });
});

describe('unknown and control characters', () => {
  it('makes an emoji <unk> (id 1), written as the character, spanning its 2 UTF-16 units', () => {
    const text = 'hi 😀 there';
    const e = tokenizer.encode(text);
    // tokenizers.js writes an unknown piece as the text it covers; its id says it is unknown.
    expect(e.tokens).toEqual(['[CLS]', '▁h', 'i', '▁', '😀', '▁there', '[SEP]']);
    // Unknown is not special: special marks the template's [CLS]/[SEP] and added tokens typed as such.
    expect(e.special).toEqual([true, false, false, false, false, false, true]);
    expect(e.ids).toEqual([2, 290, 352, 5, 1, 45, 3]);
    expect(e.offsets[4]).toEqual([3, 5]);
    expect(slices(text, e.offsets)).toEqual([null, 'h', 'i', ' ', '😀', ' there', null]);
  });

  it('keeps NUL as one <unk> (SentencePiece leaves U+0000 alone) without breaking later spans', () => {
    const text = 'hello \u0000world';
    const e = tokenizer.encode(text);
    expect(e.tokens.slice(0, 4)).toEqual(['[CLS]', '▁hello', '▁', '\u0000']);
    expect(e.ids[3]).toBe(1);
    expect(e.offsets[3]).toEqual([6, 7]);
    expect(slices(text, e.offsets.slice(4, -1)).join('')).toBe('world');
    expectSpansCover(text, e);
  });
});

describe('[MASK] typed in the text', () => {
  it('is only [MASK] in capitals, as an unnormalized added token', () => {
    expect(tokenizer.encode('the [mask] sat').ids).not.toContain(4);
  });
});

describe('truncation', () => {
  /** `n` words, each one `▁word` piece, cycling so that a cut in the wrong place shows. */
  const WORDS = ['cat', 'dog', 'fox', 'sat', 'mat', 'river', 'money'];
  const words = (n: number) => Array.from({ length: n }, (_, i) => WORDS[i % WORDS.length]).join(' ');

  it('takes the smaller of model_max_length and the model positions', () => {
    expect(tokenizer.maxLength).toBe(512);
    expect(new AlbertTokenizer(tokenizerJson, tokenizerConfig, 16).maxLength).toBe(16);
    expect(new AlbertTokenizer(tokenizerJson, tokenizerConfig, 4096).maxLength).toBe(512);
    const { model_max_length: _, ...unbounded } = tokenizerConfig;
    expect(new AlbertTokenizer(tokenizerJson, unbounded, 64).maxLength).toBe(64);
  });

  it('leaves a short text whole', () => {
    const e = tokenizer.encode(words(510));
    expect(e.tokens).toHaveLength(512);
    expect(e.truncated).toBe(false);
    expect(e.droppedTokens).toBe(0);
    const short = tokenizer.encode('hello world');
    expect([short.truncated, short.droppedTokens]).toEqual([false, 0]);
  });

  it('cuts a long text to 512 tokens ending in [SEP], saying how many it dropped', () => {
    const text = words(600);
    const e = tokenizer.encode(text);
    expect(e.tokens).toHaveLength(512);
    expect(e.ids).toHaveLength(512);
    expect(e.tokenTypeIds).toHaveLength(512);
    expect(e.offsets).toHaveLength(512);
    expect(e.special).toHaveLength(512);
    expect([e.tokens[0], e.tokens[511], e.ids[511], e.offsets[511]]).toEqual(['[CLS]', '[SEP]', 3, null]);
    expect(e.truncated).toBe(true);
    expect(e.droppedTokens).toBe(600 - 510);
    expect(e.tokens[510]).toBe(`▁${WORDS[509 % WORDS.length]}`);
    expect(slices(text, [e.offsets[510] ?? null])).toEqual([` ${WORDS[509 % WORDS.length]}`]);
    expectSpansCover(text, e);
    expect(tokenizer.encode(words(511)).droppedTokens).toBe(1);
  });

  it('truncates at 16 when the model has 16 positions', () => {
    const small = new AlbertTokenizer(tokenizerJson, tokenizerConfig, 16);
    const e = small.encode(words(30));
    expect(e.tokens).toEqual([
      '[CLS]',
      ...words(14)
        .split(' ')
        .map((w) => `▁${w}`),
      '[SEP]',
    ]);
    expect([e.truncated, e.droppedTokens]).toEqual([true, 16]);
    const pair = small.encode(words(30), words(4));
    expect([typeCount(pair, 0), typeCount(pair, 1), pair.droppedTokens]).toEqual([1 + 9 + 1, 4 + 1, 21]);
  });

  it('cuts a pair longest-first, both segments still ending in [SEP]', () => {
    const cases: [number, number, number, number][] = [
      [600, 100, 409, 100], // only the longer first segment is cut
      [100, 600, 100, 409], // only the longer second segment is cut
      [400, 300, 255, 254], // both cut; the odd token of the 509 left goes to the longer
    ];
    for (const [n1, n2, keep1, keep2] of cases) {
      const [a, b] = [words(n1), words(n2)];
      const e = tokenizer.encode(a, b);
      expect(e.tokens).toHaveLength(512);
      expect([typeCount(e, 0) - 2, typeCount(e, 1) - 1], `${n1} + ${n2}`).toEqual([keep1, keep2]);
      expect(e.tokens[keep1 + 1]).toBe('[SEP]');
      expect(e.tokens[511]).toBe('[SEP]');
      expect([e.truncated, e.droppedTokens]).toEqual([true, n1 + n2 - keep1 - keep2]);
      expectSpansCover(a, e, 0);
      expectSpansCover(b, e, 1);
    }
  });

  // Hugging Face tokenizers' own unit test of truncate_encodings (LongestFirst, max_length 7 for the content),
  // replayed with 10 positions: 7 content tokens plus [CLS] A [SEP] B [SEP].
  const lengths = (n1: number, n2: number) => {
    const e = new AlbertTokenizer(tokenizerJson, tokenizerConfig, 10).encode(words(n1), words(n2));
    return [typeCount(e, 0) - 2, typeCount(e, 1) - 1];
  };

  it("agrees with tokenizers' LongestFirst where one segment is cut or the first is longer", () => {
    const table: [number, number, number, number][] = [
      [0, 0, 0, 0], [0, 2, 0, 2], [0, 4, 0, 4], [0, 8, 0, 7],
      [2, 0, 2, 0], [2, 2, 2, 2], [2, 4, 2, 4], [2, 8, 2, 5],
      [4, 0, 4, 0], [4, 2, 4, 2], [8, 0, 7, 0], [8, 2, 5, 2], [8, 4, 4, 3],
    ]; // prettier-ignore
    for (const [n1, n2, keep1, keep2] of table)
      expect(lengths(n1, n2), `${n1} + ${n2}`).toEqual([keep1, keep2]);
  });

  // When both segments must be cut and the second is at least as long, tokenizers gives the odd token to the
  // second segment (n1 = max / 2, n2 = n1 + max % 2): with ALBERT's 509-token pair budget two long segments
  // come out 254 + 255, as in Hugging Face (the old slow Python tokenizer gave 255 + 254).
  it("agrees with tokenizers' LongestFirst where both are cut and the second is as long or longer", () => {
    const table: [number, number, number, number][] = [
      [4, 4, 3, 4],
      [4, 8, 3, 4],
      [8, 8, 3, 4],
    ];
    expect(table.map(([n1, n2]) => lengths(n1, n2))).toEqual(
      table.map(([, , keep1, keep2]) => [keep1, keep2]),
    );
    expect(tokenizer.encode(words(300), words(300)).tokenTypeIds.filter((t) => t === 1)).toHaveLength(
      255 + 1,
    );
  });
});
