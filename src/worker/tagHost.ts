/**
 * The worker's side of token tagging and layer probes. Tagging runs each example sentence and the text once,
 * keeps every layer's token vectors, and tags again at another layer or k from them; probes train one
 * classifier per hidden state. The numbers come from engine/tagRuns.ts, as the CLI's do. Knows nothing
 * about messages.
 */
import type { AlbertEngine } from '../engine/albert.ts';
import { EngineError } from '../engine/errors.ts';
import type { ProbeResult } from '../engine/probe.ts';
import { resolvePooling } from '../engine/sentenceModel.ts';
import {
  probeSentences,
  probeTokens,
  runExamples,
  runTokens,
  tagRun,
  type TagReferences,
  type TokenRun,
} from '../engine/tagRuns.ts';
import type { TaggedExample } from '../engine/tagging.ts';
import type { LinesProgress, ProbeTask, TagView } from './protocol.ts';

/** Example sentences one tagging or probe may run (each keeps L+1 vectors per token). */
export const MAX_TAG_EXAMPLES = 200;

/** Thrown inside a job to stop it when its cancel arrives. */
class Cancelled extends Error {}

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

export class TagHost {
  private kept: { id: number; engine: AlbertEngine; references: TagReferences; target: TokenRun } | undefined;
  private readonly cancelled = new Set<number>();

  constructor(private readonly engine: () => AlbertEngine) {}

  cancel(target: number): void {
    this.cancelled.add(target);
  }

  /**
   * Runs the examples and the text (progress after each sentence; a cancel stops between sentences) and tags
   * the text at `layer` with `k`; `tagView` tags again from the kept vectors.
   */
  async tag(
    id: number,
    examples: TaggedExample[],
    text: string,
    layer: number,
    k: number,
    onProgress: (progress: LinesProgress) => void,
  ): Promise<{ view?: TagView; cancelled: boolean }> {
    if (!text.trim()) throw new EngineError('input', 'give a text to tag');
    tooMany(examples.length);
    const engine = this.engine();
    this.kept = undefined;
    const view = await this.steps(id, examples.length + 1, onProgress, async (step) => {
      const references = await runExamples(engine, examples, step);
      const target = await runTokens(engine, text);
      this.kept = { id, engine, references, target };
      return this.tagView(id, layer, k);
    });
    return view ? { view, cancelled: false } : { cancelled: true };
  }

  /**
   * Runs `job` with a `step(done)` that reports progress out of `total`, lets a cancel message in, and stops the
   * job there when `id` was cancelled; resolves to the job's value, or undefined when it was cancelled.
   */
  private async steps<T>(
    id: number,
    total: number,
    onProgress: (progress: LinesProgress) => void,
    job: (step: (done: number) => Promise<void>) => Promise<T>,
  ): Promise<T | undefined> {
    const started = performance.now();
    const step = async (done: number) => {
      onProgress({
        done,
        total,
        linesPerSecond: done / Math.max((performance.now() - started) / 1000, 1e-3),
      });
      await nextTask(); // lets a cancel message in
      if (this.cancelled.has(id)) throw new Cancelled();
    };
    try {
      return await job(step);
    } catch (error) {
      if (error instanceof Cancelled) return undefined;
      throw error;
    } finally {
      this.cancelled.delete(id);
    }
  }

  /** The latest tagging again at another layer or k, from its kept vectors. */
  tagView(setId: number, layer: number, k: number): TagView {
    const kept = this.kept;
    if (kept?.id !== setId || kept.engine !== this.engine())
      throw new EngineError('input', 'that tagging is gone; tag again');
    const { references, target } = kept;
    return {
      setId,
      layer,
      k,
      tokens: target.tokens,
      special: target.special,
      offsets: target.offsets,
      truncated: target.truncated,
      ...tagRun(references, target, layer, k),
      references: references.runs.flatMap((run, sentence) =>
        references.tags[sentence]!.flatMap((label, token) =>
          label === null ? [] : [{ sentence, token, piece: run.tokens[token]!, label }],
        ),
      ),
    };
  }

  /**
   * A probe at every hidden state for a sentence or a token task, cross-validated: progress after each example
   * sentence run and each layer probed (a cancel stops between them).
   */
  async probe(
    id: number,
    task: ProbeTask,
    onProgress: (progress: LinesProgress) => void,
  ): Promise<{ result?: ProbeResult; cancelled: boolean }> {
    const engine = this.engine();
    const sentences = task.examples.length;
    tooMany(sentences);
    const total = sentences + engine.config.num_hidden_layers + 1;
    const result = await this.steps(id, total, onProgress, async (step) => {
      if (task.task === 'sentence') {
        const pooling = resolvePooling(task.pooling, engine.loaded.sentence);
        return probeSentences(engine, task.examples, pooling, {}, step);
      }
      const references = await runExamples(engine, task.examples, step);
      return probeTokens(references, {}, (layers) => step(sentences + layers));
    });
    return result ? { result, cancelled: false } : { cancelled: true };
  }
}

function tooMany(count: number): void {
  if (count > MAX_TAG_EXAMPLES)
    throw new EngineError('input', `give at most ${MAX_TAG_EXAMPLES} example sentences (got ${count})`);
}
