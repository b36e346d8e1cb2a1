/** Loads and validates the files of an ALBERT model folder (Hugging Face / transformers.js layout). */
import { parseAlbertConfig, type AlbertConfig } from './config.ts';
import { EngineError } from './errors.ts';
import type { FileProgress, ModelSource } from './modelSource.ts';
import type { Dtype } from './types.ts';

export const ONNX_FILE_BY_DTYPE: Record<Dtype, string> = {
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q8: 'onnx/model_quantized.onnx',
};

export interface ModelFiles {
  config: AlbertConfig;
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  /** Path of the ONNX file inside the folder. */
  onnxFile: string;
  onnxBytes: Uint8Array;
}

const decoder = new TextDecoder();

function parseJsonObject(bytes: Uint8Array, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new EngineError('invalid-file', `${file} is not valid JSON: ${(error as Error).message}`, file);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new EngineError('invalid-file', `${file} must hold a JSON object`, file);
  return value as Record<string, unknown>;
}

export interface LoadFilesOptions {
  dtype?: Dtype;
  /** An explicit ONNX file inside the folder, overriding `dtype` (e.g. `onnx/variants/...`). */
  modelFile?: string;
  onProgress?: (p: FileProgress) => void;
}

export async function loadModelFiles(
  source: ModelSource,
  options: LoadFilesOptions = {},
): Promise<ModelFiles> {
  const onnxFile = options.modelFile ?? ONNX_FILE_BY_DTYPE[options.dtype ?? 'fp32'];
  // config.json first: a folder that is not ALBERT should fail before a large download starts.
  const config = parseAlbertConfig(decoder.decode(await source.read('config.json', options.onProgress)));
  const [tokenizerBytes, tokenizerConfigBytes] = await Promise.all([
    source.read('tokenizer.json', options.onProgress),
    source.read('tokenizer_config.json', options.onProgress),
  ]);
  const tokenizerJson = parseJsonObject(tokenizerBytes, 'tokenizer.json');
  const model = tokenizerJson.model as Record<string, unknown> | undefined;
  if (!model || !Array.isArray(model.vocab))
    throw new EngineError(
      'invalid-file',
      'tokenizer.json has no model.vocab (expected a SentencePiece Unigram tokenizer)',
      'tokenizer.json',
    );
  const tokenizerConfig = parseJsonObject(tokenizerConfigBytes, 'tokenizer_config.json');
  const onnxBytes = await source.read(onnxFile, options.onProgress);
  return { config, tokenizerJson, tokenizerConfig, onnxFile, onnxBytes };
}
