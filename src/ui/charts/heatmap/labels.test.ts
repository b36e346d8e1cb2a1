/** Label thinning, shortening and legend numbers, shared by the screen and the exported figure. */
import { describe, expect, it } from 'vitest';
import { fitLabel, formatTick, labelIndices, maxLabelChars, niceStep } from './labels.ts';

describe('labelIndices', () => {
  it('labels every row when there are few and they have room', () => {
    expect(labelIndices(20, 24)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('thins 512 thin rows to every 20th, starting at row 0', () => {
    const shown = labelIndices(512, 1.25);
    expect(shown.length).toBe(26);
    expect(shown.slice(0, 3)).toEqual([0, 20, 40]);
  });

  it('never shows more than 80, even when cells are tall', () => {
    const shown = labelIndices(512, 100);
    expect(shown.length).toBeLessThanOrEqual(80);
    expect(shown[1]).toBe(10);
  });

  it('numbers 768 one-pixel columns every 50 with a 40 px gap', () => {
    expect(labelIndices(768, 1, 40)).toEqual(Array.from({ length: 16 }, (_, i) => i * 50));
  });

  it('steps are round numbers', () => {
    expect([1, 3, 11, 21, 100].map(niceStep)).toEqual([1, 5, 20, 50, 100]);
  });
});

describe('fitLabel and formatTick', () => {
  it('cuts long labels with an ellipsis', () => {
    const cut = fitLabel('x'.repeat(40));
    expect(Array.from(cut).length).toBe(maxLabelChars);
    expect(cut.endsWith('…')).toBe(true);
    expect(fitLabel('▁short')).toBe('▁short');
  });

  it('writes 3 significant digits, exponents at the extremes, 0 as 0', () => {
    expect([0, -0, 0.123456, -3, 1234.5, 12345, 0.0001].map(formatTick)).toEqual([
      '0',
      '0',
      '0.123',
      '-3',
      '1230',
      '1.23e+4',
      '1.00e-4',
    ]);
  });
});
