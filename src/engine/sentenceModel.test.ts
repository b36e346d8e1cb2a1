/**
 * A sentence-transformers folder's own files decide how sentence vectors are made; a folder without them
 * keeps the default, and a broken or unsupported layout says which file is wrong.
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from './errors.ts';
import type { ModelSource } from './modelSource.ts';
import { pool } from './pooling.ts';
import {
  DEFAULT_POOLING,
  readSentenceLayout,
  readSentencePooling,
  resolvePooling,
  sentenceVector,
  sentenceVectors,
  type SentencePooling,
} from './sentenceModel.ts';

/** A folder in memory; `reads` records what was asked for. */
function memory(files: Record<string, unknown>): ModelSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    id: 'memory/',
    reads,
    async read(path) {
      reads.push(path);
      if (!(path in files)) throw new EngineError('missing-file', `${path} is missing`, path);
      const value = files[path];
      return new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
    },
  };
}

const MODULES = [
  { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
  { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
  { idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' },
];
const modes = (on: string) => ({
  pooling_mode_cls_token: on === 'cls',
  pooling_mode_mean_tokens: on === 'mean',
  pooling_mode_max_tokens: on === 'max',
  pooling_mode_mean_sqrt_len_tokens: on === 'sqrt',
});

describe('readSentenceLayout', () => {
  it('reads pooling, normalization and max_seq_length from the layout', async () => {
    const source = memory({
      'modules.json': MODULES,
      '1_Pooling/config.json': modes('cls'),
      'sentence_bert_config.json': { max_seq_length: 100 },
    });
    expect(await readSentenceLayout(source, undefined)).toEqual({
      mode: 'cls',
      normalize: true,
      maxLength: 100,
      source: 'model',
      from: 'modules.json, 1_Pooling/config.json, sentence_bert_config.json',
    });
  });

  it('without a Normalize module or a max length, neither applies', async () => {
    const source = memory({ 'modules.json': MODULES.slice(0, 2), '1_Pooling/config.json': modes('mean') });
    expect(await readSentenceLayout(source, undefined)).toEqual({
      mode: 'mean',
      normalize: false,
      source: 'model',
      from: 'modules.json, 1_Pooling/config.json',
    });
  });

  it('a folder without modules.json has no layout; a listing without it costs no request', async () => {
    expect(await readSentenceLayout(memory({}), undefined)).toBeUndefined();
    const listed = memory({});
    expect(await readSentenceLayout(listed, [{ path: 'config.json' }])).toBeUndefined();
    expect(listed.reads).toEqual([]);
  });

  it('a file that cannot be read without a listing (offline, an old cache) means no layout, not a failure', async () => {
    const offline: ModelSource = {
      id: 'cache/',
      read: async (path) => {
        throw new EngineError('network', `could not download ${path}`, path);
      },
    };
    expect(await readSentenceLayout(offline, undefined)).toBeUndefined();
  });

  it('names the broken file: bad JSON, or a pooling the playground does not do', async () => {
    await expect(readSentenceLayout(memory({ 'modules.json': '[{' }), undefined)).rejects.toThrow(
      /^modules\.json is not valid JSON/,
    );
    await expect(
      readSentenceLayout(
        memory({ 'modules.json': MODULES, '1_Pooling/config.json': modes('sqrt') }),
        undefined,
      ),
    ).rejects.toThrow(
      '1_Pooling/config.json: pooling pooling_mode_mean_sqrt_len_tokens is not supported (the playground pools by one of mean, cls or max)',
    );
  });
});

describe('readSentencePooling', () => {
  it('a known hub repo without sentence-transformers files pools as its card says, by source or by hub.json', async () => {
    const card = { mode: 'mean', maxLength: 100, source: 'model card' };
    const hub = { ...memory({}), repo: 'Xenova/paraphrase-albert-small-v2' };
    expect(await readSentencePooling(hub, undefined)).toMatchObject(card);
    const fetched = memory({ 'hub.json': { repo: 'Xenova/paraphrase-albert-base-v2', revision: 'main' } });
    expect(await readSentencePooling(fetched, [{ path: 'hub.json' }])).toMatchObject(card);
    // A repo that is not a sentence model, and a folder that says nothing, keep the default.
    expect(
      await readSentencePooling({ ...memory({}), repo: 'Xenova/albert-base-v2' }, undefined),
    ).toBeUndefined();
    expect(await readSentencePooling(memory({}), [])).toBeUndefined();
  });

  it('the folder’s own files win over the card', async () => {
    const source = {
      ...memory({ 'modules.json': MODULES.slice(0, 2), '1_Pooling/config.json': modes('cls') }),
      repo: 'Xenova/paraphrase-albert-small-v2',
    };
    expect(await readSentencePooling(source, undefined)).toMatchObject({ mode: 'cls', source: 'model' });
  });
});

describe('resolvePooling and sentence vectors', () => {
  const model: SentencePooling = { mode: 'mean', normalize: true, maxLength: 100, source: 'model' };

  it('auto takes the model’s own, else the default; an explicit choice is raw but keeps the length', () => {
    expect(resolvePooling('auto', model)).toBe(model);
    expect(resolvePooling('auto', undefined)).toBe(DEFAULT_POOLING);
    expect(resolvePooling('cls', model)).toEqual({
      mode: 'cls',
      normalize: false,
      source: 'option',
      maxLength: 100,
    });
    expect(resolvePooling('max', undefined)).toEqual({ mode: 'max', normalize: false, source: 'option' });
  });

  it('normalizes when the model does, and only then', () => {
    const hidden = { data: Float32Array.from([3, 0, 0, 4, 1, 1]), dims: [3, 2] };
    const raw = pool(hidden, 'mean');
    expect(Array.from(sentenceVector(hidden, DEFAULT_POOLING))).toEqual(Array.from(raw));
    const unit = sentenceVector(hidden, model);
    expect(Math.hypot(...unit)).toBeCloseTo(1, 6);
    expect(unit[0]! / unit[1]!).toBeCloseTo(raw[0]! / raw[1]!, 6);
    // A batch: each text's own rows (the padding row of the second is left out).
    const batch = { data: Float32Array.from([3, 4, 0, 0, 6, 8, 9, 9]), dims: [2, 2, 2] };
    const [a, b] = sentenceVectors(batch, [1, 1], model);
    expect(Array.from(a!)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(Array.from(b!)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
  });
});
