/**
 * How a model makes sentence vectors. A sentence-transformers folder says it in its own files: `modules.json`
 * lists Transformer → Pooling (→ Normalize), `1_Pooling/config.json` names the pooling, and
 * `sentence_bert_config.json` the longest input it was trained on. That becomes the default wherever a sentence
 * vector is made; a model without those files keeps the playground's default (mean over every token).
 */
import { catalogueEntry } from './catalogue.ts';
import { EngineError, messageOf } from './errors.ts';
import { PROVENANCE_FILE } from './layoutFiles.ts';
import type { ListedFile, ModelSource } from './modelSource.ts';
import { pool, poolBatch, type Pooling } from './pooling.ts';
import type { FloatTensor } from './types.ts';

/** How sentence vectors are made, and where that came from. */
export interface SentencePooling {
  mode: Pooling;
  /** L2-normalize the pooled vector (a Normalize module). Cosines are the same either way. */
  normalize: boolean;
  /** The longest input the model was trained on (`max_seq_length`): sentence vectors see at most this many tokens. */
  maxLength?: number;
  /**
   * `model`: the folder's sentence-transformers files; `model card`: what a known model's card states (its
   * folder has no such files); `default`: the playground's default; `option`: chosen by the user.
   */
  source: 'model' | 'model card' | 'default' | 'option';
  /** The files (or card) it was read from, for people. */
  from?: string;
}

/** The playground's default for models that do not say: mean over every token, [CLS] and [SEP] included. */
export const DEFAULT_POOLING: SentencePooling = { mode: 'mean', normalize: false, source: 'default' };

/** What the user asks for: a pooling, or `auto` (the model's own when it has one, else the default). */
export type PoolingRequest = Pooling | 'auto';

/** The pooling to use for a request, given the model's own (if any). */
export function resolvePooling(request: PoolingRequest, model?: SentencePooling): SentencePooling {
  if (request === 'auto') return model ?? DEFAULT_POOLING;
  return {
    mode: request,
    normalize: false,
    source: 'option',
    ...(model?.maxLength && { maxLength: model.maxLength }),
  };
}

/** In place: v scaled to unit length (left as is when all zeros), as sentence-transformers' Normalize does. */
export function normalizeInPlace(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/** One text's sentence vector from its [tokens, hidden] states, pooled (and normalized) as `p` says. */
export function sentenceVector(hidden: FloatTensor, p: SentencePooling): Float32Array {
  const v = pool(hidden, p.mode);
  return p.normalize ? normalizeInPlace(v) : v;
}

/** Sentence vectors of a padded batch [batch, n, hidden], each text's own `lengths[b]` tokens only. */
export function sentenceVectors(hidden: FloatTensor, lengths: number[], p: SentencePooling): Float32Array[] {
  const vectors = poolBatch(hidden, lengths, p.mode);
  return p.normalize ? vectors.map(normalizeInPlace) : vectors;
}

const MODES: [key: string, mode: Pooling][] = [
  ['pooling_mode_mean_tokens', 'mean'],
  ['pooling_mode_cls_token', 'cls'],
  ['pooling_mode_max_tokens', 'max'],
];
const UNSUPPORTED = [
  'pooling_mode_mean_sqrt_len_tokens',
  'pooling_mode_weightedmean_tokens',
  'pooling_mode_lasttoken',
];

const decoder = new TextDecoder();

async function readJson(source: ModelSource, path: string): Promise<Record<string, unknown>> {
  const bytes = await source.read(path);
  try {
    const value: unknown = JSON.parse(decoder.decode(bytes));
    if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
  } catch (error) {
    throw new EngineError('invalid-file', `${path} is not valid JSON: ${messageOf(error)}`, path);
  }
  throw new EngineError('invalid-file', `${path} must hold a JSON object or list`, path);
}

interface Module {
  type: string;
  path: string;
}

/**
 * How the model makes sentence vectors: its sentence-transformers files, else — for a known hub repo, by the
 * source or by the `hub.json` models:fetch writes — its model card's pooling; undefined when neither says.
 */
export async function readSentencePooling(
  source: ModelSource,
  listing: ListedFile[] | undefined,
): Promise<SentencePooling | undefined> {
  const own = await readSentenceLayout(source, listing);
  if (own) return own;
  const repo = source.repo ?? (await readProvenance(source, listing));
  return repo ? catalogueEntry(repo)?.sentence : undefined;
}

/** The hub repo a downloaded folder came from (`hub.json`), if it says. */
async function readProvenance(source: ModelSource, listing: ListedFile[] | undefined) {
  if (listing && !listing.some((f) => f.path === PROVENANCE_FILE)) return undefined;
  const value = await readJson(source, PROVENANCE_FILE).catch(() => undefined);
  return typeof value?.repo === 'string' ? value.repo : undefined;
}

/**
 * The model's own sentence pooling, or undefined when it has no sentence-transformers layout. Reads
 * `modules.json` only when the listing has it (or, without a listing, tries it: then a file that cannot be read,
 * missing or offline, means no layout).
 */
export async function readSentenceLayout(
  source: ModelSource,
  listing: ListedFile[] | undefined,
): Promise<SentencePooling | undefined> {
  if (listing && !listing.some((f) => f.path === 'modules.json')) return undefined;
  let modules: Module[];
  try {
    const raw = await readJson(source, 'modules.json');
    if (!Array.isArray(raw))
      throw new EngineError('invalid-file', 'modules.json must hold a list of modules');
    modules = (raw as unknown[]).map((m) => {
      const entry = (m ?? {}) as Record<string, unknown>;
      return { type: String(entry.type ?? ''), path: String(entry.path ?? '') };
    });
  } catch (error) {
    const unreadable =
      error instanceof EngineError && (error.code === 'missing-file' || error.code === 'network');
    if (unreadable && (!listing || error.code === 'missing-file')) return undefined;
    throw error;
  }
  const module = (kind: string) => modules.find((m) => m.type.endsWith(`.${kind}`) || m.type === kind);
  const poolingModule = module('Pooling');
  if (!poolingModule) return undefined;
  const poolingFile = `${poolingModule.path ? `${poolingModule.path}/` : ''}config.json`;
  const config = await readJson(source, poolingFile);
  const on = MODES.filter(([key]) => config[key] === true);
  const unsupported = UNSUPPORTED.filter((key) => config[key] === true);
  if (on.length !== 1 || unsupported.length > 0)
    throw new EngineError(
      'unsupported-graph',
      `${poolingFile}: pooling ${[...on.map(([k]) => k), ...unsupported].join(' + ') || 'none'} is not supported (the playground pools by one of mean, cls or max)`,
      poolingFile,
    );
  const transformer = module('Transformer');
  const bertConfig = `${transformer?.path ? `${transformer.path}/` : ''}sentence_bert_config.json`;
  const maxLength = await readJson(source, bertConfig).then(
    (c) => (typeof c.max_seq_length === 'number' && c.max_seq_length > 0 ? c.max_seq_length : undefined),
    () => undefined,
  );
  const normalize = module('Normalize') !== undefined;
  return {
    mode: on[0]![1],
    normalize,
    ...(maxLength && { maxLength }),
    source: 'model',
    from: ['modules.json', poolingFile, ...(maxLength ? [bertConfig] : [])].join(', '),
  };
}
