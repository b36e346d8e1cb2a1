/**
 * `albert-embed --tag` and `--probe` end to end: an example sentence tagged at k = 1 gets its own tags; the
 * tags and probe accuracies are those of the engine run in this process the same way; usage errors are one line.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbertEngine } from '../engine/albert.ts';
import { DEFAULT_POOLING } from '../engine/sentenceModel.ts';
import { probeSentences, probeTokens, runExamples, runTokens, tagRun } from '../engine/tagRuns.ts';
import { parseTaggedExamples } from '../engine/tagging.ts';
import { cli, expectOneLineError, tiny } from './testing/runCli.ts';
import { tinyEngine } from '../engine/testing/tinyEngine.ts';

const ENTITIES = [
  '[Paris](LOC) is in [France](LOC).',
  '[Barack Obama](PER) met the press.',
  'The [Red Cross](ORG) helped [Ada](PER) in [Rome](LOC).',
  'this line [is broken(LOC)',
].join('\n');
const REVIEWS = [
  'pos: a good film',
  'pos: great fun',
  'neg: a dull film',
  'neg: awful',
  'neg: too long',
].join('\n');

const dir = mkdtempSync(join(tmpdir(), 'albert-tag-'));
const entities = join(dir, 'entities.txt');
const reviews = join(dir, 'reviews.txt');
writeFileSync(entities, ENTITIES);
writeFileSync(reviews, REVIEWS);
const { examples } = parseTaggedExamples(ENTITIES);

let engine: AlbertEngine;
beforeAll(async () => {
  engine = await tinyEngine();
});
afterAll(() => engine.dispose());

const json = async (args: string[], input?: string) => {
  const r = await cli([...tiny, ...args], { input });
  expect(r.code).toBe(0);
  return { out: JSON.parse(r.stdout), stderr: r.stderr };
};

describe('albert-embed --tag', () => {
  it('tags an example sentence with its own tags at k = 1; another text as the engine does; bad lines warned', async () => {
    const own = await json(['--tag', entities, '--k', '1', '--layer', '1', '--text', examples[2]!.text]);
    const O = 'O';
    expect(own.out.tags).toEqual([
      O,
      O,
      'ORG',
      'ORG',
      'ORG',
      'ORG',
      'ORG',
      O,
      O,
      'PER',
      'PER',
      'PER',
      O,
      'LOC',
      'LOC',
      'LOC',
      O,
      O,
    ]);
    expect(own.stderr).toMatch(/line 4 is left out: "\[" at column 11 is not closed by "\]"/);

    // Stdin, the last layer by default, k = 3: the tags of the engine's own run.
    const text = 'Obama visited Rome.';
    const { out } = await json(['--tag', entities], text);
    const expected = tagRun(await runExamples(engine, examples), await runTokens(engine, text), 3, 3);
    expect(out).toMatchObject({
      layer: 3,
      k: 3,
      examples: 3,
      tags: expected.tags,
      centroidTags: expected.centroidTags,
    });
    expect(out.tokens).toEqual([
      '[CLS]',
      '▁o',
      'b',
      'a',
      'ma',
      '▁v',
      'is',
      'it',
      'ed',
      '▁',
      'ro',
      'me',
      '.',
      '[SEP]',
    ]);
    expect(out.tags).toHaveLength(out.tokens.length);
  });

  it('rejects options that do not go with it', async () => {
    expectOneLineError(
      await cli([...tiny, '--tag', entities, '--pair', 'x']),
      2,
      /--tag cannot be used with --pair/,
    );
    expectOneLineError(await cli([...tiny, '--k', '2', '--text', 'x']), 2, /--k applies to --tag/);
    expectOneLineError(
      await cli([...tiny, '--tag', join(dir, 'none.txt'), '--text', 'x']),
      1,
      /--tag .* cannot be read/,
    );
  });
});

describe('albert-embed --probe', () => {
  it('prints one cross-validated accuracy per hidden state and the chance rate, as the engine computes them', async () => {
    const [tokens, sentences] = await Promise.all([
      json(['--probe', entities, '--task', 'token']),
      json(['--probe', reviews, '--task', 'sentence']),
    ]);
    expect(tokens.out).toEqual({
      model: expect.any(String),
      task: 'token',
      ...(await probeTokens(await runExamples(engine, examples))),
    });
    expect(tokens.out.accuracyPerLayer).toHaveLength(4);
    const parsed = REVIEWS.split('\n').map((l) => ({
      label: l.split(':')[0]!,
      text: l.split(':')[1]!.trim(),
    }));
    expect(sentences.out).toMatchObject(await probeSentences(engine, parsed, DEFAULT_POOLING));
    expect(sentences.out.chance).toBeCloseTo(3 / 5, 10);
    for (const a of [...tokens.out.accuracyPerLayer, ...sentences.out.accuracyPerLayer]) {
      expect(a).toBeGreaterThanOrEqual(0);
      expect(a).toBeLessThanOrEqual(1);
    }
  });

  it('needs --task', async () => {
    expectOneLineError(
      await cli([...tiny, '--probe', reviews]),
      2,
      /--probe needs --task sentence or --task token/,
    );
    expectOneLineError(
      await cli([...tiny, '--probe', reviews, '--task', 'x']),
      2,
      /--task must be one of sentence, token/,
    );
  });
});
