/**
 * SentencePiece's precompiled charsmap (the `Precompiled` normalizer of an ALBERT tokenizer.json): a
 * Darts-clone double-array trie over UTF-8 bytes whose values index NUL-terminated replacements in a string
 * blob. Layout: [u32 trie size in bytes][trie units, u32 little-endian][replacement strings].
 *
 * Applied as Hugging Face tokenizers applies it (normalizers/precompiled.rs), not as SentencePiece does: text is
 * cut into extended grapheme clusters; a cluster under 6 UTF-8 bytes is looked up whole, and if the trie holds
 * any prefix of it, the *shortest* matching prefix's replacement stands for the whole cluster (so `\r\n` becomes
 * one space); otherwise each code point is looked up alone. The charsmap decides everything — an NFKC
 * approximation (what @huggingface/tokenizers 0.2 does) gets zero-width characters and controls wrong.
 */
import type { Change, NormalizedString } from './normalizedString.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class PrecompiledCharsmap {
  private readonly units: Uint32Array;
  private readonly blob: Uint8Array;
  private readonly cache = new Map<string, string | null>();

  constructor(bytes: Uint8Array) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const trieSize = view.getUint32(0, true);
    const count = trieSize >>> 2;
    this.units = new Uint32Array(count);
    for (let i = 0; i < count; i++) this.units[i] = view.getUint32(4 + 4 * i, true);
    this.blob = bytes.subarray(4 + trieSize);
  }

  static fromBase64(base64: string): PrecompiledCharsmap {
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new PrecompiledCharsmap(bytes);
  }

  /** Values of every key that is a prefix of `key`, shortest first (Darts' commonPrefixSearch). */
  private prefixValues(key: Uint8Array): number[] {
    const units = this.units;
    const results: number[] = [];
    if (units.length === 0) return results;
    let pos = offsetOf(units[0]!);
    for (const c of key) {
      if (c === 0) break;
      pos ^= c;
      const unit = units[pos];
      // A unit's label is its low byte; a leaf unit has bit 31 set, so it never equals a byte.
      if (unit === undefined || (unit & 0x800000ff) >>> 0 !== c) return results;
      pos ^= offsetOf(unit);
      if ((unit >>> 8) & 1) results.push(units[pos]! & 0x7fffffff);
    }
    return results;
  }

  /** The replacement for `chunk`: that of its shortest prefix in the trie, or null when none is there. */
  lookup(chunk: string): string | null {
    let hit = this.cache.get(chunk);
    if (hit !== undefined) return hit;
    const values = this.prefixValues(encoder.encode(chunk));
    if (values.length === 0) hit = null;
    else {
      const start = values[0]!;
      let end = start;
      while (end < this.blob.length && this.blob[end] !== 0) end++;
      hit = decoder.decode(this.blob.subarray(start, end));
    }
    if (this.cache.size < 65_536) this.cache.set(chunk, hit);
    return hit;
  }

  /** Normalizes in place, spans carried as Hugging Face tokenizers carries them. */
  normalize(normalized: NormalizedString): void {
    const dest: Change[] = [];
    let modified = false;
    for (const segment of graphemesOf(normalized.text)) {
      if (utf8Length(segment) < 6) {
        const whole = this.lookup(segment);
        if (whole !== null) {
          modified = true;
          replace(dest, segment, whole);
          continue;
        }
      }
      for (const c of segment) {
        const one = this.lookup(c);
        if (one !== null) {
          modified = true;
          replace(dest, c, one);
        } else dest.push([c.codePointAt(0)!, 0]);
      }
    }
    if (modified) normalized.transform(dest, 0);
  }
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** ASCII without CR: every character is a cluster of its own (only CR LF pairs up). */
function plainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f || c === 0x0d) return false;
  }
  return true;
}

/** How much text one Intl.Segmenter pass sees (at least). */
const GRAPHEME_WINDOW = 1024;

/**
 * The text's extended grapheme clusters, as Intl.Segmenter finds them, in windows: V8's segmenter slows down
 * quadratically over one long string (100,000 characters took 16 s). Each window's last cluster may continue past
 * the window, so the next window starts at it; a window that is one cluster grows until the cluster ends. A
 * window of plain ASCII without CR (each character its own cluster) needs no segmenter at all.
 */
export function* graphemesOf(text: string): Generator<string> {
  let at = 0;
  let size = GRAPHEME_WINDOW;
  while (at < text.length) {
    let end = Math.min(text.length, at + size);
    // Never between the halves of a surrogate pair: a lone half would end the cluster before it (a skin tone
    // modifier, outside the BMP, belongs to the emoji before it).
    if (end < text.length && /[\ud800-\udbff]/.test(text[end - 1]!)) end++;
    const window = text.slice(at, end);
    const clusters = plainAscii(window)
      ? [...window]
      : Array.from(graphemes.segment(window), (s) => s.segment);
    if (end === text.length) {
      yield* clusters;
      return;
    }
    if (clusters.length === 1) {
      size *= 2;
      continue;
    }
    const last = clusters.pop()!;
    yield* clusters;
    at = end - last.length;
    size = GRAPHEME_WINDOW;
  }
}

function offsetOf(unit: number): number {
  // Darts-clone: the offset is stored in bits 10.., shifted left by 8 more when bit 9 is set.
  return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
}

function utf8Length(s: string): number {
  let n = 0;
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * Records `oldPart` -> `newPart` as precompiled.rs does: every new character replaces (0); surplus ones are
 * marked inserted (1); a shortfall is charged to the last change recorded so far — which, when nothing has been
 * recorded yet (a removal at the very start), is nowhere, shifting the spans of what follows. Kept as is.
 */
function replace(dest: Change[], oldPart: string, newPart: string): void {
  const oldCount = [...oldPart].length;
  const newChars = [...newPart].map((c) => c.codePointAt(0)!);
  const diff = newChars.length - oldCount;
  for (const cp of newChars) dest.push([cp, 0]);
  if (diff > 0) {
    for (let i = dest.length - diff; i < dest.length; i++) dest[i] = [dest[i]![0], 1];
  } else if (diff < 0 && dest.length > 0) {
    const last = dest[dest.length - 1]!;
    dest[dest.length - 1] = [last[0], last[1] + diff];
  }
}
