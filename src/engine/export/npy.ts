/**
 * NumPy's .npy format, version 1.0: the magic string, a little-endian header dict padded so the data starts on
 * a 64-byte boundary, then raw little-endian float32 data in C order. `np.load` reads it as is.
 */

/** \x93NUMPY, then version 1.0. */
const MAGIC_AND_VERSION = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0];

/**
 * The header of a .npy file holding a little-endian float32 C-order array of `shape`: magic, version, length,
 * and the dict padded with spaces to `bytes` in all — by default the least multiple of 64 that holds it, as
 * NumPy pads. A streaming writer reserves a fixed size, since its row count is known only at the end.
 */
export function npyHeader(shape: number[], bytes?: number): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // magic and version (8) + header length (2) + dict + '\n'
  const size = bytes ?? Math.ceil((10 + dict.length + 1) / 64) * 64;
  if (10 + dict.length + 1 > size)
    throw new Error(`npy: shape ${shapeText} does not fit ${size} header bytes`);
  const text = `${dict.padEnd(size - 11, ' ')}\n`;
  const out = new Uint8Array(size);
  out.set(MAGIC_AND_VERSION);
  new DataView(out.buffer).setUint16(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  return out;
}

/** `data` as the little-endian float32 bytes the header's '<f4' says, on any host byte order. */
export function float32LE(data: Float32Array, out = new Uint8Array(data.length * 4)): Uint8Array {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
  return out;
}

/** The bytes of a .npy file holding `data` with `shape` (row-major, float32). */
export function encodeNpy(data: Float32Array, shape: number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new Error(`npy: shape (${shape.join(', ')}) holds ${count} values, data has ${data.length}`);
  const header = npyHeader(shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header);
  float32LE(data, out.subarray(header.length));
  return out;
}

/** Stacks equally shaped tensors along a new first axis (e.g. layers). */
export function stack(tensors: { data: Float32Array; dims: number[] }[]): {
  data: Float32Array;
  dims: number[];
} {
  const first = tensors[0];
  if (!first) return { data: new Float32Array(0), dims: [0] };
  const out = new Float32Array(first.data.length * tensors.length);
  tensors.forEach((t, i) => {
    if (t.data.length !== first.data.length) throw new Error('stack: tensors differ in size');
    out.set(t.data, i * first.data.length);
  });
  return { data: out, dims: [tensors.length, ...first.dims] };
}
