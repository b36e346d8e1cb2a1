/**
 * alignPieces on hand-written pieces and small normalizers, so each rule of the walk is seen on its own and
 * without tokenizers.js: spaces and the prefix ▁, collapsed whitespace, the two-character quotes, characters a
 * normalizer expands or drops, unknown and added tokens, and giving up (null) rather than guessing.
 */
import { describe, expect, it } from 'vitest';
import { alignPieces, type AlignmentPiece } from './offsets.ts';

const piece = (token: string): AlignmentPiece => ({ token, added: false, unknown: false });
const unknown = (token: string): AlignmentPiece => ({ token, added: false, unknown: true });
const added = (token: string): AlignmentPiece => ({ token, added: true, unknown: false });
const pieces = (...tokens: string[]) => tokens.map(piece);

const lower = (s: string) => s.toLowerCase();
const nfkc = (s: string) => s.normalize('NFKC');
/** The part of ALBERT's chain these tests need: quotes, NFKD without accents, lowercase, no controls. */
const albert = (s: string) =>
  s
    .replace(/``|''/g, '"')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\p{Cc}/gu, (c) => (/\s/.test(c) ? c : ''));

describe('alignPieces', () => {
  it('gives a word-initial ▁ the space before it, and the first word none', () => {
    expect(alignPieces('Hello world', pieces('▁hello', '▁world'), lower, true)).toEqual([
      [0, 5],
      [5, 11],
    ]);
  });

  it('gives a bare prefix ▁ an empty span, and a ▁ standing for a space that space', () => {
    expect(alignPieces('quick quick', pieces('▁', 'qu', 'ick', '▁', 'qu', 'ick'), lower, true)).toEqual([
      [0, 0],
      [0, 2],
      [2, 5],
      [5, 6],
      [6, 8],
      [8, 11],
    ]);
  });

  it('walks pieces inside a word character by character', () => {
    expect(
      alignPieces('unthinkable', pieces('▁', 'un', 'th', 'in', 'k', 'a', 'b', 'le'), lower, true),
    ).toEqual([
      [0, 0],
      [0, 2],
      [2, 4],
      [4, 6],
      [6, 7],
      [7, 8],
      [8, 9],
      [9, 11],
    ]);
  });

  it('with remove_space, trims the text and lets one ▁ cover a whole run of whitespace', () => {
    expect(alignPieces(' \t a \t\n b \n', pieces('▁a', '▁b'), lower, true)).toEqual([
      [3, 4],
      [4, 9],
    ]);
    expect(alignPieces('a \t 😀', [piece('▁a'), piece('▁'), unknown('😀')], lower, true)).toEqual([
      [0, 1],
      [1, 4],
      [4, 6],
    ]);
  });

  it('collapses repeated spaces even without remove_space', () => {
    expect(alignPieces('a   b', pieces('▁a', '▁b'), lower, false)).toEqual([
      [0, 1],
      [1, 5],
    ]);
  });

  it('matches `` and the closing quote as one " each', () => {
    const text = "say ``hi''";
    expect(alignPieces(text, pieces('▁say', '▁"', 'hi', '"'), albert, true)).toEqual([
      [0, 3],
      [3, 6],
      [6, 8],
      [8, 10],
    ]);
  });

  it('covers an accented character with the letter it normalizes to', () => {
    expect(alignPieces('Héllo Wörld', pieces('▁hello', '▁world'), albert, true)).toEqual([
      [0, 5],
      [5, 11],
    ]);
  });

  // Text typed or pasted decomposed (macOS, NFD) carries accents as separate combining marks, which
  // normalize to nothing: Hugging Face's Rust offsets give the removed mark to the letter before it.
  it('covers a decomposed accent (e + U+0301) with the letter it sits on', () => {
    const text = 'cafe\u0301 ole\u0301';
    expect(alignPieces(text, pieces('▁cafe', '▁ole'), albert, true)).toEqual([
      [0, 5],
      [5, 10],
    ]);
  });

  it('skips characters the normalizer drops, without shifting what follows', () => {
    expect(alignPieces('\u0001a\u0007b c\u007f', pieces('▁a', 'b', '▁c'), albert, true)).toEqual([
      [1, 2],
      [3, 4],
      [4, 6],
    ]);
  });

  it('gives every piece cut from one expanded character that character', () => {
    expect(alignPieces('ﬁne', pieces('▁f', 'in', 'e'), nfkc, true)).toEqual([
      [0, 1],
      [0, 2],
      [2, 3],
    ]);
  });

  it('lets an unknown piece cover up to where the next piece matches, whatever its text says', () => {
    for (const unk of ['😀', '<unk>']) {
      expect(
        alignPieces('hi 😀 there', [piece('▁hi'), piece('▁'), unknown(unk), piece('▁there')], lower, true),
      ).toEqual([
        [0, 2],
        [2, 3],
        [3, 5],
        [5, 11],
      ]);
      expect(
        alignPieces('ab😀🎉cd', [piece('▁a'), piece('b'), unknown(unk), piece('c'), piece('d')], lower, true),
      ).toEqual([
        [0, 1],
        [1, 2],
        [2, 6],
        [6, 7],
        [7, 8],
      ]);
      expect(alignPieces('hi 😀', [piece('▁hi'), piece('▁'), unknown(unk)], lower, true)).toEqual([
        [0, 2],
        [2, 3],
        [3, 5],
      ]);
    }
  });

  it('finds an added token literally in the original text', () => {
    expect(
      alignPieces('The [MASK] sat', [piece('▁the'), added('[MASK]'), piece('▁sat')], lower, true),
    ).toEqual([
      [0, 3],
      [4, 10],
      [10, 14],
    ]);
    expect(
      alignPieces('[MASK] and [MASK]', [added('[MASK]'), piece('▁and'), added('[MASK]')], lower, true),
    ).toEqual([
      [0, 6],
      [6, 10],
      [11, 17],
    ]);
  });

  it('gives no span, never a wrong one, once the walk cannot follow the normalizer', () => {
    // NFKC joins the Hangul jamo U+1100 U+1161 into 가 only when it sees both characters.
    expect(alignPieces('\u1100\u1161 world', pieces('▁가', '▁world'), nfkc, true)).toEqual([null, null]);
    expect(alignPieces('hello world', pieces('▁hello', '▁word', '▁x'), lower, true)).toEqual([
      [0, 5],
      null,
      null,
    ]);
  });

  it('returns nothing for no pieces', () => {
    expect(alignPieces('', [], lower, true)).toEqual([]);
    expect(alignPieces('   ', [], lower, true)).toEqual([]);
  });
});
