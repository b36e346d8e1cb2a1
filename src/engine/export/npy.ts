/**
 * NumPy's .npy format, version 1.0: the magic string, a little-endian header dict padded so the data starts on
 * a 64-byte boundary, then raw little-endian float32 data in C order. `np.load` reads it as is.
 */

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** The bytes of a .npy file holding `data` with `shape` (row-major, float32). */
export function encodeNpy(data: Float32Array, shape: number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new Error(`npy: shape (${shape.join(', ')}) holds ${count} values, data has ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // magic (6) + version (2) + header length (2) + header + '\n' must be a multiple of 64.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = new DataView(out.buffer, 10 + header.length);
  // Explicit little-endian writes: correct on any host byte order.
  for (let i = 0; i < data.length; i++) body.setFloat32(i * 4, data[i]!, true);
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
