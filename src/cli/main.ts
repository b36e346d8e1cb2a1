/**
 * `albert-embed`: the engine headless. Prints tokens, hidden states and attention maps as JSON on stdout (with
 * --compare, two texts' similarity; with --file, a vector per line); everything else goes to stderr; any error is one line on stderr and a non-zero exit (2 for usage errors).
 */
import { createWriteStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AlbertEngine } from '../engine/albert.ts';
import { DEFAULT_HUB_MODEL } from '../engine/catalogue.ts';
import { EngineError } from '../engine/errors.ts';
import { hubBaseUrl, type ModelSource } from '../engine/modelSource.ts';
import { precisionSentence } from '../engine/fidelity.ts';
import { resolvePooling } from '../engine/sentenceModel.ts';
import { probeSentences, probeTokens, runExamples, runTokens, tagRun } from '../engine/tagRuns.ts';
import { parseTaggedExamples } from '../engine/tagging.ts';
import { parseExamples } from '../ui/apply/classify.ts';
import { fsSource } from '../engine/node/fsSource.ts';
import {
  hubCacheSource,
  hubFetch,
  hubSettings,
  isInHubCache,
  type HubCacheOptions,
} from '../engine/node/hubCacheSource.ts';
import { nodeRuntime, resolveModelSource } from '../engine/node/runtime.ts';
import { runWindows, type WindowedRun } from '../engine/windows.ts';
import {
  parseCliArgs,
  resolveLayer,
  selectedLayers,
  USAGE,
  UsageError,
  type CliOptions,
  type UmapParameters,
} from './args.ts';
import { jsonLinesSink, npySink } from './lineSinks.ts';
import { countLines, embedLines, engineEmbedder, openInput, readLines, windowedEmbedder } from './lines.ts';
import { writeJson, writeNpy, writeTsv, type Selection } from './output.ts';
import { downloadProgress, Progress } from './progress.ts';
import { similarity, type Similarity } from './similarity.ts';
import { heldLines, layoutLines, writeLayout, type HeldLine } from './umap.ts';

const MODELS_DIR = fileURLToPath(new URL('../../public/models/', import.meta.url));

const log = (message: string) => process.stderr.write(`albert-embed: ${message}\n`);

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('no text: pass --text "..." or pipe text on stdin');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** What hub models report: their downloads' progress on a terminal, and a file the cache could not keep. */
function hubReporting(): Partial<HubCacheOptions> {
  const onDownload = downloadProgress((text) => process.stderr.write(text), process.stderr.isTTY === true);
  return { ...(onDownload && { onDownload }), onWarning: (message) => log(`warning: ${message}`) };
}

/**
 * The default model: a local albert-base-v2, else the hub's when it is in the hub cache or the hub is reachable,
 * else the random test model.
 */
async function defaultModel(): Promise<ModelSource> {
  const local = `${MODELS_DIR}albert-base-v2`;
  if (existsSync(`${local}/config.json`)) return fsSource(local);
  const settings = { ...hubSettings(), ...hubReporting() };
  const hub = hubBaseUrl(DEFAULT_HUB_MODEL, settings.endpoint);
  const cached = await isInHubCache(DEFAULT_HUB_MODEL, settings.cacheDir);
  const reachable =
    !cached &&
    !settings.offline &&
    (await hubFetch(DEFAULT_HUB_MODEL, settings)(`${hub}config.json`, {
      method: 'HEAD',
      signal: AbortSignal.timeout(4000),
    }).then(
      (r) => r.ok,
      () => false,
    ));
  if (cached || reachable) {
    log(
      `using ${DEFAULT_HUB_MODEL} ${cached ? `(kept in the hub cache at ${settings.cacheDir})` : `from ${hub}`}`,
    );
    return hubCacheSource(DEFAULT_HUB_MODEL, settings);
  }
  log(
    `warning: no public/models/albert-base-v2 and ${settings.offline ? 'HF_HUB_OFFLINE is set' : 'the hub is unreachable'}; ` +
      'using the bundled albert-tiny-random, whose weights are RANDOM (its vectors mean nothing). Pass --model to choose a model.',
  );
  return fsSource(`${MODELS_DIR}albert-tiny-random`);
}

async function loadEngine(options: CliOptions, source: ModelSource): Promise<AlbertEngine> {
  const runtime = await nodeRuntime(options.backend, options.threads);
  const engine = await AlbertEngine.load({
    source,
    ort: runtime.ort,
    host: runtime.host,
    backend: options.backend,
    dtype: options.dtype,
    modelFile: options.modelFile,
  });
  if (runtime.fallbackReason) engine.backend.fallbackReason = runtime.fallbackReason;
  if (engine.backend.fallbackReason)
    log(`running on ${engine.backend.name}: ${engine.backend.fallbackReason}`);
  if (options.attentions && engine.loaded.attentionUnavailable)
    throw new EngineError('unsupported-graph', `--attentions: ${engine.loaded.attentionUnavailable}`);
  // JSON carries it in "precision"; .npy, .tsv and JSON lines cannot, so it is said here.
  const note = precisionSentence(engine.prepared.precision);
  if (note && (options.format !== 'json' || options.mode.kind === 'file')) log(note);
  return engine;
}

