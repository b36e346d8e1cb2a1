/**
 * `albert-embed`: the engine headless. Prints tokens, hidden states and attention maps as JSON on stdout;
 * everything else goes to stderr; any error is one line on stderr and a non-zero exit (2 for usage errors).
 */
import { createWriteStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import { AlbertEngine } from '../engine/albert.ts';
import { EngineError } from '../engine/errors.ts';
import { hubBaseUrl, urlSource, type ModelSource } from '../engine/modelSource.ts';
import { fsSource } from '../engine/node/fsSource.ts';
import { nodeRuntime, resolveModelSource } from '../engine/node/runtime.ts';
import { parseCliArgs, selectedLayers, USAGE, UsageError } from './args.ts';
import { JsonStreamWriter } from './jsonWriter.ts';

const MODELS_DIR = fileURLToPath(new URL('../../public/models/', import.meta.url));
const DEFAULT_HUB_MODEL = 'Xenova/albert-base-v2';

const log = (message: string) => process.stderr.write(`albert-embed: ${message}\n`);

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('no text: pass --text "..." or pipe text on stdin');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The default model: a local albert-base-v2, else the hub's when reachable, else the random test model. */
async function defaultModel(): Promise<ModelSource> {
  const local = `${MODELS_DIR}albert-base-v2`;
  if (existsSync(`${local}/config.json`)) return fsSource(local);
  const hub = hubBaseUrl(DEFAULT_HUB_MODEL, process.env.HF_ENDPOINT);
  const reachable = await fetch(`${hub}config.json`, {
    method: 'HEAD',
    signal: AbortSignal.timeout(4000),
  }).then(
    (r) => r.ok,
    () => false,
  );
  if (reachable) {
    log(`using ${DEFAULT_HUB_MODEL} from ${hub}`);
    return urlSource(hub);
  }
  log(
    'warning: no public/models/albert-base-v2 and the hub is unreachable; using the bundled albert-tiny-random, ' +
      'whose weights are RANDOM (its vectors mean nothing). Pass --model to choose a model.',
  );
  return fsSource(`${MODELS_DIR}albert-tiny-random`);
}

async function main(argv: string[]): Promise<void> {
  const options = parseCliArgs(argv);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const text = options.text ?? (await readStdin());
  const source = options.model ? await resolveModelSource(options.model) : await defaultModel();
  const runtime = await nodeRuntime(options.backend, options.threads);
  const engine = await AlbertEngine.load({
    source,
    ...runtime,
    backend: options.backend,
    dtype: options.dtype,
    modelFile: options.modelFile,
  });
  if (engine.backend.fallbackReason)
    log(`running on ${engine.backend.name}: ${engine.backend.fallbackReason}`);
  const layers = selectedLayers(options.layers, engine.config.num_hidden_layers);
  const run = await engine.run(text, options.pair, { attentions: options.attentions });
  if (run.truncated)
    log(`input truncated to ${engine.tokenizer.maxLength} tokens: ${run.droppedTokens} dropped`);

  const out: Writable = options.out ? createWriteStream(options.out) : process.stdout;
  const json = new JsonStreamWriter(out);
  await json.begin();
  await json.field('model', source.id);
  await json.field('modelFile', engine.modelFile);
  await json.field('backend', engine.backend);
  for (const key of [
    'tokens',
    'ids',
    'tokenTypeIds',
    'offsets',
    'special',
    'truncated',
    'droppedTokens',
  ] as const)
    await json.field(key, run[key]);
  await json.field('layers', layers);
  await json.tensors(
    'hiddenStates',
    layers.map((i) => run.hiddenStates[i]!),
  );
  if (options.attentions) {
    // Layer i (1..L) has an attention map; hidden state 0 (the embedding projection) has none.
    const attentionLayers = layers.filter((i) => i > 0);
    await json.field('attentionLayers', attentionLayers);
    await json.tensors(
      'attentions',
      attentionLayers.map((i) => run.attentions[i - 1]!),
    );
  }
  await json.end();
  if (options.out)
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  await engine.dispose();
  if (options.out) log(`wrote ${options.out}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  log(`error: ${message.replace(/\s*\n\s*/g, ' ')}${error instanceof UsageError ? ' (see --help)' : ''}`);
  process.exitCode = error instanceof UsageError ? 2 : error instanceof EngineError ? 1 : 1;
});
