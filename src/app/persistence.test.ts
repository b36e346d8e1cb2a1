import { describe, expect, it } from 'vitest';
import {
  APPLY_STORAGE_KEY,
  loadSavedApplyInput,
  loadSavedInput,
  MAX_QUERY,
  readUrlState,
  saveApplyInput,
  saveInput,
  STORAGE_KEY,
  writeUrlState,
} from './persistence.ts';
import { memoryStorage } from './testing/memoryStorage.ts';
import { UMAP_DEFAULTS } from '../engine/umapDefaults.ts';

describe('URL state', () => {
  it('round-trips model, backend, dtype, text, pair, layer, view, head, PCA mode and compared texts', () => {
    const state = {
      model: 'Xenova/albert-base-v2',
      backend: 'webgpu',
      dtype: 'q8',
      text: 'a & b = c?',
      pair: 'ünïcode 😀',
      layer: 7,
      view: 'attention',
      head: 11,
      pca: 'paths',
      compare: 'first line\nsecond & line',
      pad: 64,
      mode: 'compare',
      a: 'first',
      b: '',
      pooling: 'max',
    } as const;
    expect(readUrlState(writeUrlState(state))).toEqual(state);
    expect(readUrlState(writeUrlState({ head: 0 }))).toEqual({ head: 0 });
    // Every dtype by name, and a file chosen by path (which a dtype does not override in the link).
    for (const dtype of ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const)
      expect(readUrlState(writeUrlState({ dtype }))).toEqual({ dtype });
    expect(readUrlState(writeUrlState({ file: 'onnx/model_O2.onnx', dtype: 'q8' }))).toEqual({
      file: 'onnx/model_O2.onnx',
    });
    expect(readUrlState('?pooling=auto')).toEqual({ pooling: 'auto' });
  });

  it('round-trips the layout method and UMAP’s settings, leaving the defaults out', () => {
    const state = { method: 'umap', umap: { neighbours: 4, minDist: 0.35, seed: 7 } } as const;
    const query = writeUrlState(state);
    expect(query).toBe('?method=umap&umap=4%2C0.35%2C7');
    expect(readUrlState(query)).toEqual(state);
    expect(readUrlState(writeUrlState({ umap: { neighbours: 15, minDist: 0, seed: 42 } }))).toEqual({
      umap: { neighbours: 15, minDist: 0, seed: 42 },
    });
    expect(writeUrlState({ method: 'pca', umap: { ...UMAP_DEFAULTS } })).toBe('');
  });

  it('ignores UMAP settings that are not three valid numbers', () => {
    for (const umap of [
      '1,0.1,42',
      '4.5,0.1,42',
      '4,1.5,42',
      '4,-0.1,42',
      '4,0.1,-1',
      '4,0.1,1.5',
      '4,0.1',
      '4,0.1,7,8',
      '4,,7',
      'x,0.1,7',
      '',
    ])
      expect(readUrlState(`?umap=${encodeURIComponent(umap)}`)).toEqual({});
    expect(readUrlState('?method=tsne')).toEqual({});
    expect(readUrlState('?method=umap&umap=2,1,0')).toEqual({
      method: 'umap',
      umap: { neighbours: 2, minDist: 1, seed: 0 },
    });
  });

  it('leaves defaults out and ignores values it does not know', () => {
    expect(
      writeUrlState({
        backend: 'auto',
        dtype: 'auto',
        view: 'embeddings',
        head: 'mean',
        pca: '2d',
        pooling: 'auto',
      }),
    ).toBe('');
    expect(
      readUrlState(
        '?backend=cuda&dtype=int4&layer=-2&layer2=3&view=x&head=-1&pca=4d&pad=-3&mode=x&pooling=sum&file=../x.onnx',
      ),
    ).toEqual({});
  });

  it('leaves a text too long for a link out of it (local storage keeps it), the rest of the state in', () => {
    const long = 'the quick brown fox '.repeat(500);
    const query = writeUrlState({ model: 'Xenova/albert-base-v2', text: long, pair: 'short', layer: 3 });
    expect(query.length).toBeLessThanOrEqual(MAX_QUERY + 1);
    expect(readUrlState(query)).toEqual({ model: 'Xenova/albert-base-v2', pair: 'short', layer: 3 });
    // Just under the limit, it stays.
    const fits = 'x'.repeat(MAX_QUERY - 'text='.length);
    expect(readUrlState(writeUrlState({ text: fits }))).toEqual({ text: fits });
  });

  it('keeps an empty text as a text', () => {
    expect(readUrlState('?text=')).toEqual({ text: '' });
  });
});

describe('saved input', () => {
  it('keeps the applications’ long inputs (the tagging boxes too), and ignores what is not text', () => {
    const storage = memoryStorage();
    const input = {
      linesText: 'a\nb',
      examplesText: 'pos: good',
      classifyText: 'fine',
      tagExamplesText: '[Paris](LOC) is big.',
      tagText: 'Ada went to Rome.',
    };
    saveApplyInput(storage, input);
    expect(loadSavedApplyInput(storage)).toEqual(input);
    storage.setItem(APPLY_STORAGE_KEY, JSON.stringify({ linesText: 4, classifyText: 'x', tagText: ['y'] }));
    expect(loadSavedApplyInput(storage)).toEqual({ classifyText: 'x' });
    // Saved before the tagging boxes were kept: the others come back, the tagging boxes keep their defaults.
    storage.setItem(
      APPLY_STORAGE_KEY,
      JSON.stringify({ linesText: 'l', examplesText: 'e', classifyText: 'c' }),
    );
    expect(loadSavedApplyInput(storage)).toEqual({ linesText: 'l', examplesText: 'e', classifyText: 'c' });
    storage.setItem(APPLY_STORAGE_KEY, '{oops');
    expect(loadSavedApplyInput(storage)).toEqual({});
  });

  it('survives a round trip through storage', () => {
    const storage = memoryStorage();
    saveInput(storage, { text: 'hello', pair: 'world', pairEnabled: true });
    expect(loadSavedInput(storage)).toEqual({ text: 'hello', pair: 'world', pairEnabled: true });
  });

  it('tolerates storage that is full, missing or holds something else', () => {
    expect(() => saveInput(memoryStorage(true), { text: 'x', pair: '', pairEnabled: false })).not.toThrow();
    expect(loadSavedInput(undefined)).toBeUndefined();
    const storage = memoryStorage();
    storage.setItem(STORAGE_KEY, '{not json');
    expect(loadSavedInput(storage)).toBeUndefined();
    storage.setItem(STORAGE_KEY, JSON.stringify({ text: 3 }));
    expect(loadSavedInput(storage)).toBeUndefined();
  });
});
