/**
 * Token tagging and layer probes over the protocol, with the bundled random model: an example sentence tagged
 * at k = 1 gets its own tags at every layer; the neighbours' cosines are those of the runs' own token vectors;
 * another layer or k tags again without a run; a cancel stops; probes give one accuracy per hidden state,
 * with progress step by step up to the total, and stop on cancel.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '../engine/pooling.ts';
import { parseTaggedExamples } from '../engine/tagging.ts';
import type { EngineClient } from './client.ts';
import type { LinesProgress, ProbeTask, WorkerRequest } from './protocol.ts';
import { inProcessClient } from './testing/inProcess.ts';

let client: EngineClient;
let received: WorkerRequest[];
beforeAll(async () => {
  ({ client, received } = await inProcessClient());
});

const { examples } = parseTaggedExamples(
  [
    '[Paris](LOC) is in [France](LOC).',
    '[Barack Obama](PER) met the press.',
    'The [Red Cross](ORG) helped [Ada](PER) in [Rome](LOC).',
  ].join('\n'),
);
const runs = () => received.filter((r) => r.type === 'tag' || r.type === 'run').length;
const api = { layers: 'all', attentions: false, lane: 'api' } as const;

describe('tag', () => {
  it('tags an example sentence with its own tags at k = 1, at every layer, without a new run', async () => {
    const job = client.tag({ examples, text: examples[2]!.text, layer: 3, k: 1 }, () => undefined);
    const { view, cancelled } = await job.done;
    expect(cancelled).toBe(false);
    // [CLS] the red cross helped ada in rome . [SEP], words in pieces (▁r·ed, ▁c·ro·ss, ▁a·d·a, ▁·ro·me).
    const [O, ORG, PER, LOC] = ['O', 'ORG', 'PER', 'LOC'];
    expect(view!.tokens).toHaveLength(18);
    expect(view!.tags).toEqual([O, O, ORG, ORG, ORG, ORG, ORG, O, O, PER, PER, PER, O, LOC, LOC, LOC, O, O]);
    const before = runs();
    for (const layer of [0, 1, 2]) {
      const again = await client.tagView(job.id, layer, 1);
      expect(again.tags).toEqual(view!.tags);
    }
    expect(runs()).toBe(before);
  });

  it('scores each token by cosine with the examples’ token vectors', async () => {
    const text = 'Obama visited France.';
    const job = client.tag({ examples, text, layer: 2, k: 3 }, () => undefined);
    const { view } = await job.done;
    const target = (await client.run(text, undefined, api))!;
    const width = 32;
    const row = (t: { data: Float32Array }, i: number) => t.data.subarray(i * width, (i + 1) * width);
    const scores = view!.scores[1]!;
    expect(scores.neighbours).toHaveLength(3);
    for (const n of scores.neighbours) {
      const ref = view!.references[n.reference]!;
      const example = (await client.run(examples[ref.sentence]!.text, undefined, api))!;
      expect(example.tokens[ref.token]).toBe(ref.piece);
      expect(n.cosine).toBeCloseTo(
        cosine(row(target.hiddenStates[2]!, 1), row(example.hiddenStates[2]!, ref.token)),
        5,
      );
    }
    expect(view!.scores[0]).toBeNull();
    expect(view!.tags[0]).toBe('O');
    expect(view!.tags).toHaveLength(view!.tokens.length);
    await expect(client.tagView(job.id + 999, 2, 3)).rejects.toThrow('that tagging is gone');
  });

  it('stops on cancel, and says what is missing in the examples', async () => {
    const many = Array.from({ length: 30 }, () => examples[0]!);
    const job = client.tag({ examples: many, text: 'hello', layer: 1, k: 1 }, () => undefined);
    await client.cancel(job.id);
    expect(await job.done).toEqual({ cancelled: true });
    await expect(
      client.tag({ examples: [{ text: 'no spans', spans: [] }], text: 'x', layer: 1, k: 1 }, () => undefined)
        .done,
    ).rejects.toThrow('mark at least one span');
  });
});

/** A probe's result and every progress event it sent, in order. */
async function probed(task: ProbeTask) {
  const events: LinesProgress[] = [];
  const { done } = client.probe(task, (p) => events.push(p));
  const { result, cancelled } = await done;
  expect(cancelled).toBe(false);
  return { result: result!, events };
}

/** Progress that counts up by one from 1 to `total`, every event naming the same total. */
function expectSteps(events: LinesProgress[], total: number): void {
  expect(events.map((e) => e.done)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  for (const e of events) expect(e.total).toBe(total);
}

const SENTENCES = [
  { label: 'a', text: 'the cat' },
  { label: 'a', text: 'the dog' },
  { label: 'b', text: 'hello world' },
  { label: 'b', text: 'hello' },
  { label: 'b', text: 'hello there' },
];

describe('probe', () => {
  it('gives one accuracy in [0, 1] per hidden state for a token task and a sentence task', async () => {
    const { result: tokens } = await probed({ task: 'token', examples });
    expect(tokens.accuracyPerLayer).toHaveLength(4);
    for (const a of tokens.accuracyPerLayer) expect(a >= 0 && a <= 1).toBe(true);
    expect(tokens.folds).toBe(3); // one per sentence
    expect(tokens.classes.toSorted()).toEqual(['LOC', 'O', 'ORG', 'PER']);
    const { result: sentences } = await probed({ task: 'sentence', pooling: 'mean', examples: SENTENCES });
    expect(sentences.accuracyPerLayer).toHaveLength(4);
    expect(sentences.chance).toBeCloseTo(3 / 5, 10);
    expect(sentences.folds).toBe(5);
  });

  it('reports each example sentence run and then each of the 4 hidden states probed, ending at the total', async () => {
    expectSteps((await probed({ task: 'token', examples })).events, examples.length + 4);
    expectSteps(
      (await probed({ task: 'sentence', pooling: 'mean', examples: SENTENCES })).events,
      SENTENCES.length + 4,
    );
  });

  it('stops on cancel, without a result', async () => {
    const many = Array.from({ length: 30 }, () => examples[0]!);
    const events: LinesProgress[] = [];
    const job = client.probe({ task: 'token', examples: many }, (p) => events.push(p));
    await client.cancel(job.id);
    expect(await job.done).toEqual({ cancelled: true });
    expect(events.length).toBeLessThan(many.length + 4);
  });
});
