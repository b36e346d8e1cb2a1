/**
 * A text being normalized, each character knowing the span of the original it came from: Hugging Face
 * tokenizers' NormalizedString, rebuilt so that our spans are the ones the Rust tokenizer reports. Every edit
 * goes through `transform`, which follows the Rust rules to the letter (a kept or replaced character takes the
 * span of the original it consumes, an inserted one the span of the character before it, removals are charged
 * to the character they follow), including their quirks: spans are part of what must match.
 *
 * Characters are code points; spans are [start, end) in UTF-16 units of the original, relative to `shift`.
 */

/** [start, end) in the original, UTF-16 units. */
export type Alignment = readonly [number, number];

/** A new character and how it relates to the old ones: 0 replaces one, 1 is inserted, -n replaces one and removes n more. */
export type Change = readonly [codePoint: number, change: number];

export class NormalizedString {
  constructor(
    /** The normalized text, one code point per entry. */
    public chars: number[],
    /** Each normalized character's span in the original (relative to `shift`). */
    public alignments: Alignment[],
    /** Where this text's original starts in the whole input (UTF-16 units). */
    readonly shift: number,
    /** Where this text starts in the original when it was cut out (Rust's `offsets_original().0`). */
    readonly origin = 0,
  ) {}

  /** An unnormalized text: each code point aligned to itself. */
  static from(text: string, shift = 0): NormalizedString {
    const chars: number[] = [];
    const alignments: Alignment[] = [];
    for (let i = 0; i < text.length;) {
      const cp = text.codePointAt(i)!;
      const n = cp > 0xffff ? 2 : 1;
      chars.push(cp);
      alignments.push([i, i + n]);
      i += n;
    }
    return new NormalizedString(chars, alignments, shift);
  }

  get text(): string {
    return codePointsToString(this.chars);
  }

  get length(): number {
    return this.chars.length;
  }

  /** Rewrites the whole text (Rust's `transform`). */
  transform(dest: Iterable<Change>, initialOffset: number): void {
    this.transformRange(0, this.chars.length, dest, initialOffset);
  }

  /**
   * Rewrites characters [start, end) as `dest` (Rust's `transform_range`): the first `initialOffset` old
   * characters are removed up front; then each new character consumes old ones as its change says.
   */
  transformRange(start: number, end: number, dest: Iterable<Change>, initialOffset: number): void {
    let offset = start + Math.min(initialOffset, end - start);
    const chars: number[] = [];
    const alignments: Alignment[] = [];
    for (const [cp, change] of dest) {
      let align: Alignment;
      if (change > 0) align = offset < 1 ? [0, 0] : this.alignments[offset - 1]!;
      else align = this.alignments[offset]!;
      // A replacing character consumes one old character (if any are left), a removal |change| more.
      if (change <= 0 && offset < end) offset++;
      if (change < 0) offset = Math.min(offset - change, end);
      chars.push(cp);
      alignments.push(align);
    }
    this.replaceSlice(start, end, chars, alignments);
  }

  /**
   * Characters [start, end) replaced by `chars`. Never `splice(..., ...chars)`: spreading a long text's
   * characters as arguments overflows the stack, and edits in place would make a long paste quadratic.
   */
  private replaceSlice(start: number, end: number, chars: number[], alignments: Alignment[]): void {
    if (start === 0 && end === this.chars.length) {
      this.chars = chars;
      this.alignments = alignments;
      return;
    }
    this.chars = this.chars.slice(0, start).concat(chars, this.chars.slice(end));
    this.alignments = this.alignments.slice(0, start).concat(alignments, this.alignments.slice(end));
  }

  /** Keeps the characters `keep` accepts (Rust's `filter`): removals are charged to the kept character before. */
  filter(keep: (cp: number) => boolean): void {
    const dest: Change[] = [];
    let removed = 0;
    let removedStart = 0;
    let last: number | undefined;
    for (const cp of this.chars) {
      if (keep(cp)) {
        if (last !== undefined) dest.push([last, -removed]);
        else removedStart = removed;
        last = cp;
        removed = 0;
      } else removed++;
    }
    if (last !== undefined) dest.push([last, -removed]);
    this.transform(dest, removedStart);
  }

  /** Each character mapped to one or more (Rust's `map`-style edits: NFKD, lowercase): extras are inserted. */
  mapEach(f: (cp: number) => number[]): void {
    const dest: Change[] = [];
    for (const cp of this.chars) f(cp).forEach((c, i) => dest.push([c, i > 0 ? 1 : 0]));
    this.transform(dest, 0);
  }

  /**
   * Replaces each match [start, end) (non-overlapping, in order) by `content` (Rust's `replace`): the old
   * characters go first, and every new character is inserted after them, so it takes the span of the last one.
   */
  replaceMatches(matches: [number, number][], content: string): void {
    const contentChars = [...content].map((c) => c.codePointAt(0)!);
    // One pass over the text (as transformRange on each match, from the last, would give, in linear time).
    const chars: number[] = [];
    const alignments: Alignment[] = [];
    let at = 0;
    for (const [start, end] of matches) {
      for (; at < start; at++) {
        chars.push(this.chars[at]!);
        alignments.push(this.alignments[at]!);
      }
      const align = end < 1 ? ([0, 0] as const) : this.alignments[end - 1]!;
      for (const cp of contentChars) {
        chars.push(cp);
        alignments.push(align);
      }
      at = end;
    }
    for (; at < this.chars.length; at++) {
      chars.push(this.chars[at]!);
      alignments.push(this.alignments[at]!);
    }
    this.replaceSlice(0, this.chars.length, chars, alignments);
  }

  /** Puts `s` in front (Rust's `prepend`): it replaces the first character, which is then inserted after it. */
  prepend(s: string): void {
    const first = this.chars[0];
    if (first === undefined) return;
    const dest: Change[] = [...s].map((c, i) => [c.codePointAt(0)!, i === 0 ? 0 : 1]);
    dest.push([first, 1]);
    this.transformRange(0, 1, dest, 0);
  }

  /** Characters [start, end) as their own string, spans unchanged. */
  slice(start: number, end: number): NormalizedString {
    return new NormalizedString(
      this.chars.slice(start, end),
      this.alignments.slice(start, end),
      this.shift,
      this.alignments[start]?.[0] ?? this.origin,
    );
  }

  /** The original span of normalized characters [start, end), in the whole input's UTF-16 units. */
  originalSpan(start: number, end: number): [number, number] {
    return [this.alignments[start]![0] + this.shift, this.alignments[end - 1]![1] + this.shift];
  }
}

/** Code points to a string, in chunks (spreading a huge array into fromCodePoint overflows the stack). */
export function codePointsToString(cps: readonly number[]): string {
  let s = '';
  for (let i = 0; i < cps.length; i += 4096) s += String.fromCodePoint(...cps.slice(i, i + 4096));
  return s;
}
