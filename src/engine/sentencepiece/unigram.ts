/**
 * SentencePiece's Unigram model as Hugging Face tokenizers runs it (models/unigram, `encode_optimized`): the
 * best-scoring path over the pieces found at each character, a character no piece starts with becoming the
 * unknown piece at the lowest score minus 10, and — as Rust's `fuse_unk`, always on — consecutive unknowns fused
 * into one token covering them all. Ties keep the first candidate found (shorter pieces, earlier starts), as
 * the Rust loop does with its strict `>`.
 */
import { codePointsToString } from './normalizedString.ts';

const UNK_PENALTY = 10;

interface TrieNode {
  next: Map<number, TrieNode>;
  id: number;
}

/** A piece of the model's output: its id, its text, and its [start, end) in the word's characters. */
export interface UnigramToken {
  id: number;
  value: string;
  start: number;
  end: number;
}

export class Unigram {
  private readonly root: TrieNode = { next: new Map(), id: -1 };
  private readonly ids = new Map<string, number>();
  private readonly scores: number[];
  private readonly unkScore: number;

  constructor(
    vocab: readonly (readonly [string, number])[],
    private readonly unkId: number | undefined,
    private readonly byteFallback: boolean,
  ) {
    this.scores = vocab.map(([, score]) => score);
    let min = Infinity;
    vocab.forEach(([piece, score], id) => {
      if (!this.ids.has(piece)) this.ids.set(piece, id);
      min = Math.min(min, score);
      let node = this.root;
      for (const c of piece) {
        const cp = c.codePointAt(0)!;
        let child = node.next.get(cp);
        if (!child) node.next.set(cp, (child = { next: new Map(), id: -1 }));
        node = child;
      }
      if (node.id < 0) node.id = this.ids.get(piece)!;
    });
    this.unkScore = min - UNK_PENALTY;
  }

  /** The id of a piece, if the vocabulary has it. */
  tokenToId(piece: string): number | undefined {
    return this.ids.get(piece);
  }

  /** Cuts one word (code points) into tokens. */
  tokenize(chars: readonly number[]): UnigramToken[] {
    const n = chars.length;
    const score = new Float64Array(n + 1);
    const from = new Int32Array(n + 1).fill(-1);
    const idAt = new Int32Array(n + 1);
    for (let start = 0; start < n; start++) {
      const here = score[start]!;
      let single = false;
      let node: TrieNode | undefined = this.root;
      for (let end = start + 1; end <= n; end++) {
        node = node.next.get(chars[end - 1]!);
        if (!node) break;
        if (node.id < 0) continue;
        const candidate = this.scores[node.id]! + here;
        if (from[end] === -1 || candidate > score[end]!) {
          score[end] = candidate;
          from[end] = start;
          idAt[end] = node.id;
        }
        if (end === start + 1) single = true;
      }
      if (!single) {
        if (this.unkId === undefined)
          throw new Error('Unigram: a character has no piece and there is no unk_id');
        const candidate = this.unkScore + here;
        if (from[start + 1] === -1 || candidate > score[start + 1]!) {
          score[start + 1] = candidate;
          from[start + 1] = start;
          idAt[start + 1] = this.unkId;
        }
      }
    }
    // Walk back; runs of unknowns become one token.
    const spans: [number, number][] = [];
    let unkEnd = -1;
    for (let end = n; end > 0;) {
      const start = from[end]!;
      if (idAt[end] === this.unkId) {
        if (unkEnd < 0) unkEnd = end;
      } else {
        if (unkEnd >= 0) spans.push([end, unkEnd]);
        unkEnd = -1;
        spans.push([start, end]);
      }
      end = start;
    }
    if (unkEnd >= 0) spans.push([0, unkEnd]);
    spans.reverse();
    return spans.flatMap(([start, end]) => this.toTokens(chars, start, end));
  }

  /** A span's tokens: its piece, or the unknown token (or its bytes, with byte fallback). */
  private toTokens(chars: readonly number[], start: number, end: number): UnigramToken[] {
    const value = codePointsToString(chars.slice(start, end));
    const id = this.ids.get(value);
    if (id !== undefined) return [{ id, value, start, end }];
    if (this.byteFallback) {
      const bytes = [...new TextEncoder().encode(value)].map(
        (b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`,
      );
      const byteIds = bytes.map((b) => this.ids.get(b));
      if (byteIds.every((b) => b !== undefined))
        return bytes.map((b, i) => ({ id: byteIds[i]!, value: b, start, end }));
    }
    return [{ id: this.unkId!, value, start, end }];
  }
}
