/** onnx-proto (protobufjs) in one place: decoding with a readable error, and the element types we use. */
import onnxProto from 'onnx-proto';
import { EngineError, messageOf } from '../errors.ts';

export const { onnx } = onnxProto;
export type ModelProto = onnxProto.onnx.ModelProto;
export type GraphProto = onnxProto.onnx.GraphProto;
export type NodeProto = onnxProto.onnx.NodeProto;

/** A decoded model with its graph known to be present. */
export interface DecodedModel {
  model: ModelProto;
  graph: GraphProto;
}

export const ElemType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
} as const;

/** Decodes an ONNX file, turning protobuf's "index out of range" into a message that names the file. */
export function decodeModel(bytes: Uint8Array, file: string): DecodedModel {
  if (bytes.byteLength === 0) throw new EngineError('invalid-file', `${file} is empty`, file);
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new EngineError(
      'invalid-file',
      `${file} is not a valid ONNX model (truncated or corrupt download?): ${messageOf(error)}`,
      file,
    );
  }
  const graph = model.graph as GraphProto | null;
  if (!graph || !graph.node || graph.node.length === 0)
    throw new EngineError('invalid-file', `${file} holds no ONNX graph (is it really an .onnx file?)`, file);
  return { model, graph };
}

export function encodeModel(model: ModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** protobufjs gives int64 fields as Long objects or numbers. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}
