/** Command-line options of `albert-embed`, parsed strictly: an unknown option or a bad value is an error. */
import { parseArgs } from 'node:util';
import { DTYPE_REQUESTS, type DtypeRequest } from '../engine/dtypes.ts';
import type { PoolingRequest } from '../engine/sentenceModel.ts';
import { UMAP_DEFAULTS } from '../engine/umap.ts';
import { BACKEND_REQUESTS, type BackendRequest } from '../engine/types.ts';
import { DEFAULT_OVERLAP } from '../engine/windows.ts';

export const USAGE = `Usage: albert-embed [options]   (npm run -s embed -- [options])

Prints ALBERT's tokens, hidden states and (optionally) attention maps as JSON; with --compare, also how similar
two texts are; with --file, one sentence vector per line of a file.

  --model <dir|URL|hub id>  model folder (default: public/models/albert-base-v2, else the hub's
                            Xenova/albert-base-v2 when reachable, else the bundled random test model)
  --text <s>                text to encode (default: read stdin)
  --pair <s>                second segment: encodes [CLS] text [SEP] pair [SEP], token types 0/1
  --layers all|N|-1         hidden states to print: all, one index 0..L (0 = embedding projection),
                            or negative from the end (default -1, the last layer)
  --attentions              also print attention maps of the chosen layers (layers 1..L have one)
  --compare <s>             also encode <s> on its own (not as a pair) and add "similarity": the cosine of
                            the two texts' pooled vectors at --layer, and perLayer, one cosine per hidden
                            state 0..L. JSON only; not with --pair
  --file <path|->           a pooled vector for every line of a file (- = stdin), batched: JSON lines
                            {"line", "text", "tokens", "vector"} on stdout (or --out), or with
                            --format npy --out FILE one array of shape (lines, hidden). Empty and
                            whitespace-only lines are skipped; "line" is the file's own 1-based line number.
                            A line longer than the model's maximum is truncated, with a warning. Progress
                            goes to stderr. Not with --text, --pair, --compare, --layers or --attentions
  --windows [overlap]       a text longer than the model's maximum (512 tokens) runs as overlapping windows
                            instead of being truncated: each window [CLS] + up to 510 pieces + [SEP],
                            consecutive windows sharing [overlap] pieces (default ${DEFAULT_OVERLAP}); each token's
                            vectors come from the window where it is most central. JSON adds "windows"
                            {count, overlap, maxLength, spans} and "documentVectors" (per printed layer, the
                            mean over windows of each window's mean-pooled vector); with --file, a long
                            line's vector is that mean over windows of its pooled vectors. With --text or
                            stdin and --file; not with --pair, --compare or --attentions (attention is per
                            window)
  --umap                    with --file: instead of vectors, each line's 2-D UMAP coordinates of the
                            pooled vectors, as JSON lines {"line", "text", "tokens", "umap": [x, y]}
                            (all lines are held until the layout is done; at least 3 lines)
  --neighbours <n>          UMAP's neighbourhood size (default 15; clamped to lines − 1)
  --min-dist <d>            UMAP's min_dist, 0..1 (default 0.1)
  --seed <n>                UMAP's seed: the same seed and vectors give the same coordinates (default 42)
  --pooling mean|cls|max    sentence vector for --compare and --file: the mean of every token ([CLS] and
                            [SEP] included), [CLS]'s vector, or each dimension's maximum. Default: the
                            model's own pooling (and normalization, and max_seq_length) when its folder
                            has sentence-transformers files (modules.json, 1_Pooling/config.json) or its
                            card states one; else mean
  --layer N                 hidden state that --compare and --file pool: 0..L (0 = embedding projection),
                            or negative from the end (default -1, the last layer)
  --batch-size <n>          lines per model run with --file (default 16); padding never changes a vector
  --format json|npy|tsv     json (stdout or --out); npy: hidden states as a NumPy array of shape
                            (layers, tokens, hidden) in --out FILE (with --attentions, also
                            FILE.attentions.npy of shape (layers, heads, tokens, tokens)); tsv: the
                            TensorFlow Embedding Projector's vectors_layerN.tsv and metadata_layerN.tsv,
                            in --out DIR
  --out <path>              write the output there instead of stdout
  --backend auto|node|wasm|webgpu
                            auto (default): onnxruntime-node's native kernels when it is installed,
                            else onnxruntime-web's WASM; node: native or an error; wasm: the kernels the
                            browser runs; webgpu: browsers only (falls back)
  --dtype ${DTYPE_REQUESTS.join('|')}
                            which ONNX file of the folder (transformers.js names: model.onnx,
                            model_fp16.onnx, model_quantized.onnx, model_int8.onnx, …). auto (default):
                            fp32, the model's exact numbers (fp16 on a WebGPU adapter with shader-f16)
  --tag <examples>          tag the tokens of --text, --file's contents or stdin from a file of example
                            sentences with spans marked as [Paris](LOC), one per line (unmarked tokens
                            are O): JSON {"tokens", "tags", "centroidTags", …}, one tag per token (O for
                            [CLS]/[SEP]), by cosine k-NN over the examples' token vectors at --layer
  --k <n>                   neighbours that vote with --tag (default 3)
  --probe <examples>        a logistic-regression probe at every hidden state, cross-validated: JSON
                            {"accuracyPerLayer" (L+1 numbers), "chance", …}. With --task sentence the
                            file holds "label: text" lines (pooled as --pooling); with --task token, the
                            bracket-marked sentences of --tag
  --task sentence|token     what --probe learns
  --model-file <path>       an explicit ONNX file inside the folder (overrides --dtype)
  --threads <n>             WASM/CPU threads (default: cores, up to 4)
  -h, --help                this help`;

