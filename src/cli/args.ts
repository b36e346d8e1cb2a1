/** Command-line options of `albert-embed`, parsed strictly: an unknown option or a bad value is an error. */
import { parseArgs } from 'node:util';
import type { BackendRequest, Dtype } from '../engine/types.ts';

export const USAGE = `Usage: albert-embed [options]   (npm run -s embed -- [options])

Prints ALBERT's tokens, hidden states and (optionally) attention maps as JSON.

  --model <dir|URL|hub id>  model folder (default: public/models/albert-base-v2, else the hub's
                            Xenova/albert-base-v2 when reachable, else the bundled random test model)
  --text <s>                text to encode (default: read stdin)
  --pair <s>                second segment: encodes [CLS] text [SEP] pair [SEP], token types 0/1
  --layers all|N|-1         hidden states to print: all, one index 0..L (0 = embedding projection),
                            or negative from the end (default -1, the last layer)
  --attentions              also print attention maps of the chosen layers (layers 1..L have one)
  --format json|npy|tsv     json (stdout or --out); npy: hidden states as a NumPy array of shape
                            (layers, tokens, hidden) in --out FILE (with --attentions, also
                            FILE.attentions.npy of shape (layers, heads, tokens, tokens)); tsv: the
                            TensorFlow Embedding Projector's vectors.tsv and metadata.tsv for one layer,
                            in --out DIR
  --out <path>              write the output there instead of stdout
  --backend wasm|webgpu|node  onnxruntime-web WASM (default), WebGPU (browsers only; falls back), or
                            onnxruntime-node
  --dtype fp32|fp16|q8      which ONNX file of the folder (default fp32)
  --model-file <path>       an explicit ONNX file inside the folder (overrides --dtype)
  --threads <n>             WASM/CPU threads (default: cores, up to 4)
  -h, --help                this help`;

export type LayerSelection = { kind: 'all' } | { kind: 'index'; index: number };

export interface CliOptions {
  model?: string;
  text?: string;
  pair?: string;
  layers: LayerSelection;
  attentions: boolean;
  format: 'json' | 'npy' | 'tsv';
  out?: string;
  backend: BackendRequest;
  dtype: Dtype;
  modelFile?: string;
  threads?: number;
  help: boolean;
}

/** A usage error: the CLI prints it with a pointer to --help and exits 2. */
export class UsageError extends Error {}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
}

/** `--layers -1` as the user types it: util.parseArgs would take `-1` for an option. */
function joinNegativeLayers(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--layers' && /^-\d+$/.test(argv[i + 1] ?? '')) out.push(`--layers=${argv[++i]}`);
    else out.push(argv[i]!);
  }
  return out;
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
        layers: { type: 'string', default: '-1' },
        attentions: { type: 'boolean', default: false },
        format: { type: 'string', default: 'json' },
        out: { type: 'string' },
        backend: { type: 'string', default: 'wasm' },
        dtype: { type: 'string', default: 'fp32' },
        'model-file': { type: 'string' },
        threads: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(
      (error as Error).message.split('\n')[0]!.replace(/^Unknown option/, 'unknown option'),
    );
  }
  const v = parsed.values;
  let layers: LayerSelection;
  if (v.layers === 'all') layers = { kind: 'all' };
  else if (/^-?\d+$/.test(v.layers!)) layers = { kind: 'index', index: Number(v.layers) };
  else throw new UsageError(`--layers must be all, a layer index or -1 (got "${v.layers}")`);
  let threads: number | undefined;
  if (v.threads !== undefined) {
    threads = Number(v.threads);
    if (!Number.isInteger(threads) || threads < 1)
      throw new UsageError(`--threads must be a positive integer (got "${v.threads}")`);
  }
  const format = oneOf('format', v.format!, ['json', 'npy', 'tsv'] as const);
  if (format !== 'json' && !v.out)
    throw new UsageError(`--format ${format} needs --out (${format === 'npy' ? 'a file' : 'a folder'})`);
  if (format === 'tsv' && layers.kind === 'all')
    throw new UsageError('--format tsv writes one layer: give --layers N');
  return {
    model: v.model,
    text: v.text,
    pair: v.pair,
    layers,
    attentions: v.attentions!,
    format,
    out: v.out,
    backend: oneOf('backend', v.backend!, ['wasm', 'webgpu', 'node'] as const),
    dtype: oneOf('dtype', v.dtype!, ['fp32', 'fp16', 'q8'] as const),
    modelFile: v['model-file'],
    threads,
    help: v.help!,
  };
}

/** Hidden-state indices (0..layers) a selection picks; throws a UsageError when out of range. */
export function selectedLayers(selection: LayerSelection, layers: number): number[] {
  if (selection.kind === 'all') return Array.from({ length: layers + 1 }, (_, i) => i);
  const index = selection.index < 0 ? layers + 1 + selection.index : selection.index;
  if (index < 0 || index > layers)
    throw new UsageError(
      `--layers ${selection.index} is out of range: this model has hidden states 0..${layers}`,
    );
  return [index];
}
