/**
 * Differential test: AlbertTokenizer against Hugging Face's Rust tokenizer (npm `tokenizers`, the fast
 * tokenizer behind AutoTokenizer) on 10,000+ seeded random texts and pairs, over two tokenizer.json files with a
 * real nmt_nfkc Precompiled charsmap: the test models' own and one with a differently trained vocabulary.
 * Ids, token types and spans must be identical. Rust reports spans in code points; ours are UTF-16 units, so
 * ours are converted (template specials, which we give no span, are (0, 0) in Rust).
 */
import { readFileSync } from 'node:fs';
import { Tokenizer } from 'tokenizers';
import { describe, expect, it } from 'vitest';
import { multilingualVocab, tokenizerJson } from '../../scripts/fixtures/tokenizerJson.ts';
import { randomText, seededRandom } from './testing/unicodeTexts.ts';
import { AlbertTokenizer, type Encoding } from './tokenizer.ts';

const modelFile = (name: string) =>
  readFileSync(new URL(`../../public/models/albert-tiny-random/${name}`, import.meta.url), 'utf8');
const fixtureJson = modelFile('tokenizer.json');
const config = JSON.parse(modelFile('tokenizer_config.json')) as Record<string, unknown>;
const fixture = JSON.parse(fixtureJson) as {
  normalizer: { normalizers: { precompiled_charsmap?: string }[] };
};
const charsmap = fixture.normalizer.normalizers.find((n) => n.precompiled_charsmap)!.precompiled_charsmap!;
const otherJson = JSON.stringify(tokenizerJson(multilingualVocab(), charsmap));

const TOKENIZERS = [
  { name: 'the test models’ tokenizer.json', json: fixtureJson },
  { name: 'a differently trained vocabulary', json: otherJson },
].map(({ name, json }) => ({
  name,
  json,
  rust: Tokenizer.fromString(json),
  ours: new AlbertTokenizer(JSON.parse(json) as Record<string, unknown>, config, 512),
}));

interface Result {
  ids: number[];
  typeIds: number[];
  offsets: number[][];
}

/** UTF-16 index -> code point index over `text`. */
function codePointIndex(text: string): (u: number) => number {
  const at = new Int32Array(text.length + 1);
  for (let i = 0, k = 0; i <= text.length; i++) {
    at[i] = k;
    const c = text.charCodeAt(i);
    if (!(c >= 0xd800 && c <= 0xdbff)) k++;
  }
  return (u) => at[u]!;
}

function ours(tokenizer: AlbertTokenizer, a: string, b?: string): Result {
  const e: Encoding = tokenizer.encode(a, b);
  const [toA, toB] = [codePointIndex(a), codePointIndex(b ?? '')];
  return {
    ids: e.ids,
    typeIds: e.tokenTypeIds,
    offsets: e.offsets.map((span, i) => {
      if (!span) return [0, 0];
      const to = e.tokenTypeIds[i] === 1 ? toB : toA;
      return [to(span[0]), to(span[1])];
    }),
  };
}

async function rust(tokenizer: Tokenizer, a: string, b?: string): Promise<Result> {
  const e = await tokenizer.encode(a, b ?? null);
  return { ids: e.getIds(), typeIds: e.getTypeIds(), offsets: e.getOffsets() };
}

/** Seven texts where the Rust tokenizer and @huggingface/tokenizers 0.2 disagreed (issue 14), with Rust's ids. */
const ISSUE_14: [string, number[], number[]][] = [
  ['hello world\n', [2, 205, 199, 5, 3], []],
  ['Hello.\n\nNew paragraph.\n', [2, 205, 379, 106, 298, 253, 344, 350, 267, 359, 351, 379, 5, 3], []],
  ['hello world ', [2, 205, 199, 5, 3], []],
  ['hello world\u00a0', [2, 205, 199, 5, 3], []],
  ['hello world\r\n', [2, 205, 199, 5, 3], []],
  ['a\u200bb\u200cc\u200dd\ufeffe', [2, 10, 284, 285, 286, 287, 3], []],
  ['😀 👩‍👩‍👧‍👦 🇫🇷', [2, 5, 1, 5, 1, 5, 1, 5, 1, 5, 1, 5, 1, 3], []],
];

describe('issue 14: the texts that differed', () => {
  const { rust: rustTokenizer, ours: tokenizer } = TOKENIZERS[0]!;
  for (const [text, ids] of ISSUE_14) {
    it(`${JSON.stringify(text)} gives Rust's ids ${JSON.stringify(ids)}`, async () => {
      expect((await rust(rustTokenizer, text)).ids).toEqual(ids);
      expect(ours(tokenizer, text)).toEqual(await rust(rustTokenizer, text));
    });
  }
});

const CASES = 5_200; // per tokenizer: 10,400 texts in all, a quarter of them pairs

describe.each(TOKENIZERS)(
  'identical to the Rust tokenizer on $name',
  ({ json, rust: rustTokenizer, ours: tokenizer }) => {
    it(`${CASES} seeded texts and pairs: ids, token types and spans`, async () => {
      const random = seededRandom(14);
      const cases = Array.from({ length: CASES }, (_, i) =>
        i % 4 === 3 ? ([randomText(random), randomText(random)] as const) : ([randomText(random)] as const),
      );
      const expected = await Promise.all(cases.map(([a, b]) => rust(rustTokenizer, a, b)));
      const mismatches = cases.flatMap(([a, b], i) => {
        const got = ours(tokenizer, a, b);
        return JSON.stringify(got) === JSON.stringify(expected[i]) ? [] : [{ a, b, got, want: expected[i] }];
      });
      if (process.env.DIFF_DUMP)
        for (const m of mismatches.slice(0, 12))
          console.log(
            JSON.stringify({
              a: m.a,
              b: m.b,
              got: m.got.ids,
              want: m.want!.ids,
              go: JSON.stringify(m.got.offsets),
              wo: JSON.stringify(m.want!.offsets),
            }),
          );
      expect(mismatches.length, 'mismatches').toBe(0);
      expect(mismatches.slice(0, 3)).toEqual([]);
    });

    it('a 300,000-character paste of such texts: identical, and done in linear time (no stack overflow)', async () => {
      // Long texts once overflowed the stack (a spread of every character) and went quadratic (V8's
      // Intl.Segmenter over one long string): 100,000 characters took 20 s, 1,000,000 overflowed.
      const random = seededRandom(300);
      let text = '';
      while (text.length < 300_000) text += randomText(random) + ' ';
      // No truncation, as the Rust tokenizer has none here: every piece is compared.
      const long = new AlbertTokenizer(
        JSON.parse(json) as Record<string, unknown>,
        { ...config, model_max_length: 1 << 30 },
        1 << 30,
      );
      const got = ours(long, text);
      const want = await rust(rustTokenizer, text);
      expect(got.ids.length).toBe(want.ids.length);
      expect(JSON.stringify(got) === JSON.stringify(want), 'identical ids, types and spans').toBe(true);
    });
  },
);
