/**
 * Loads and validates the files of an ALBERT model folder (Hugging Face / transformers.js layout): its config,
 * what the folder holds (the source's listing, when it has one), which ONNX file to run, the tokenizer and
 * the sentence-transformers files that say how the model makes sentence vectors.
 */
import type { BackendPlan } from './backend.ts';
import { parseAlbertConfig, type AlbertConfig } from './config.ts';
import { chooseDtype } from './dtypeChoice.ts';
import { dtypeOfFile, DTYPES, type Dtype, type DtypeRequest } from './dtypes.ts';
import { EngineError } from './errors.ts';
import type { FileProgress, ListedFile, ModelSource } from './modelSource.ts';
import { readSentencePooling, type SentencePooling } from './sentenceModel.ts';

/** An ONNX file a folder holds: its path, size when the listing gives one, and dtype when it has a dtype's name. */
export interface OnnxFileInfo {
  path: string;
  size?: number;
  dtype?: Dtype;
}

export interface ModelFiles {
  config: AlbertConfig;
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  /** Path of the ONNX file inside the folder. */
  onnxFile: string;
  /** Its content hash, when the listing states one (the key of its prepared graph between visits). */
  onnxHash?: string;
  /** Reads it (with progress): not before it is known that the prepared graph was not kept. */
  readOnnx(): Promise<Uint8Array>;
  /** The dtype of that file, when it is one of the eight conventional files. */
  dtype?: Dtype;
  /** Why this file: the request, or what `auto` weighed. */
  fileReason: string;
  /** The folder's ONNX files (dtype files first), when the source could list them. */
  files?: OnnxFileInfo[];
  /** How the model makes sentence vectors: its sentence-transformers files, or a known repo's card. */
  sentence?: SentencePooling;
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
  dtype?: DtypeRequest;
  /** An explicit ONNX file inside the folder, overriding `dtype` (e.g. `onnx/model_O2.onnx`). */
  modelFile?: string;
  onProgress?: (p: FileProgress) => void;
}

/** The ONNX files of a listing: the eight dtypes' files in their order, then any other `.onnx`, by path. */
export function onnxFilesOf(listing: ListedFile[]): OnnxFileInfo[] {
  const rank = (f: OnnxFileInfo) => (f.dtype ? DTYPES.indexOf(f.dtype) : DTYPES.length);
  return listing
    .filter((f) => f.path.endsWith('.onnx'))
    .map((f) => {
      const dtype = dtypeOfFile(f.path);
      return { path: f.path, ...(f.size !== undefined && { size: f.size }), ...(dtype && { dtype }) };
    })
    .toSorted((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
}

/** A listing that holds no such file: one message that says what the folder has instead. */
function notInFolder(file: string, source: ModelSource, files: OnnxFileInfo[]): EngineError {
  const has = files.map((f) => f.dtype ?? f.path).join(', ') || 'no ONNX files';
  return new EngineError('missing-file', `${file} is missing from ${source.id} (it has: ${has})`, file);
}

export async function loadModelFiles(
  source: ModelSource,
  options: LoadFilesOptions = {},
  plan: BackendPlan = { name: 'wasm' },
): Promise<ModelFiles> {
  // config.json first: a folder that is not ALBERT should fail before a large download starts.
  const config = parseAlbertConfig(decoder.decode(await source.read('config.json', options.onProgress)));
  const listing = await source.list?.().catch(() => undefined);
  const files = listing && onnxFilesOf(listing);
  const chosen = options.modelFile
    ? { file: options.modelFile, dtype: dtypeOfFile(options.modelFile), reason: 'the file asked for' }
    : chooseDtype(
        options.dtype ?? 'auto',
        files && new Set(files.flatMap((f) => (f.dtype ? [f.dtype] : []))),
        plan,
      );
  if (files && !files.some((f) => f.path === chosen.file)) throw notInFolder(chosen.file, source, files);
  const [tokenizerBytes, tokenizerConfigBytes, sentence] = await Promise.all([
    source.read('tokenizer.json', options.onProgress),
    source.read('tokenizer_config.json', options.onProgress),
    readSentencePooling(source, listing),
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
  const onnxHash = listing?.find((f) => f.path === chosen.file)?.hash;
  return {
    config,
    tokenizerJson,
    tokenizerConfig,
    onnxFile: chosen.file,
    ...(onnxHash && { onnxHash }),
    readOnnx: () => source.read(chosen.file, options.onProgress),
    ...(chosen.dtype && { dtype: chosen.dtype }),
    fileReason: chosen.reason,
    ...(files && { files }),
    ...(sentence && { sentence }),
  };
}
