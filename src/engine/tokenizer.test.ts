/**
 * AlbertTokenizer on the bundled test vocabulary (scripts/fixtures/tokenizerJson.ts). Segmentation is judged by
 * an independent Viterbi over the vocabulary's scores, spans by an independent rendering of ALBERT's normalizer
 * chain, truncation by the numbers Hugging Face's tokenizers (`truncate_encodings`, LongestFirst) gives.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tokenizer } from '@huggingface/tokenizers';
import { AlbertTokenizer, STRETCH, stretches, type Encoding, type Span } from './tokenizer.ts';

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

  it("gives B's tokens spans in B's own text", () => {
    const [a, b] = ['A', "Héllo, wörld of the ``river''!"];
    const e = tokenizer.encode(a, b);
    expect(e.tokenTypeIds.filter((t) => t === 0)).toHaveLength(3);
    expect(slices(b, e.offsets.slice(3, 6))).toEqual(['Héllo', ',', ' wörld']);
    expect(e.offsets[5]).toEqual([6, 12]);
    expectSpansCover(a, e, 0);
    expectSpansCover(b, e, 1);
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

  it('gives a bare prefix ▁ an empty span before the word', () => {
    const e = tokenizer.encode('quick jumping');
    expect(e.tokens.slice(1, 4)).toEqual(['▁', 'qu', 'ick']);
    expect(e.offsets.slice(1, 5)).toEqual([
      [0, 0],
      [0, 2],
      [2, 5],
      [5, 7],
    ]);
  });

  it('covers every piece, in order and without overlap, on varied text', () => {
    const texts = [
      'The cat sat on the mat.',
      'Héllo, Wörld! Ünïcödé naïve café',
      "He said ``yes'' and   left\t\tquickly.\n\nThe end.",
      '  leading and trailing  ',
      'emoji 😀 in 🎉🎉 the middle, and at the end 👍',
      'bell\u0007 and \u0001escape\u001f characters\u007f',
      'the [MASK] sat on the[MASK]mat',
      '1 + 1 = 2 (approximately) & 50% of $10 #hash @user',
    ];
    for (const text of texts) expectSpansCover(text, tokenizer.encode(text));
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

  it("turns `` and '' into a double quote covering both characters", () => {
    const text = "He said ``yes''.";
    const e = tokenizer.encode(text);
    expect(e.tokens).toEqual(['[CLS]', '▁he', '▁said', '▁"', 'y', 'es', '"', '.', '[SEP]']);
    expect(slices(text, e.offsets)).toEqual([null, 'He', ' said', ' ``', 'y', 'es', "''", '.', null]);
  });

  it('collapses runs of spaces, tabs and newlines into one', () => {
    const text = 'a  b\t\tc\n\nd';
    const e = tokenizer.encode(text);
    expect(e.ids).toEqual(tokenizer.encode('a b c d').ids);
    expect(e.tokens).toEqual(['[CLS]', '▁a', '▁b', '▁c', '▁d', '[SEP]']);
    expect(e.offsets).toEqual([null, [0, 1], [1, 4], [4, 7], [7, 10], null]);
  });

  it('trims leading and trailing whitespace', () => {
    const e = tokenizer.encode('  hello  ');
    expect(e.tokens).toEqual(['[CLS]', '▁hello', '[SEP]']);
    expect(e.offsets).toEqual([null, [2, 7], null]);
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

  it('fuses a run of unknown characters into one <unk>, and finds the word after it', () => {
    const text = '😀😀 hi ab🎉cd';
    const e = tokenizer.encode(text);
    expect(e.tokens).toEqual(['[CLS]', '▁', '😀😀', '▁h', 'i', '▁a', 'b', '🎉', 'c', 'd', '[SEP]']);
    expect(e.ids.filter((id) => id === 1)).toHaveLength(2);
    expect(slices(text, e.offsets)).toEqual([null, '', '😀😀', ' h', 'i', ' a', 'b', '🎉', 'c', 'd', null]);
  });

  it('drops control characters without shifting the spans after them', () => {
    const bell = 'a\u0007b';
    expect(tokenizer.encode(bell).tokens).toEqual(['[CLS]', '▁a', 'b', '[SEP]']);
    expect(tokenizer.encode(bell).offsets).toEqual([null, [0, 1], [2, 3], null]);
    const text = '\u0001hello\u001f world\u007f';
    const e = tokenizer.encode(text);
    expect(e.tokens).toEqual(['[CLS]', '▁hello', '▁world', '[SEP]']);
    expect(e.offsets).toEqual([null, [1, 6], [7, 13], null]);
    expect(tokenizer.encode('\u0007\u0001').tokens).toEqual(['[CLS]', '[SEP]']);
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

describe('empty text', () => {
  it('is exactly [CLS] [SEP], as is whitespace only', () => {
    for (const text of ['', '   ', ' \t\n \r\n ']) {
      expect(tokenizer.encode(text)).toEqual({
        tokens: ['[CLS]', '[SEP]'],
        ids: [2, 3],
        tokenTypeIds: [0, 0],
        offsets: [null, null],
        special: [true, true],
        truncated: false,
        droppedTokens: 0,
        padding: 0,
      });
    }
  });
});

describe('[MASK] typed in the text', () => {
  it('stays one special token, id 4, spanning the literal [MASK]', () => {
    const text = 'the [MASK] sat';
    const e = tokenizer.encode(text);
    expect(e.tokens).toEqual(['[CLS]', '▁the', '[MASK]', '▁sat', '[SEP]']);
    expect(e.ids).toEqual([2, 6, 4, 225, 3]);
    expect(e.special).toEqual([true, false, true, false, true]);
    expect(e.offsets).toEqual([null, [0, 3], [4, 10], [10, 14], null]);
    const glued = tokenizer.encode('the[MASK]sat');
    expect(glued.ids).toEqual([2, 6, 4, 225, 3]);
    expect(glued.offsets[2]).toEqual([3, 9]);
  });

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

describe('a long paste', () => {
  it('tokenizes 10,000+ tokens in reasonable time, with every span right', () => {
    const unit = "Héllo  wörld, the ``quick'' fox 😀 jumps\tover the lazy dog. ";
    const text = unit.repeat(600);
    const unbounded = new AlbertTokenizer(tokenizerJson, { ...tokenizerConfig, model_max_length: 1e6 }, 1e6);
    const started = performance.now();
    const e = unbounded.encode(text);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(e.tokens.length).toBeGreaterThan(10_000);
    expect(e.truncated).toBe(false);
    expectSpansCover(text, e);
    const last = e.offsets.at(-2);
    expect(last && text.slice(last[0], last[1])).toBe('.');
    expect(last?.[1]).toBe(text.trimEnd().length);
    expect(tokenizer.encode(text).droppedTokens).toBe(e.tokens.length - 2 - 510);
  });

  it('is cut into stretches right before whitespace runs, so each stretch tokenizes as the whole does', () => {
    const text = `${'word '.repeat(2500)}  \n\t${'x'.repeat(STRETCH + 5)} end`;
    const parts = stretches(text);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(
      parts.every((p, k) => p.start === (k === 0 ? 0 : parts[k - 1]!.start + parts[k - 1]!.text.length)),
    ).toBe(true);
    expect(parts.every((p) => p.text.length <= STRETCH)).toBe(true);
    // Every cut but the last, inside the run of x's, comes before whitespace that follows a word.
    const cuts = parts.slice(1).map((p) => p.start);
    expect(cuts.filter((c) => !/\s/.test(text[c]!) || /\s/.test(text[c - 1]!))).toEqual([cuts.at(-1)]);
    // The pieces are Hugging Face's own for the whole text (which it can still take at this length).
    const long = "Héllo  wörld, the ``quick'' fox 😀 jumps\tover the lazy [MASK] dog. ".repeat(600);
    const unbounded = new AlbertTokenizer(tokenizerJson, { ...tokenizerConfig, model_max_length: 1e6 }, 1e6);
    const e = unbounded.encode(long);
    const reference = new Tokenizer(tokenizerJson, tokenizerConfig).encode(long, {
      add_special_tokens: false,
    });
    expect(e.tokens.slice(1, -1)).toEqual(reference.tokens);
    expectSpansCover(long, e);
  });

  it('takes a 1 MB paste: the first 512 tokens, the number dropped after them, in reasonable time', () => {
    const sentence = 'The quick brown fox jumps over the lazy dog. ';
    const text = sentence.repeat(Math.ceil(1e6 / sentence.length)).slice(0, 1e6);
    const started = performance.now();
    const e = tokenizer.encode(text);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(e.tokens).toHaveLength(512);
    const once = tokenizer.encode(sentence).tokens;
    expect(e.tokens.slice(0, once.length - 1)).toEqual(once.slice(0, -1));
    // Every token of the text is counted: whole sentences, then the cut one at the end.
    const full = Math.floor(1e6 / sentence.length);
    const rest = tokenizer.encode(text.slice(full * sentence.length)).tokens.length - 2;
    expect(e.droppedTokens + 510).toBe(full * (once.length - 2) + rest);
  });
});
