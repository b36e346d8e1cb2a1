/**
 * `albert-embed`: the engine headless. Prints tokens, hidden states and attention maps as JSON on stdout;
 * everything else goes to stderr; any error is one line on stderr and a non-zero exit (2 for usage errors).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AlbertEngine } from '../engine/albert.ts';
import { EngineError } from '../engine/errors.ts';
import { hubBaseUrl, urlSource, type ModelSource } from '../engine/modelSource.ts';
import { fsSource } from '../engine/node/fsSource.ts';
import { nodeRuntime, resolveModelSource } from '../engine/node/runtime.ts';
import { parseCliArgs, selectedLayers, USAGE, UsageError } from './args.ts';
import { writeJson, writeNpy, writeTsv, type Selection } from './output.ts';

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

  const selection: Selection = {
    layers,
    attentionLayers: options.attentions ? layers.filter((i) => i > 0) : undefined,
  };
  if (options.format === 'json') await writeJson(options.out, source.id, engine, run, selection);
  else if (options.format === 'npy')
    for (const file of writeNpy(options.out!, run, selection)) log(`wrote ${file}`);
  else for (const file of writeTsv(options.out!, run, layers[0]!, [text, options.pair])) log(`wrote ${file}`);
  await engine.dispose();
  if (options.out && options.format === 'json') log(`wrote ${options.out}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  log(`error: ${message.replace(/\s*\n\s*/g, ' ')}${error instanceof UsageError ? ' (see --help)' : ''}`);
  process.exitCode = error instanceof UsageError ? 2 : error instanceof EngineError ? 1 : 1;
});