/** One text's run as JSON, npy or tsv; with --compare, the similarity to another text added to the JSON. */
async function runText(options: CliOptions, compare: string | undefined): Promise<void> {
  const text = options.text ?? (await readStdin());
  const source = options.model
    ? await resolveModelSource(options.model, hubReporting())
    : await defaultModel();
  const engine = await loadEngine(options, source);
  const layerCount = engine.config.num_hidden_layers;
  const layers = selectedLayers(options.layers, layerCount);
  const compareLayer = compare === undefined ? 0 : resolveLayer(options.layer, layerCount);
  const windowed =
    options.windows === undefined
      ? undefined
      : await runWindows(engine, text, { overlap: options.windows, outputs: { attentions: false } });
  if (windowed) log(windowsSentence(windowed));
  const run = windowed?.run ?? (await engine.run(text, options.pair, { attentions: options.attentions }));
  if (run.truncated)
    log(`input truncated to ${engine.tokenizer.maxLength} tokens: ${run.droppedTokens} dropped`);
  let similar: Similarity | undefined;
  if (compare !== undefined) {
    const pooling = resolvePooling(options.pooling, engine.loaded.sentence);
    const max = pooling.maxLength ?? engine.tokenizer.maxLength;
    // Sentence vectors see at most the model's trained maximum (sentence-transformers' max_seq_length).
    const own =
      run.ids.length > max ? await engine.run(text, undefined, { attentions: false, maxLength: max }) : run;
    const other = await engine.run(compare, undefined, { attentions: false, maxLength: max });
    if (own.truncated || other.truncated)
      log(
        `compared texts truncated to ${max} tokens${pooling.maxLength ? " (the model's max_seq_length)" : ''}`,
      );
    similar = similarity(own.hiddenStates, other.hiddenStates, pooling, compareLayer);
  }

  const selection: Selection = {
    layers,
    attentionLayers: options.attentions ? layers.filter((i) => i > 0) : undefined,
  };
  if (options.format === 'json')
    await writeJson(options.out, source.id, engine, run, selection, similar, windowed);
  else if (options.format === 'npy')
    for (const file of writeNpy(options.out!, run, selection)) log(`wrote ${file}`);
  else for (const file of writeTsv(options.out!, run, layers[0]!, [text, options.pair])) log(`wrote ${file}`);
  await engine.dispose();
  if (options.out && options.format === 'json') log(`wrote ${options.out}`);
}

/** What stderr says about a windowed run: how many windows ran, of what size and overlap. */
function windowsSentence({ windows, run }: WindowedRun): string {
  const { count, maxLength, overlap } = windows;
  return count === 1
    ? `${run.tokens.length} tokens fit in one window of up to ${maxLength}: nothing was cut`
    : `ran ${count} windows of up to ${maxLength} tokens, overlap ${overlap}, over all ${run.tokens.length} tokens`;
}

/** --file: a pooled vector per line, as JSON lines or one .npy, with progress on stderr. */
async function runFile(
  options: CliOptions,
  path: string,
  batchSize: number,
  umap: UmapParameters | undefined,
): Promise<void> {
  // Checked before the model loads, so that a typo fails at once.
  const regularFile = path !== '-' && inputFile(path);
  const source = options.model
    ? await resolveModelSource(options.model, hubReporting())
    : await defaultModel();
  const engine = await loadEngine(options, source);
  const layer = resolveLayer(options.layer, engine.config.num_hidden_layers);
  const pooling = resolvePooling(options.pooling, engine.loaded.sentence);
  if (pooling.source === 'model' || pooling.source === 'model card')
    log(`pooling: ${pooling.mode}${pooling.normalize ? ', normalized' : ''}, from ${pooling.from}`);
  const progress = new Progress({
    total: regularFile ? await countLines(path) : undefined,
    write: (text) => process.stderr.write(text),
    tty: process.stderr.isTTY === true,
  });
  const held = umap && heldLines();
  const sink = held
    ? held.sink
    : options.format === 'npy'
      ? npySink(options.out!, engine.config.hidden_size)
      : jsonLinesSink(options.out);
  const embedder =
    options.windows === undefined
      ? engineEmbedder(engine, layer, pooling)
      : windowedEmbedder(engine, layer, pooling, options.windows);
  if (options.windows !== undefined)
    log(
      `long lines run as overlapping windows (overlap ${options.windows}), each one's vector the mean over its windows`,
    );
  const done = await embedLines(readLines(openInput(path)), embedder, sink, {
    batchSize,
    maxLength: pooling.maxLength ?? engine.tokenizer.maxLength,
    onProgress: (n) => progress.update(n),
    warn: (message) => progress.message(message),
  });
  progress.finish(done);
  await engine.dispose();
  if (held) await printLayout(options.out, held.lines, umap!);
  if (options.out) log(`wrote ${options.out}`);
}

