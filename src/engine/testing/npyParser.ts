/**
 * An independent .npy reader for tests, written from NumPy's format description (not from our writer):
 * version 1.0, little-endian float32, C order.
 */

/** Parses a v1.0 .npy file of little-endian float32 (throws on anything else). */
export function parseNpy(bytes: Uint8Array): { shape: number[]; values: number[]; headerLength: number } {
  const magic = Array.from(bytes.subarray(0, 8)).join(',');
  if (magic !== '147,78,85,77,80,89,1,0') throw new Error(`not a v1.0 .npy file (starts ${magic})`);
  const headerLength = bytes[8]! | (bytes[9]! << 8);
  const header = new TextDecoder('latin1').decode(bytes.subarray(10, 10 + headerLength));
  if (!/^\{'descr': '<f4', 'fortran_order': False, 'shape': \([\d, ]*\), \} *\n$/.test(header))
    throw new Error(`unexpected .npy header ${JSON.stringify(header)}`);
  const shape = [...header.matchAll(/\d+/g)].map((m) => Number(m[0])).slice(1); // skip the 4 of '<f4'
  const start = 10 + headerLength;
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, bytes.byteLength - start);
  const values = Array.from({ length: view.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
  return { shape, values, headerLength };
}
