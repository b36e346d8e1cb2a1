/**
 * Decoding ONNX initializers to float64 for the reference, including every quantized weight layout ALBERT's hub
 * files use: MatMulInteger's int8/uint8 weight with per-tensor or per-column scale and zero point, MatMulNBits'
 * blockwise 4-bit columns, and MatMulBnb4's NF4 blocks. Written from the operators' specifications
 * (onnxruntime's ContribOperators.md), independently of the fixture generator that encodes them.
 */
import onnxProto from 'onnx-proto';

type Tensor = onnxProto.onnx.ITensorProto;
const DataType = onnxProto.onnx.TensorProto.DataType;

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Any initializer the fixtures use, as float64, from raw_data (little-endian) or the typed fields. */
export function tensorValues(t: Tensor): Float64Array {
  const count = (t.dims ?? []).reduce<number>((a, d) => a * Number(d), 1);
  const raw =
    t.rawData && t.rawData.length ? new DataView(t.rawData.buffer, t.rawData.byteOffset) : undefined;
  const read = (fromRaw: (i: number) => number, fallback: ArrayLike<unknown> | null | undefined) =>
    Float64Array.from({ length: count }, (_, i) => (raw ? fromRaw(i) : Number(fallback?.[i])));
  switch (t.dataType) {
    case DataType.FLOAT:
      return read((i) => raw!.getFloat32(i * 4, true), t.floatData);
    case DataType.FLOAT16:
      // Without raw_data, ONNX keeps float16 bit patterns in int32_data.
      return read((i) => raw!.getUint16(i * 2, true), t.int32Data).map(halfToFloat);
    case DataType.INT8:
      return read((i) => raw!.getInt8(i), t.int32Data);
    case DataType.UINT8:
      return read((i) => raw!.getUint8(i), t.int32Data);
    case DataType.INT32:
      return read((i) => raw!.getInt32(i * 4, true), t.int32Data);
    case DataType.INT64:
      return read((i) => Number(raw!.getBigInt64(i * 8, true)), t.int64Data);
    default:
      throw new Error(`reference: initializer ${t.name} has unsupported data type ${t.dataType}`);
  }
}

/**
 * MatMulInteger's weight [K, N] back to real numbers: (q - zero point) * scale, where scale and zero point hold one
 * value (per tensor) or N values (per output column).
 */
export function dequantizeLinearWeight(
  q: Float64Array,
  n: number,
  scale: Float64Array,
  zeroPoint: Float64Array,
): Float64Array {
  const at = (v: Float64Array, i: number) => v[v.length === 1 ? 0 : i % n]!;
  return q.map((value, i) => (value - at(zeroPoint, i)) * at(scale, i));
}

/**
 * MatMulNBits' B ([N, ceil(K / block), block * bits / 8] bytes) back to the weight [K, N]: column n's rows are cut
 * in blocks of `blockSize`, each with one scale; values are packed from the least significant bits of each byte
 * in row order, and dequantize as (q - zero point) * scale. Without zero points the zero point is 2^(bits-1); with
 * them, they are packed the same way, per column, one per block.
 */
export function dequantizeNBits(
  packed: Float64Array,
  scales: Float64Array,
  zeroPoints: Float64Array | undefined,
  { K, N, bits, blockSize }: { K: number; N: number; bits: number; blockSize: number },
): Float64Array {
  const blocks = Math.ceil(K / blockSize);
  const perByte = 8 / bits;
  const mask = (1 << bits) - 1;
  const blobBytes = (blockSize * bits) / 8;
  const zpBytesPerColumn = Math.ceil(blocks / perByte);
  const element = (bytes: Float64Array, byteIndex: number, slot: number) =>
    (bytes[byteIndex]! >> (slot * bits)) & mask;
  const w = new Float64Array(K * N);
  for (let n = 0; n < N; n++)
    for (let k = 0; k < K; k++) {
      const b = Math.floor(k / blockSize);
      const inBlock = k % blockSize;
      const q = element(
        packed,
        (n * blocks + b) * blobBytes + Math.floor(inBlock / perByte),
        inBlock % perByte,
      );
      const zp = zeroPoints
        ? element(zeroPoints, n * zpBytesPerColumn + Math.floor(b / perByte), b % perByte)
        : 1 << (bits - 1);
      w[k * N + n] = (q - zp) * scales[n * blocks + b]!;
    }
  return w;
}

/** bitsandbytes' NF4 code values (MatMulBnb4 quant_type 1), as float32. */
const NF4 = [
  -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
  -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
  0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
].map(Math.fround);

/**
 * MatMulBnb4's B back to the weight [K, N]: B holds the transposed weight [N, K] flattened, two 4-bit codes per
 * byte (the first in the high nibble), in blocks of `blockSize` values that share one absmax.
 */
export function dequantizeBnb4(
  packed: Float64Array,
  absmax: Float64Array,
  { K, N, blockSize, quantType }: { K: number; N: number; blockSize: number; quantType: number },
): Float64Array {
  if (quantType !== 1)
    throw new Error(`reference: MatMulBnb4 quant_type ${quantType} (only NF4 = 1 is read)`);
  const w = new Float64Array(K * N);
  for (let i = 0; i < K * N; i++) {
    const byte = packed[i >> 1]!;
    const code = i % 2 === 0 ? byte >> 4 : byte & 0x0f;
    w[(i % K) * N + Math.floor(i / K)] = NF4[code]! * absmax[Math.floor(i / blockSize)]!;
  }
  return w;
}
