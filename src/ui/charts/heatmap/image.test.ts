/** Pixels from values: exact colours of known cells, clamping, NaN, ranges and hit-testing. */
import { describe, expect, it } from 'vitest';
import { colorAt } from './colors.ts';
import { cellAtPoint, heatmapPixels, nanColor, rampPixels, symmetricRange, valueRange } from './image.ts';

const pixel = (p: Uint8ClampedArray, i: number) => Array.from(p.subarray(i * 4, i * 4 + 4));

describe('heatmapPixels', () => {
  // 2 rows × 3 columns; the last two cells lie outside the range.
  const values = Float32Array.from([-1, 0, 0.5, Number.NaN, 5, -5]);
  const p = heatmapPixels(values, 2, 3, { min: -1, max: 1 }, 'diverging');

  it('gives one opaque RGBA pixel per cell, row-major', () => {
    expect(p.length).toBe(2 * 3 * 4);
    expect(pixel(p, 0)).toEqual([5, 48, 97, 255]);
    expect(pixel(p, 1)).toEqual([255, 255, 255, 255]);
    // 0.5 is 3/4 of the way up: table entry 191, between #f4a582 and #d6604d.
    expect(pixel(p, 2)).toEqual([230, 132, 105, 255]);
    expect(pixel(p, 2).slice(0, 3)).toEqual(colorAt('diverging', 0.75));
  });

  it('draws NaN light grey and clamps values outside the range to its ends', () => {
    expect(pixel(p, 3)).toEqual([...nanColor, 255]);
    expect(pixel(p, 4)).toEqual([103, 0, 31, 255]);
    expect(pixel(p, 5)).toEqual([5, 48, 97, 255]);
  });

  it('uses the sequential table for weights', () => {
    const w = heatmapPixels(Float32Array.from([0, 1]), 1, 2, { min: 0, max: 1 }, 'sequential');
    expect([pixel(w, 0), pixel(w, 1)]).toEqual([
      [255, 255, 255, 255],
      [8, 48, 107, 255],
    ]);
  });

  it('refuses too few values', () => {
    expect(() => heatmapPixels(new Float32Array(5), 2, 3, { min: 0, max: 1 }, 'sequential')).toThrow(
      /6 values/,
    );
  });

  it('draws 512 × 768 in a few milliseconds', () => {
    const big = Float32Array.from({ length: 512 * 768 }, (_, i) => Math.sin(i));
    const times: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      heatmapPixels(big, 512, 768, { min: -1, max: 1 }, 'diverging');
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    expect(times[2]).toBeLessThan(50);
  });
});

describe('ranges', () => {
  it('symmetric: ±max |v| over finite values, 1 when all are zero', () => {
    expect(symmetricRange(Float32Array.from([0.5, -2, Number.NaN, Infinity]))).toEqual({ min: -2, max: 2 });
    expect(symmetricRange(new Float32Array(4))).toEqual({ min: -1, max: 1 });
  });

  it('value range: finite min and max, 0..1 when there are none', () => {
    expect(valueRange(Float32Array.from([0.5, -2, Number.NaN, 0.25]))).toEqual({ min: -2, max: 0.5 });
    expect(valueRange(new Float32Array(0))).toEqual({ min: 0, max: 1 });
  });

  it('legend ramp: max colour on top, min at the bottom', () => {
    const ramp = rampPixels('diverging');
    expect(ramp.length).toBe(256 * 4);
    expect(pixel(ramp, 0)).toEqual([103, 0, 31, 255]);
    expect(pixel(ramp, 255)).toEqual([5, 48, 97, 255]);
  });
});

describe('cellAtPoint', () => {
  it('maps a point in the drawn box to its cell at any scale, null outside', () => {
    // 2 rows × 4 columns drawn 100 × 50: cells are 25 × 25.
    expect(cellAtPoint(0, 0, 100, 50, 2, 4)).toEqual({ row: 0, col: 0 });
    expect(cellAtPoint(50, 25, 100, 50, 2, 4)).toEqual({ row: 1, col: 2 });
    expect(cellAtPoint(99.9, 49.9, 100, 50, 2, 4)).toEqual({ row: 1, col: 3 });
    expect(cellAtPoint(100, 10, 100, 50, 2, 4)).toBeNull();
    expect(cellAtPoint(-1, 10, 100, 50, 2, 4)).toBeNull();
  });
});
