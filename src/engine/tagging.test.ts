/**
 * Token tagging on the bundled test vocabulary, which cuts most words into several pieces: the bracket markup,
 * spans to one tag per token (every piece of a word sharing it, specials none), and k-NN / centroid tagging
 * with word agreement, against tags and votes written out by hand.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AlbertTokenizer } from './tokenizer.ts';
import {
  exampleTags,
  parseTaggedExamples,
  parseTaggedLine,
  tagTokens,
  wordStarts,
  type TaggedExample,
} from './tagging.ts';

const modelFile = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../public/models/albert-tiny-random/${name}`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
const tokenizer = new AlbertTokenizer(modelFile('tokenizer.json'), modelFile('tokenizer_config.json'), 512);

const parsed = (line: string) => parseTaggedLine(line) as TaggedExample;

describe('bracket markup', () => {
  it('reads spans into plain text and character spans', () => {
    const example = parsed('[Paris](LOC) is in [ France ](LOC).');
    expect(example.text).toBe('Paris is in  France .');
    expect(example.spans).toEqual([
      { start: 0, end: 5, label: 'LOC' },
      { start: 12, end: 20, label: 'LOC' },
    ]);
    expect(example.text.slice(0, 5)).toBe('Paris');
    expect(parsed('no spans at all')).toEqual({ text: 'no spans at all', spans: [] });
  });

  it('reports unbalanced brackets and empty labels with their line numbers', () => {
    const source = [
      '[Paris](LOC) is fine.',
      '',
      '[Paris(LOC) is open.',
      'Paris](LOC) closes nothing.',
      '[Paris]() has no label.',
      '[Paris] LOC has no parentheses.',
      '[Paris](LOC has no closing parenthesis.',
      '[[Paris](LOC)](X) is nested.',
      '[ ](LOC) marks nothing.',
      'Then [Kyoto](LOC) again.',
    ].join('\n');
    const { examples, badLines } = parseTaggedExamples(source);
    expect(examples.map((e) => e.text)).toEqual(['Paris is fine.', 'Then Kyoto again.']);
    expect(badLines.map((b) => b.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(badLines.map((b) => b.reason)).toEqual([
      '"[" at column 1 is not closed by "]"',
      '"]" at column 6 closes no "["',
      'the span at column 1 has an empty label',
      '"[…]" at column 1 is not followed by "(LABEL)"',
      '"(" at column 8 is not closed by ")"',
      '"[" at column 1 is not closed by "]"',
      'the span at column 1 marks no text',
    ]);
  });
});

describe('spans to token tags', () => {
  it('gives every piece of a word its tag, punctuation after a word its own, specials none', () => {
    const example = parsed('[Barack Obama](PER) met at [Google](ORG).');
    const encoding = tokenizer.encode(example.text);
    // The test vocabulary cuts the names into pieces.
    expect(encoding.tokens).toEqual(
      ['[CLS]', '▁b', 'ar', 'a', 'c', 'k', '▁o', 'b', 'a', 'ma', '▁me', 't', '▁at'].concat([
        '▁go',
        'o',
        'g',
        'le',
        '.',
        '[SEP]',
      ]),
    );
    const P = 'PER';
    const G = 'ORG';
    expect(exampleTags(encoding, example)).toEqual([
      null,
      P,
      P,
      P,
      P,
      P,
      P,
      P,
      P,
      P,
      'O',
      'O',
      'O',
      G,
      G,
      G,
      G,
      'O',
      null,
    ]);
  });

  it('keeps a bare "▁" piece with the word it starts', () => {
    const example = parsed('helped [Ada](PER) in [Rome](LOC).');
    const encoding = tokenizer.encode(example.text);
    expect(encoding.tokens.slice(6, 10)).toEqual(['▁in', '▁', 'ro', 'me']);
    expect(exampleTags(encoding, example).slice(6, 11)).toEqual(['O', 'LOC', 'LOC', 'LOC', 'O']);
  });

  it('tags the whole word when a span covers only its first pieces', () => {
    const example = parsed('In [Kyo](LOC)to now.');
    const encoding = tokenizer.encode(example.text);
    expect(encoding.tokens).toEqual(['[CLS]', '▁in', '▁k', 'y', 'o', 't', 'o', '▁now', '.', '[SEP]']);
    expect(wordStarts(encoding, example.text)).toEqual([-1, 1, 2, 2, 2, 2, 2, 7, 8, -1]);
    expect(exampleTags(encoding, example)).toEqual([
      null,
      'O',
      'LOC',
      'LOC',
      'LOC',
      'LOC',
      'LOC',
      'O',
      'O',
      null,
    ]);
  });
});

const v = (...x: number[]) => Float32Array.from(x);

describe('tagging by neighbours and centroids', () => {
  const references = [
    { sentence: 0, token: 1, label: 'LOC', vector: v(1, 0) },
    { sentence: 0, token: 2, label: 'LOC', vector: v(0.8, 0.6) },
    { sentence: 0, token: 3, label: 'O', vector: v(0, 1) },
  ];

  it('votes by cosine among the k nearest, and every piece follows its word’s first piece', () => {
    // Tokens: [CLS], a word of two pieces (the second looks like O), a word of one piece, [SEP].
    const vectors = [v(5, 5), v(0.9, 0.1), v(0, 1), v(0.1, 1), v(1, 1)];
    const tagged = tagTokens(references, vectors, [-1, 1, 1, 3, -1], 2);
    expect(tagged.tags).toEqual(['O', 'LOC', 'LOC', 'O', 'O']);
    expect(tagged.scores[0]).toBeNull();
    expect(tagged.scores[4]).toBeNull();
    // Token 3, (0.1, 1): nearest the O token (cos 0.995), then the second LOC token (cos (0.08 + 0.6)/1.005).
    const scores = tagged.scores[3]!;
    const norm = Math.hypot(0.1, 1);
    expect(scores.neighbours.map((n) => n.reference)).toEqual([2, 1]);
    expect(scores.votes.O).toBeCloseTo(1 / norm, 6);
    expect(scores.votes.LOC).toBeCloseTo(0.68 / norm, 6);
    // The LOC centroid is (0.9, 0.3).
    expect(scores.centroid.LOC).toBeCloseTo((0.09 + 0.3) / (norm * Math.hypot(0.9, 0.3)), 6);
    expect(tagged.centroidTags).toEqual(['O', 'LOC', 'LOC', 'O', 'O']);
  });

  it('at k = 1 tags a labelled token’s own vector with its own tag', () => {
    const tagged = tagTokens(
      references,
      references.map((r) => r.vector),
      [0, 1, 2],
      1,
    );
    expect(tagged.tags).toEqual(['LOC', 'LOC', 'O']);
  });
});
