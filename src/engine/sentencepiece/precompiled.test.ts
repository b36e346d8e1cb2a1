/** The windowed grapheme split the charsmap is applied by: the same clusters as one Intl.Segmenter pass. */
import { describe, expect, it } from 'vitest';
import { seededRandom, randomText } from '../testing/unicodeTexts.ts';
import { graphemesOf } from './precompiled.ts';

const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });
const whole = (text: string) => Array.from(segmenter.segment(text), (s) => s.segment);

describe('graphemesOf', () => {
  it('splits long texts exactly as one segmenter pass, clusters across window edges included', () => {
    const random = seededRandom(7);
    let mixed = '';
    while (mixed.length < 20_000) mixed += randomText(random);
    const texts = [
      mixed,
      // A cluster far longer than a window: one letter with 3,000 combining marks, between ASCII.
      `abc${'e' + '\u0301'.repeat(3000)}def`,
      // ASCII up to a window edge, then a mark that joins the letter before it.
      `${'x'.repeat(1023)}e\u0301${'y'.repeat(2000)}`,
      // CR LF is one cluster, also across an edge; flags pair up regional indicators.
      `${'z'.repeat(1023)}\r\n${'🇫🇷'.repeat(700)}\r\n`,
      '👩‍👩‍👧‍👦'.repeat(400),
      '',
    ];
    for (const text of texts) expect([...graphemesOf(text)]).toEqual(whole(text));
  });
});
