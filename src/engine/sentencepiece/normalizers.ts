/**
 * The normalizers of an ALBERT-kind tokenizer.json, each editing a NormalizedString as Hugging Face tokenizers
 * does (so that spans match the Rust tokenizer's): Sequence, Replace (string or regex), NFD/NFKD, StripAccents,
 * Lowercase, Precompiled, Strip. Composing forms (NFC/NFKC) are not used by AlbertConverter and are refused.
 */
import { EngineError } from '../errors.ts';
import type { Change, NormalizedString } from './normalizedString.ts';
import { PrecompiledCharsmap } from './precompiled.ts';
import {
  DECOMPOSITIONS_UNKNOWN_TO_RUST,
  inRanges,
  MARKS_ONLY_TO_RUST,
  MARKS_UNKNOWN_TO_RUST,
} from './unicodeTables.ts';

export type Normalize = (s: NormalizedString) => void;
type JsonObject = Record<string, unknown>;

const MARK = /^\p{M}$/u;
const WHITE_SPACE = /^\p{White_Space}$/u;

/** The normalizer described by tokenizer.json's `normalizer` (null: none). */
export function buildNormalizer(config: JsonObject | null | undefined): Normalize {
  if (!config) return () => {};
  switch (config.type) {
    case 'Sequence': {
      const steps = (config.normalizers as JsonObject[]).map(buildNormalizer);
      return (s) => steps.forEach((step) => step(s));
    }
    case 'Replace':
      return replaceNormalizer(config);
    case 'NFKD':
      return (s) => decompose(s, 'NFKD');
    case 'NFD':
      return (s) => decompose(s, 'NFD');
    case 'StripAccents':
      // unicode-normalization-alignments' is_combining_mark: General_Category=Mark, in its older tables.
      return (s) => s.filter((cp) => !isRustMark(cp));
    case 'Lowercase':
      // char::to_lowercase, one character at a time (so no final-sigma context, as in Rust).
      return (s) => s.mapEach((cp) => codePoints(String.fromCodePoint(cp).toLowerCase()));
    case 'Precompiled': {
      const charsmap = config.precompiled_charsmap;
      if (typeof charsmap !== 'string' || charsmap === '') return () => {};
      const map = PrecompiledCharsmap.fromBase64(charsmap);
      return (s) => map.normalize(s);
    }
    case 'Strip':
      return (s) => strip(s, config.strip_left !== false, config.strip_right !== false);
    default:
      throw new EngineError(
        'invalid-file',
        `tokenizer.json: normalizer ${String(config.type)} is not supported (ALBERT tokenizers do not use it)`,
        'tokenizer.json',
      );
  }
}

function isRustMark(cp: number): boolean {
  if (MARK.test(String.fromCodePoint(cp))) return !inRanges(MARKS_UNKNOWN_TO_RUST, cp);
  return MARKS_ONLY_TO_RUST.includes(cp);
}

function codePoints(s: string): number[] {
  return [...s].map((c) => c.codePointAt(0)!);
}

function replaceNormalizer(config: JsonObject): Normalize {
  const pattern = config.pattern as { String?: string; Regex?: string };
  const content = String(config.content ?? '');
  const regex =
    pattern.Regex !== undefined
      ? new RegExp(pattern.Regex, 'gu')
      : new RegExp(String(pattern.String).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gu');
  return (s) => {
    const text = s.text;
    // UTF-16 index -> code point index, for the matches.
    const cpIndex = new Int32Array(text.length + 1);
    for (let i = 0, k = 0; i <= text.length; k++) {
      cpIndex[i] = k;
      if (i === text.length) break;
      const n = text.codePointAt(i)! > 0xffff ? 2 : 1;
      if (n === 2) cpIndex[i + 1] = k;
      i += n;
    }
    const matches: [number, number][] = [];
    for (const m of text.matchAll(regex)) {
      if (m[0] === '') continue;
      matches.push([cpIndex[m.index]!, cpIndex[m.index + m[0].length]!]);
    }
    if (matches.length > 0) s.replaceMatches(matches, content);
  };
}

/**
 * NFD/NFKD with spans: each character's decomposition (the first replacing it, the rest inserted), then
 * canonical reordering of combining marks across characters; a moved mark keeps its change, as
 * unicode-normalization-alignments does. The order is the platform's own: two adjacent marks swap exactly when
 * NFD swaps them.
 */
function decompose(s: NormalizedString, form: 'NFD' | 'NFKD'): void {
  const dest: Change[] = [];
  let plain = true;
  for (const cp of s.chars) {
    if (cp < 0xa0) {
      dest.push([cp, 0]);
      continue;
    }
    plain = false;
    if (form === 'NFKD' && inRanges(DECOMPOSITIONS_UNKNOWN_TO_RUST, cp)) {
      dest.push([cp, 0]);
      continue;
    }
    codePoints(String.fromCodePoint(cp).normalize(form)).forEach((c, i) => dest.push([c, i > 0 ? 1 : 0]));
  }
  if (plain) return;
  // Bubble adjacent non-starters into canonical order.
  for (let i = 1; i < dest.length; i++) {
    for (let j = i; j > 0 && outOfOrder(dest[j - 1]![0], dest[j]![0]); j--) {
      [dest[j - 1], dest[j]] = [dest[j]!, dest[j - 1]!];
    }
  }
  s.transform(dest, 0);
}

const orderCache = new Map<number, boolean>();

/** True when marks a, b (in that order) are not in canonical order. */
function outOfOrder(a: number, b: number): boolean {
  if (a < 0x300 || b < 0x300) return false;
  const key = a * 0x110000 + b;
  let hit = orderCache.get(key);
  if (hit === undefined) {
    const pair = String.fromCodePoint(a, b);
    hit = pair.normalize('NFD') !== pair && pair.normalize('NFD') === String.fromCodePoint(b, a);
    if (orderCache.size < 100_000) orderCache.set(key, hit);
  }
  return hit;
}

const isSpace = (cp: number) => WHITE_SPACE.test(String.fromCodePoint(cp));

function strip(s: NormalizedString, left: boolean, right: boolean): void {
  let start = 0;
  let end = s.length;
  if (left) while (start < end && isSpace(s.chars[start]!)) start++;
  if (right) while (end > start && isSpace(s.chars[end - 1]!)) end--;
  if (start === 0 && end === s.length) return;
  const dest: Change[] = s.chars.slice(start, end).map((cp) => [cp, 0]);
  if (dest.length > 0) {
    const last = dest[dest.length - 1]!;
    dest[dest.length - 1] = [last[0], -(s.length - end)];
  }
  s.transform(dest, start);
}
