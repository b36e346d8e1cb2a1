/**
 * .npy files read back by an independent parser written here from NumPy's format description, and by NumPy
 * itself where python3 has it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../testing/npyParser.ts';
import { encodeNpy, stack } from './npy.ts';
import { hasNumpy } from '../testing/numpy.ts';

const numpy = hasNumpy();

describe('encodeNpy', () => {
  it('writes the header, 64-byte alignment and little-endian float32 data', () => {
    const data = Float32Array.from([1.5, -2, 3.25, 0, 1e-8, -7]);
    const bytes = encodeNpy(data, [2, 3]);
    const parsed = parseNpy(bytes);
    expect((10 + parsed.headerLength) % 64).toBe(0);
    expect(parsed.shape).toEqual([2, 3]);
    expect(parsed.values).toEqual(Array.from(data));
    expect((10 + parsed.headerLength) % 64).toBe(0);
  });

  it('writes 1-d shapes with the trailing comma NumPy needs', () => {
    expect(new TextDecoder().decode(encodeNpy(Float32Array.from([1, 2]), [2]).subarray(10, 70))).toContain(
      "'shape': (2,)",
    );
  });

  it('refuses a shape that does not match the data', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(/holds 6 values, data has 5/);
  });

  it('stacks layers along a new first axis', () => {
    const a = { data: Float32Array.from([1, 2, 3, 4]), dims: [2, 2] };
    const b = { data: Float32Array.from([5, 6, 7, 8]), dims: [2, 2] };
    expect(stack([a, b])).toEqual({ data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), dims: [2, 2, 2] });
  });

  it.skipIf(!numpy)('is read by numpy.load with the same shape and values', () => {
    const data = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => Math.fround(Math.sin(i) * 10));
    const file = join(mkdtempSync(join(tmpdir(), 'npy-')), 'x.npy');
    writeFileSync(file, encodeNpy(data, [2, 3, 4]));
    const out = execFileSync(
      'python3',
      [
        '-c',
        `import numpy as n, json; a=n.load(${JSON.stringify(file)}); print(json.dumps([list(a.shape), str(a.dtype), a.ravel().tolist()]))`,
      ],
      {
        encoding: 'utf8',
      },
    );
    const [shape, dtype, values] = JSON.parse(out) as [number[], string, number[]];
    expect(shape).toEqual([2, 3, 4]);
    expect(dtype).toBe('float32');
    expect(values).toEqual(Array.from(data));
  });
});
