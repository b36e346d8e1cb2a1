/**
 * `--file`: one pooled vector per line of a file, in batches. Lines are read lazily and each batch is written
 * out before the next is read, so memory stays flat however long the file is: at most one batch of lines and
 * vectors (and one chunk of the file) is ever held.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { AlbertEngine } from '../engine/albert.ts';
import { sentenceVectors, type SentencePooling } from '../engine/sentenceModel.ts';
import { runWindows } from '../engine/windows.ts';

/** A non-empty line and its 1-based number in the file (blank lines count, though they are skipped). */
export interface Line {
  line: number;
  text: string;
}

/** What a batch of texts gives: a vector, the token count (after truncation) and the tokens dropped, per text. */
export interface EmbeddedBatch {
  vectors: Float32Array[];
  tokens: number[];
  dropped: number[];
  /** How many windows each text ran as (`--windows`); absent when texts are truncated instead. */
  windows?: number[];
}

/** Pools a batch of texts (the engine in the CLI, a fake in tests). */
export type Embedder = (texts: string[]) => Promise<EmbeddedBatch>;

/** Where embedded lines go (JSON lines, a .npy file); `close` finishes the output, `abort` discards it. */
export interface LineSink {
  write(line: Line, tokens: number, vector: Float32Array): Promise<void>;
  close(): Promise<void>;
  abort(): void;
}

/** The input as a stream: a path, or stdin for `-`. */
export const openInput = (path: string): Readable => (path === '-' ? process.stdin : createReadStream(path));

/**
 * The non-empty, non-blank lines of a stream with their line numbers, read a chunk at a time as they are
 * consumed (readline's iterator would read up to a thousand lines ahead). Lines end at \n, with a \r before it
 * dropped; a byte-order mark at the start is dropped.
 */
export async function* readLines(input: Readable): AsyncGenerator<Line> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  function* complete(text: string): Generator<Line> {
    line++;
    const clean = (line === 1 ? text.replace(/^\uFEFF/, '') : text).replace(/\r$/, '');
    if (clean.trim() !== '') yield { line, text: clean };
  }
  for await (const chunk of input) {
    rest += decoder.write(chunk as Buffer);
    let start = 0;
    for (let end = rest.indexOf('\n'); end !== -1; end = rest.indexOf('\n', start)) {
      yield* complete(rest.slice(start, end));
      start = end + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.end();
  if (rest !== '') yield* complete(rest);
}

/** How many lines `readLines` will give for a file (a first pass, for progress). */
export async function countLines(path: string): Promise<number> {
  let count = 0;
  for await (const _ of readLines(createReadStream(path))) count++;
  return count;
}

export interface EmbedLinesOptions {
  batchSize: number;
  /** Called after each batch with the lines done so far. */
  onProgress?: (done: number) => void;
  /** A warning about one line (truncation). */
  warn: (message: string) => void;
  /** The model's maximum tokens, for the truncation warning. */
  maxLength: number;
}

/** Embeds every line in batches and writes each to the sink in order; returns the number of lines embedded. */
export async function embedLines(
  lines: AsyncIterable<Line>,
  embed: Embedder,
  sink: LineSink,
  options: EmbedLinesOptions,
): Promise<number> {
  let done = 0;
  const flush = async (batch: Line[]) => {
    const { vectors, tokens, dropped, windows } = await embed(batch.map((l) => l.text));
    for (let i = 0; i < batch.length; i++) {
      if (windows && windows[i]! > 1)
        options.warn(
          `line ${batch[i]!.line} ran as ${windows[i]} windows of up to ${options.maxLength} tokens`,
        );
      if (dropped[i]! > 0)
        options.warn(
          `line ${batch[i]!.line} truncated to ${options.maxLength} tokens: ${dropped[i]} dropped`,
        );
      await sink.write(batch[i]!, tokens[i]!, vectors[i]!);
    }
    done += batch.length;
    options.onProgress?.(done);
  };
  try {
    let batch: Line[] = [];
    for await (const line of lines) {
      batch.push(line);
      if (batch.length === options.batchSize) {
        await flush(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await flush(batch);
    await sink.close();
  } catch (error) {
    sink.abort();
    throw error;
  }
  return done;
}

/**
 * Sentence vectors of one hidden state from the engine's padded batches (padding rows are left out), each
 * text truncated to the model's trained maximum when it states one.
 */
export function engineEmbedder(engine: AlbertEngine, layer: number, pooling: SentencePooling): Embedder {
  return async (texts) => {
    const run = await engine.runBatch(texts, [layer], pooling.maxLength);
    const tokens = run.encodings.map((e) => e.ids.length);
    return {
      vectors: sentenceVectors(run.hiddenStates[0]!, tokens, pooling),
      tokens,
      dropped: run.encodings.map((e) => e.droppedTokens),
    };
  };
}

/**
 * `--windows`: lines that fit run in batches as `engineEmbedder` runs them (a one-window line's vector is its
 * plain one); a longer line runs on its own as overlapping windows of the model's trained maximum, its vector
 * the mean over windows of each window's pooled vector (normalized afterwards when the model normalizes).
 * Nothing is dropped; `windows` says how many windows each line ran as.
 */
export function windowedEmbedder(
  engine: AlbertEngine,
  layer: number,
  pooling: SentencePooling,
  overlap: number,
): Embedder {
  const batched = engineEmbedder(engine, layer, pooling);
  const maxLength = Math.min(pooling.maxLength ?? Infinity, engine.tokenizer.maxLength);
  const specials = engine.tokenizer.singleTemplateSize;
  return async (texts) => {
    const long = texts.map((t) => engine.tokenizer.pieces(t).ids.length + specials > maxLength);
    const short = texts.filter((_, i) => !long[i]);
    const fit = short.length > 0 ? await batched(short) : { vectors: [], tokens: [], dropped: [] };
    const out: EmbeddedBatch = { vectors: [], tokens: [], dropped: [], windows: [] };
    let next = 0;
    for (const [i, text] of texts.entries()) {
      if (!long[i]) {
        out.vectors.push(fit.vectors[next]!);
        out.tokens.push(fit.tokens[next]!);
        out.dropped.push(fit.dropped[next++]!);
        out.windows!.push(1);
        continue;
      }
      const { run, windows, documentVectors } = await runWindows(engine, text, {
        overlap,
        maxLength,
        outputs: { attentions: false },
        pooling: { mode: pooling.mode, normalize: pooling.normalize },
      });
      const width = documentVectors.dims[1]!;
      out.vectors.push(documentVectors.data.slice(layer * width, (layer + 1) * width));
      out.tokens.push(run.tokens.length);
      out.dropped.push(0);
      out.windows!.push(windows.count);
    }
    return out;
  };
}
