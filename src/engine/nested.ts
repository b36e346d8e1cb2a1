/** Nested arrays from a row-major tensor, for JSON and for scripts that want `x[layer][token][dim]`. */
import type { FloatTensor } from './types.ts';

/** Nests a row-major tensor by its dims: [2, 3] data becomes two arrays of three numbers. */
export function nested(t: FloatTensor): unknown[] {
  const build = (offset: number, axis: number): unknown[] => {
    const size = t.dims[axis]!;
    if (axis === t.dims.length - 1) return Array.from(t.data.subarray(offset, offset + size));
    const stride = t.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: size }, (_, i) => build(offset + i * stride, axis + 1));
  };
  return build(0, 0);
}