export type LayerSelection = { kind: 'all' } | { kind: 'index'; index: number };

/** What the command does: print one text's run (optionally compared with another), or embed a file's lines. */
export type Mode =
  | { kind: 'text'; compare?: string }
  | { kind: 'file'; path: string; batchSize: number; umap?: UmapParameters }
  /** --tag: the examples file, and the text's file when it comes from --file. */
  | { kind: 'tag'; examples: string; file?: string; k: number }
  | { kind: 'probe'; examples: string; task: 'sentence' | 'token' };

/** --umap's parameters. */
export interface UmapParameters {
  neighbours: number;
  minDist: number;
  seed: number;
}

export interface CliOptions {
  model?: string;
  text?: string;
  pair?: string;
  mode: Mode;
  layers: LayerSelection;
  /** The hidden state --compare and --file pool, as typed (negative counts from the end). */
  layer: number;
  pooling: PoolingRequest;
  attentions: boolean;
  format: 'json' | 'npy' | 'tsv';
  out?: string;
  backend: BackendRequest;
  dtype: DtypeRequest;
  modelFile?: string;
  threads?: number;
  /** Run long texts as windows sharing this many pieces (undefined: truncate, the default). */
  windows?: number;
  help: boolean;
}

/** A usage error: the CLI prints it with a pointer to --help and exits 2. */
export class UsageError extends Error {}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
}

function positiveInteger(name: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`--${name} must be a positive integer (got "${value}")`);
  return n;
}

/**
 * `--layers -1` and `--layer -1` as the user types them: util.parseArgs would take `-1` for an option. And
 * `--windows` with its optional overlap: a value when one follows (checked later), else the default.
 */
function joinNegativeLayers(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const option = argv[i]!;
    const next = argv[i + 1];
    if ((option === '--layers' || option === '--layer') && /^-\d+$/.test(next ?? ''))
      out.push(`${option}=${argv[++i]}`);
    else if (option === '--windows')
      out.push(
        next !== undefined && (!next.startsWith('-') || /^-\d/.test(next))
          ? `--windows=${argv[++i]}`
          : `--windows=${DEFAULT_OVERLAP}`,
      );
    else out.push(option);
  }
  return out;
}

/** The overlap of `--windows`: a whole number of pieces, 0 or more (the model's window size is checked later). */
function overlapOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new UsageError(`--windows takes an overlap in tokens, a whole number 0 or more (got "${value}")`);
  return n;
}

