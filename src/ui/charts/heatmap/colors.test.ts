/** Colour tables: endpoints, the white centre of the diverging scale, and linear interpolation between stops. */
import { describe, expect, it } from 'vitest';
import { colorAt, colorScaleLut, cssColor, lutIndex } from './colors.ts';

const entry = (lut: Uint8Array, i: number) => Array.from(lut.subarray(i * 3, i * 3 + 3));

describe('diverging scale', () => {
  const lut = colorScaleLut('diverging');

  it('runs dark blue → white → dark red over 256 entries', () => {
    expect(lut.length).toBe(768);
    expect(colorAt('diverging', 0)).toEqual([5, 48, 97]);
    expect(colorAt('diverging', 1)).toEqual([103, 0, 31]);
    expect(cssColor('diverging', 1)).toBe('#67001f');
  });

  it('is white at the middle, on both entries either side of t = 0.5', () => {
    expect(entry(lut, 127)).toEqual([255, 255, 255]);
    expect(entry(lut, 128)).toEqual([255, 255, 255]);
    expect(colorAt('diverging', 0.5)).toEqual([255, 255, 255]);
  });

  it('is blue below the middle and red above it', () => {
    const [r1, , b1] = colorAt('diverging', 0.25);
    const [r2, , b2] = colorAt('diverging', 0.75);
    expect(b1).toBeGreaterThan(r1);
    expect(r2).toBeGreaterThan(b2);
  });

  it('interpolates linearly between stops (entry 64: 52% from #4393c3 to #92c5de)', () => {
    expect(entry(lut, 64)).toEqual([108, 173, 209]);
  });
});

describe('sequential scale', () => {
  it('runs white → dark blue, darker at every step', () => {
    const lut = colorScaleLut('sequential');
    expect(entry(lut, 0)).toEqual([255, 255, 255]);
    expect(entry(lut, 255)).toEqual([8, 48, 107]);
    for (let i = 1; i < 256; i++) {
      const sum = (k: number) => lut[k * 3]! + lut[k * 3 + 1]! + lut[k * 3 + 2]!;
      expect(sum(i)).toBeLessThanOrEqual(sum(i - 1));
    }
  });

  it('clamps t outside 0..1 and rounds to the nearest entry', () => {
    expect(colorAt('sequential', -3)).toEqual(colorAt('sequential', 0));
    expect(colorAt('sequential', 7)).toEqual(colorAt('sequential', 1));
    expect([lutIndex(0.5), lutIndex(0.499), lutIndex(1)]).toEqual([128, 127, 255]);
  });
});

const luminance = ([r, g, b]: number[]) => 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
// Channels round to integers entry by entry, which can dip a step's luma by a fraction of a level.
const brighter = (a: number[], b: number[]) => expect(luminance(a)).toBeGreaterThan(luminance(b) - 0.5);

describe('the scales on a dark page', () => {
  const surface = [0x1b, 0x21, 0x28];

  it('put zero at the dark surface: the diverging middle and the sequential start', () => {
    expect(entry(colorScaleLut('diverging', 'dark'), 127)).toEqual(surface);
    expect(entry(colorScaleLut('diverging', 'dark'), 128)).toEqual(surface);
    expect(colorAt('sequential', 0, 'dark')).toEqual(surface);
  });

  it('grow brighter with every step away from zero (to within rounding), so stronger cells stand out more', () => {
    const seq = colorScaleLut('sequential', 'dark');
    for (let i = 1; i < 256; i++) brighter(entry(seq, i), entry(seq, i - 1));
    const div = colorScaleLut('diverging', 'dark');
    for (let i = 129; i < 256; i++) brighter(entry(div, i), entry(div, i - 1));
    for (let i = 126; i >= 0; i--) brighter(entry(div, i), entry(div, i + 1));
  });

  it('keep their hues: blue for negative, red for positive', () => {
    const [r1, , b1] = colorAt('diverging', 0.1, 'dark');
    const [r2, , b2] = colorAt('diverging', 0.9, 'dark');
    expect(b1).toBeGreaterThan(r1);
    expect(r2).toBeGreaterThan(b2);
  });

  it('leave the light tables as they were', () => {
    expect(colorAt('sequential', 0)).toEqual([255, 255, 255]);
    expect(colorAt('diverging', 0.5)).toEqual([255, 255, 255]);
  });
});
