/**
 * Token tagging and layer probes on a loaded engine: each example sentence runs once and keeps every layer's
 * token vectors, so tagging at another layer or k needs no new run. The worker and the CLI both call these,
 * so the page and Node compute the same numbers the same way.
 */
import type { AlbertEngine } from './albert.ts';
import { EngineError } from './errors.ts';
import { probeLayers, type ProbeOptions, type ProbeResult } from './probe.ts';
import { sentenceVector, type SentencePooling } from './sentenceModel.ts';
import {
  exampleTags,
  tagTokens,
  wordStarts,
  type ReferenceToken,
  type TaggedExample,
  type TokenizedText,
  type TokenTagging,
} from './tagging.ts';
import type { FloatTensor } from './types.ts';

/** One text run once: its tokens and, per hidden state 0..L, one vector per token. */
export interface TokenRun extends TokenizedText {
  text: string;
  truncated: boolean;
  layers: Float32Array[][];
}

/** The examples, run, with one tag per token (null for specials). */
export interface TagReferences {
  runs: TokenRun[];
  tags: (string | null)[][];
}

/** A [tokens, hidden] tensor as one vector per token (copies, so the run's buffers can go). */
function rowsOf(t: FloatTensor): Float32Array[] {
  const [n, d] = t.dims as [number, number];
  return Array.from({ length: n }, (_, i) => t.data.slice(i * d, (i + 1) * d));
}

/** Runs one text and keeps every layer's token vectors. */
export async function runTokens(engine: AlbertEngine, text: string): Promise<TokenRun> {
  const run = await engine.run(text, undefined, { attentions: false });
  return {
    text,
    tokens: run.tokens,
    offsets: run.offsets,
    special: run.special,
    truncated: run.truncated,
    layers: run.hiddenStates.map(rowsOf),
  };
}

/** Throws unless the examples mark at least one span (else every token is `O` and there is nothing to learn). */
export function requireSpans(examples: TaggedExample[]): void {
  if (examples.length === 0)
    throw new EngineError('input', 'give at least one example sentence, with spans marked as [text](LABEL)');
  if (!examples.some((e) => e.spans.length > 0))
    throw new EngineError('input', 'mark at least one span in the examples, as [Paris](LOC)');
}

/** Tags of an example run, checked: a span that covers no token would silently teach nothing. */
function tagsOf(run: TokenRun, example: TaggedExample, index: number): (string | null)[] {
  const tags = exampleTags(run, example);
  for (const span of example.spans)
    if (!tags.some((t, i) => t === span.label && run.offsets[i] && run.offsets[i][0] < span.end))
      throw new EngineError(
        'input',
        `example ${index + 1}: the span "${example.text.slice(span.start, span.end)}" covers no token (was it cut off?)`,
      );
  return tags;
}

/** Runs every example sentence once (calling `onEach` after each, which may throw to stop), with its tags. */
export async function runExamples(
  engine: AlbertEngine,
  examples: TaggedExample[],
  onEach: (done: number) => void | Promise<void> = () => undefined,
): Promise<TagReferences> {
  requireSpans(examples);
  const runs: TokenRun[] = [];
  const tags: (string | null)[][] = [];
  for (const [i, example] of examples.entries()) {
    const run = await runTokens(engine, example.text);
    runs.push(run);
    tags.push(tagsOf(run, example, i));
    await onEach(i + 1);
  }
  return { runs, tags };
}

/** Every tagged (non-special) token of the examples with its vector at one layer. */
export function referencesAt(references: TagReferences, layer: number): ReferenceToken[] {
  return references.runs.flatMap((run, sentence) =>
    references.tags[sentence]!.flatMap((label, token) =>
      label === null ? [] : [{ sentence, token, label, vector: run.layers[layer]![token]! }],
    ),
  );
}

/** A text's tokens tagged from the examples at one hidden state, by k-NN and by centroid. */
export function tagRun(references: TagReferences, target: TokenRun, layer: number, k: number): TokenTagging {
  if (!target.layers[layer]) throw new EngineError('input', `no layer ${layer} in this model`);
  return tagTokens(referencesAt(references, layer), target.layers[layer], wordStarts(target, target.text), k);
}

/**
 * Token task: a probe per hidden state on the examples' tokens (specials left out), folds by sentence; `onEach`
 * after each layer, with the layers done.
 */
export function probeTokens(
  references: TagReferences,
  options: ProbeOptions = {},
  onEach?: (done: number) => void | Promise<void>,
): Promise<ProbeResult> {
  const layerCount = references.runs[0]?.layers.length ?? 0;
  const all = Array.from({ length: layerCount }, (_, l) => referencesAt(references, l));
  const first = all[0] ?? [];
  return probeLayers(
    all.map((refs) => refs.map((r) => r.vector)),
    first.map((r) => r.label),
    first.map((r) => r.sentence),
    options,
    onEach,
  );
}

/**
 * Sentence task: a probe per hidden state on each example's sentence vector (the model's own pooling); `onEach`
 * after each sentence run and then after each layer probed, with the steps done (sentences, then layers).
 */
export async function probeSentences(
  engine: AlbertEngine,
  examples: { label: string; text: string }[],
  pooling: SentencePooling,
  options: ProbeOptions = {},
  onEach: (done: number) => void | Promise<void> = () => undefined,
): Promise<ProbeResult> {
  // As classification embeds them: at most the model's trained length.
  const maxLength = engine.sentenceMaxLength;
  const layers: Float32Array[][] = Array.from({ length: engine.config.num_hidden_layers + 1 }, () => []);
  for (const [i, example] of examples.entries()) {
    const run = await engine.run(example.text, undefined, { attentions: false, maxLength });
    run.hiddenStates.forEach((h, l) => layers[l]!.push(sentenceVector(h, pooling)));
    await onEach(i + 1);
  }
  return probeLayers(
    layers,
    examples.map((e) => e.label),
    examples.map((_, i) => i),
    options,
    (probed) => onEach(examples.length + probed),
  );
}