/** An examples file's text; a missing file fails before the model loads. */
function readExamples(path: string, option: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new Error(`${option} ${path} cannot be read`);
  }
}

/** Lines of an examples file that cannot be read, said on stderr (they are left out, as the page does). */
function warnBadLines(path: string, bad: { line: number; reason?: string }[]): void {
  for (const { line, reason } of bad)
    log(
      `warning: ${path} line ${line} ${reason ? `is left out: ${reason}` : 'is not "label: text" and is left out'}`,
    );
}

/** JSON on stdout, or in --out. */
function printJson(options: CliOptions, value: unknown): void {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (options.out) {
    writeFileSync(options.out, text);
    log(`wrote ${options.out}`);
  } else process.stdout.write(text);
}

/** --tag: the text's tokens tagged from bracket-marked example sentences at --layer, by k-NN and by centroid. */
async function runTag(options: CliOptions, examplesPath: string, file: string | undefined, k: number) {
  const parsed = parseTaggedExamples(readExamples(examplesPath, '--tag'));
  warnBadLines(examplesPath, parsed.badLines);
  const text = options.text ?? (file && file !== '-' ? readExamples(file, '--file') : await readStdin());
  const source = options.model ? await resolveModelSource(options.model) : await defaultModel();
  const engine = await loadEngine(options, source);
  const layer = resolveLayer(options.layer, engine.config.num_hidden_layers);
  const references = await runExamples(engine, parsed.examples);
  const target = await runTokens(engine, text);
  if (target.truncated) log(`input truncated to ${engine.tokenizer.maxLength} tokens`);
  const tagged = tagRun(references, target, layer, k);
  await engine.dispose();
  printJson(options, {
    model: source.id,
    layer,
    k,
    examples: parsed.examples.length,
    tokens: target.tokens,
    tags: tagged.tags,
    centroidTags: tagged.centroidTags,
  });
}

/** --probe: cross-validated accuracy of a linear probe at every hidden state, for a sentence or token task. */
async function runProbe(options: CliOptions, examplesPath: string, task: 'sentence' | 'token') {
  const text = readExamples(examplesPath, '--probe');
  const source = options.model ? await resolveModelSource(options.model) : await defaultModel();
  const engine = await loadEngine(options, source);
  let result;
  if (task === 'sentence') {
    const parsed = parseExamples(text);
    warnBadLines(
      examplesPath,
      parsed.badLines.map((line) => ({ line })),
    );
    result = await probeSentences(
      engine,
      parsed.examples,
      resolvePooling(options.pooling, engine.loaded.sentence),
    );
  } else {
    const parsed = parseTaggedExamples(text);
    warnBadLines(examplesPath, parsed.badLines);
    result = await probeTokens(await runExamples(engine, parsed.examples));
  }
  await engine.dispose();
  printJson(options, { model: source.id, task, ...result });
}

/** --umap: the held lines laid out, the time it took on stderr, the coordinates as JSON lines. */
async function printLayout(out: string | undefined, lines: HeldLine[], umap: UmapParameters): Promise<void> {
  const started = performance.now();
  const result = await layoutLines(lines, umap);
  log(
    `UMAP of ${lines.length} lines (neighbours ${result.neighbours}, min-dist ${result.minDist}, seed ${result.seed}, ` +
      `${result.epochs} epochs) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const stream = out ? createWriteStream(out) : process.stdout;
  await writeLayout(stream, lines, result);
  if (out) await new Promise<void>((resolve) => stream.end(resolve));
}

/** Whether `path` is a regular file (a FIFO or a device is read once, without counting); throws if unreadable. */
function inputFile(path: string): boolean {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new Error(`--file ${path} does not exist`);
  }
  if (stats.isDirectory()) throw new Error(`--file ${path} is a folder, not a file`);
  return stats.isFile();
}

async function main(argv: string[]): Promise<void> {
  const options = parseCliArgs(argv);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { mode } = options;
  if (mode.kind === 'file') await runFile(options, mode.path, mode.batchSize, mode.umap);
  else if (mode.kind === 'tag') await runTag(options, mode.examples, mode.file, mode.k);
  else if (mode.kind === 'probe') await runProbe(options, mode.examples, mode.task);
  else await runText(options, mode.compare);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // The reader of stdout stopped reading (`| head`): nothing more is wanted, as for any Unix filter.
  if ((error as NodeJS.ErrnoException).code === 'EPIPE') return;
  const message = error instanceof Error ? error.message : String(error);
  log(`error: ${message.replace(/\s*\n\s*/g, ' ')}${error instanceof UsageError ? ' (see --help)' : ''}`);
  process.exitCode = error instanceof UsageError ? 2 : error instanceof EngineError ? 1 : 1;
});
