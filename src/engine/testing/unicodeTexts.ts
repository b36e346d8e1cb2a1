/**
 * Deterministic random texts for the tokenizer's differential test: fragments drawn (seeded) from every Unicode
 * general category, whitespace runs (CR/LF/tab/NBSP/ideographic space) at the start, middle and end, zero-width
 * and bidi controls, emoji with ZWJ, skin tones and flags, combining marks, fullwidth/halfwidth forms,
 * ligatures, CJK, Arabic, Hebrew, Devanagari, typed special tokens beside punctuation, and plain words.
 */

/** The project's seeded generator (mulberry32), under the name the tests use. */
export { seeded as seededRandom } from '../random.ts';

/** Every general category but Cs (a lone surrogate is not text: it cannot cross into UTF-8). */
export const CATEGORIES = [
  'Lu',
  'Ll',
  'Lt',
  'Lm',
  'Lo',
  'Mn',
  'Mc',
  'Me',
  'Nd',
  'Nl',
  'No',
  'Pc',
  'Pd',
  'Ps',
  'Pe',
  'Pi',
  'Pf',
  'Po',
  'Sm',
  'Sc',
  'Sk',
  'So',
  'Zs',
  'Zl',
  'Zp',
  'Cc',
  'Cf',
  'Co',
  'Cn',
] as const;

let byCategory: Map<string, number[]> | undefined;

/** Code points of each category, from a sweep of the planes in use (every 1st in the BMP, every 7th above). */
export function categoryPools(): Map<string, number[]> {
  if (byCategory) return byCategory;
  const tests = CATEGORIES.map((c) => [c, new RegExp(`^\\p{gc=${c}}$`, 'u')] as const);
  byCategory = new Map(CATEGORIES.map((c) => [c, []]));
  for (let cp = 0; cp <= 0x10ffff; cp += cp < 0x10000 ? 1 : cp < 0x30000 || cp >= 0xe0000 ? 7 : 4093) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    for (const [name, re] of tests) {
      if (re.test(c)) {
        byCategory.get(name)!.push(cp);
        break;
      }
    }
  }
  return byCategory;
}

const WHITESPACE = [
  ' ',
  '  ',
  '   ',
  '\t',
  '\n',
  '\n\n',
  '\r\n',
  '\r',
  '\u00a0',
  '\u3000',
  ' \u00a0 ',
  '\u2028',
  '\u000b',
];
const INVISIBLE = [
  '\u200b',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\ufeff',
  '\u2060',
  '\u00ad',
  '\u0000',
  '\u0001',
  '\u007f',
];
const EMOJI = ['😀', '👍', '👍🏽', '👩‍👩‍👧‍👦', '👨🏿‍💻', '🇫🇷', '🇯🇵🇫🇷', '❤️', '🏳️‍🌈', '🎉🎉', '😀😀😀', '☺', '#️⃣'];
const MARKS = [
  'e\u0301',
  'a\u0308\u0323',
  'ﬁ\u0301',
  'o\u0316\u0301',
  '\u0301',
  'n\u0303',
  'Å',
  'ǖ',
  'ह\u093f',
  'क\u094d\u200dष',
  'a\u20dd',
];
const FORMS = [
  'Ａ',
  'ｈｅｌｌｏ',
  '１２３',
  'ｶﾀｶﾅ',
  'ﾞ',
  'ﬁ',
  'ﬀ',
  'ﬃ',
  'Ǆ',
  'ǅ',
  '㈱',
  '½',
  '²',
  '¹\u200c',
  'ℌ',
  '①',
  '㎏',
  'ﷺ',
  'İ',
  'ΣΑΣ',
  'ß',
  'ẞ',
];
const SCRIPTS = [
  '中文字',
  '的是不了',
  '日本語のテキスト',
  'かな',
  'مرحبا بالعالم',
  'العربية',
  'שלום עולם',
  'עברית',
  'नमस्ते दुनिया',
  'हिन्दी',
  'Привет мир',
  'Ελληνικά',
  '한국어',
  '각',
];
const SPECIAL = [
  '[MASK]',
  '[MASK].',
  '([MASK])',
  '[MASK],',
  ' [MASK] ',
  '[MASK][MASK]',
  '[CLS]',
  '[SEP]',
  '<pad>',
  '<unk>',
  '[mask]',
];
const WORDS = [
  'hello',
  'world',
  'The',
  'quick',
  'brown',
  'fox',
  'jumps',
  'over',
  'lazy',
  'dog',
  'Paris',
  'bank',
  'movie',
  'unthinkable',
  "``quoted''",
  "it's",
  'x',
  '42',
  '3.14',
  'e-mail',
  'café',
  'naïve',
  'Straße',
  'bonjour',
];
const PUNCT = ['.', ',', '!', '?', '...', '—', '"', '(', ')', ':', ';', '-', "''", '``'];

/** One text of 1-8 fragments. */
export function randomText(random: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const pools = categoryPools();
  const fragment = (): string => {
    const r = random();
    if (r < 0.25) return pick(WORDS);
    if (r < 0.35) return pick(WHITESPACE);
    if (r < 0.43) return pick(PUNCT);
    if (r < 0.6) {
      const cps = pools.get(pick(CATEGORIES))!;
      return cps.length ? String.fromCodePoint(pick(cps)) : '';
    }
    if (r < 0.66) return pick(INVISIBLE);
    if (r < 0.72) return pick(EMOJI);
    if (r < 0.78) return pick(MARKS);
    if (r < 0.84) return pick(FORMS);
    if (r < 0.9) return pick(SCRIPTS);
    return pick(SPECIAL);
  };
  const n = 1 + Math.floor(random() * 8);
  let text = random() < 0.2 ? pick(WHITESPACE) : '';
  for (let i = 0; i < n; i++) text += (i > 0 && random() < 0.5 ? pick(WHITESPACE) : '') + fragment();
  if (random() < 0.25) text += pick(WHITESPACE);
  return text;
}