export function parseCliArgs(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeLayers(argv),
      strict: true,
      allowPositionals: false,
      options: {
        model: { type: 'string' },
        text: { type: 'string' },
        pair: { type: 'string' },
        compare: { type: 'string' },
        file: { type: 'string' },
        layers: { type: 'string' },
        layer: { type: 'string' },
        pooling: { type: 'string' },
        'batch-size': { type: 'string' },
        umap: { type: 'boolean', default: false },
        neighbours: { type: 'string' },
        'min-dist': { type: 'string' },
        seed: { type: 'string' },
        attentions: { type: 'boolean', default: false },
        format: { type: 'string', default: 'json' },
        out: { type: 'string' },
        backend: { type: 'string', default: 'auto' },
        dtype: { type: 'string', default: 'auto' },
        'model-file': { type: 'string' },
        threads: { type: 'string' },
        windows: { type: 'string' },
        tag: { type: 'string' },
        k: { type: 'string' },
        probe: { type: 'string' },
        task: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(
      (error as Error).message.split('\n')[0]!.replace(/^Unknown option/, 'unknown option'),
    );
  }
  const v = parsed.values;
  const layersText = v.layers ?? '-1';
  let layers: LayerSelection;
  if (layersText === 'all') layers = { kind: 'all' };
  else if (/^-?\d+$/.test(layersText)) layers = { kind: 'index', index: Number(layersText) };
  else throw new UsageError(`--layers must be all, a layer index or -1 (got "${layersText}")`);
  const layerText = v.layer ?? '-1';
  if (!/^-?\d+$/.test(layerText))
    throw new UsageError(`--layer must be a layer index, or negative from the end (got "${layerText}")`);
  const threads = v.threads === undefined ? undefined : positiveInteger('threads', v.threads);
  const format = oneOf('format', v.format!, ['json', 'npy', 'tsv'] as const);
  const pooling =
    v.pooling === undefined ? 'auto' : oneOf('pooling', v.pooling, ['mean', 'cls', 'max'] as const);
  const mode = modeOf(v, format);
  if (format !== 'json' && !v.out)
    throw new UsageError(`--format ${format} needs --out (${format === 'npy' ? 'a file' : 'a folder'})`);
  if (format === 'tsv' && layers.kind === 'all')
    throw new UsageError('--format tsv writes one layer: give --layers N');
  return {
    model: v.model,
    text: v.text,
    pair: v.pair,
    mode,
    layers,
    layer: Number(layerText),
    pooling,
    attentions: v.attentions!,
    format,
    out: v.out,
    backend: oneOf('backend', v.backend!, BACKEND_REQUESTS),
    dtype: oneOf('dtype', v.dtype!, DTYPE_REQUESTS),
    modelFile: v['model-file'],
    threads,
    windows: overlapOf(v.windows),
    help: v.help!,
  };
}

/** The mode, after rejecting options that do not go together. */
function modeOf(v: Record<string, string | boolean | undefined>, format: CliOptions['format']): Mode {
  const given = (name: string) => v[name] !== undefined && v[name] !== false;
  const conflict = (a: string, b: string) => {
    if (given(a) && given(b)) throw new UsageError(`--${a} cannot be used with --${b}`);
  };
  const few = fewShotMode(v, format, given, conflict);
  if (few) return few;
  if (typeof v.file === 'string') {
    for (const other of ['text', 'pair', 'compare', 'layers', 'attentions']) conflict('file', other);
    if (format === 'tsv') throw new UsageError('--file writes JSON lines or, with --format npy, one .npy');
    const batchSize =
      v['batch-size'] === undefined ? 16 : positiveInteger('batch-size', v['batch-size'] as string);
    return { kind: 'file', path: v.file, batchSize, ...umapOf(v, format) };
  }
  for (const option of ['batch-size', 'umap'])
    if (given(option)) throw new UsageError(`--${option} applies to --file`);
  if (UMAP_OPTIONS.some(given)) throw new UsageError('--neighbours, --min-dist and --seed apply to --umap');
  // Attention is per window: no one map covers a windowed text; and a pair or a comparison is truncated.
  for (const other of ['pair', 'compare', 'attentions']) conflict('windows', other);
  if (typeof v.compare === 'string') {
    conflict('compare', 'pair');
    if (format !== 'json')
      throw new UsageError(`--compare prints JSON: it cannot be used with --format ${format}`);
    return { kind: 'text', compare: v.compare };
  }
  for (const option of ['layer', 'pooling'])
    if (given(option)) throw new UsageError(`--${option} applies to --compare and --file`);
  return { kind: 'text' };
}

