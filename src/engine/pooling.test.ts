import { describe, expect, it } from 'vitest';
import { cosine, pool } from './pooling.ts';

// Three tokens × two dimensions, hand-computed expectations.
const hidden = { data: Float32Array.from([1, 2, 3, -4, 5, 0]), dims: [3, 2] };

describe('pooling', () => {
  it('mean averages every token, specials included', () => {
    expect(Array.from(pool(hidden, 'mean'))).toEqual([3, -2 / 3].map(Math.fround));
  });

  it('mean leaves out masked (padding) tokens', () => {
    expect(Array.from(pool(hidden, 'mean', [1, 1, 0]))).toEqual([2, -1]);
  });

  it('cls takes the first token', () => {
    expect(Array.from(pool(hidden, 'cls'))).toEqual([1, 2]);
  });

  it('max takes each dimension’s largest value', () => {
    expect(Array.from(pool(hidden, 'max'))).toEqual([5, 2]);
    expect(Array.from(pool(hidden, 'max', [0, 1, 0]))).toEqual([3, -4]);
  });

  it('works on a [1, tokens, hidden] tensor too', () => {
    expect(Array.from(pool({ data: hidden.data, dims: [1, 3, 2] }, 'max'))).toEqual([5, 2]);
  });
});

describe('cosine', () => {
  it('matches hand-computed values', () => {
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosine([1, 2], [-1, -2])).toBeCloseTo(-1, 12);
    // (3·4 + 4·3) / (5 · 5) = 24/25
    expect(cosine([3, 4], [4, 3])).toBeCloseTo(0.96, 12);
  });

  it('is 0 for a zero vector and refuses mismatched lengths', () => {
    expect(cosine([0, 0], [1, 2])).toBe(0);
    expect(() => cosine([1], [1, 2])).toThrow(/lengths differ/);
  });
});
