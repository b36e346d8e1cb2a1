import { describe, expect, it } from 'vitest';
import { parseExamples } from './classify.ts';

describe('few-shot examples', () => {
  it('reads `label: text` lines, keeps colons in the text, reports the lines it cannot read', () => {
    const parsed = parseExamples('pos: good: really\n\nno label here\n: empty label\nneg:   bad  \nneg:');
    expect(parsed.examples).toEqual([
      { label: 'pos', text: 'good: really' },
      { label: 'neg', text: 'bad' },
    ]);
    expect(parsed.badLines).toEqual([3, 4, 6]);
  });
});