/** --tag and --probe, after rejecting options that do not go with them; undefined for the other modes. */
function fewShotMode(
  v: Record<string, string | boolean | undefined>,
  format: CliOptions['format'],
  given: (name: string) => boolean,
  conflict: (a: string, b: string) => void,
): Mode | undefined {
  const json = (option: string) => {
    if (format !== 'json')
      throw new UsageError(`--${option} prints JSON: it cannot be used with --format ${format}`);
  };
  if (typeof v.probe === 'string') {
    for (const other of [
      'tag',
      'text',
      'file',
      'pair',
      'compare',
      'layers',
      'layer',
      'attentions',
      'k',
      'batch-size',
    ])
      conflict('probe', other);
    json('probe');
    if (v.task === undefined) throw new UsageError('--probe needs --task sentence or --task token');
    const task = oneOf('task', v.task as string, ['sentence', 'token'] as const);
    if (task === 'token' && given('pooling')) throw new UsageError('--pooling applies to --task sentence');
    return { kind: 'probe', examples: v.probe, task };
  }
  if (given('task')) throw new UsageError('--task applies to --probe');
  if (typeof v.tag === 'string') {
    for (const other of ['pair', 'compare', 'layers', 'attentions', 'pooling', 'batch-size'])
      conflict('tag', other);
    conflict('text', 'file');
    json('tag');
    const k = v.k === undefined ? 3 : positiveInteger('k', v.k as string);
    return { kind: 'tag', examples: v.tag, k, ...(typeof v.file === 'string' && { file: v.file }) };
  }
  if (given('k')) throw new UsageError('--k applies to --tag');
  return undefined;
}

const UMAP_OPTIONS = ['neighbours', 'min-dist', 'seed'];

/** --umap's parameters, checked; none without --umap. */
function umapOf(
  v: Record<string, string | boolean | undefined>,
  format: CliOptions['format'],
): { umap?: UmapParameters } {
  if (!v.umap) {
    if (UMAP_OPTIONS.some((o) => v[o] !== undefined))
      throw new UsageError('--neighbours, --min-dist and --seed apply to --umap');
    return {};
  }
  if (format !== 'json')
    throw new UsageError(`--umap prints JSON lines: it cannot be used with --format ${format}`);
  const neighbours =
    v.neighbours === undefined
      ? UMAP_DEFAULTS.neighbours
      : positiveInteger('neighbours', v.neighbours as string);
  if (neighbours < 2) throw new UsageError(`--neighbours must be at least 2 (got "${v.neighbours}")`);
  const minDistText = (v['min-dist'] as string | undefined) ?? String(UMAP_DEFAULTS.minDist);
  const minDist = Number(minDistText);
  if (!/^\d*\.?\d+$/.test(minDistText) || minDist > 1)
    throw new UsageError(`--min-dist must be a number from 0 to 1 (got "${minDistText}")`);
  const seedText = (v.seed as string | undefined) ?? String(UMAP_DEFAULTS.seed);
  if (!/^\d+$/.test(seedText) || !Number.isSafeInteger(Number(seedText)))
    throw new UsageError(`--seed must be a non-negative integer (got "${seedText}")`);
  return { umap: { neighbours, minDist, seed: Number(seedText) } };
}

/** A hidden-state index as typed (negative from the end) resolved to 0..layers; a UsageError when out of range. */
export function resolveLayer(index: number, layers: number, option = '--layer'): number {
  const resolved = index < 0 ? layers + 1 + index : index;
  if (resolved < 0 || resolved > layers)
    throw new UsageError(`${option} ${index} is out of range: this model has hidden states 0..${layers}`);
  return resolved;
}

/** Hidden-state indices (0..layers) a selection picks; throws a UsageError when out of range. */
export function selectedLayers(selection: LayerSelection, layers: number): number[] {
  if (selection.kind === 'all') return Array.from({ length: layers + 1 }, (_, i) => i);
  return [resolveLayer(selection.index, layers, '--layers')];
}
