import { describe, expect, it } from 'vitest';
import { parseNpy } from '../testing/npyParser.ts';
import { attentionsNpy, hiddenStatesNpy, projectorFiles } from './runFiles.ts';

const t = (values: number[], dims: number[]) => ({ data: Float32Array.from(values), dims });
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('run export files', () => {
  it('stacks hidden states (layers, tokens, hidden) and attentions (layers, heads, tokens, tokens)', () => {
    const hidden = parseNpy(hiddenStatesNpy([t([1, 2, 3, 4], [2, 2]), t([5, 6, 7, 8], [2, 2])]).bytes);
    expect(hidden.shape).toEqual([2, 2, 2]);
    expect(hidden.values).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseNpy(attentionsNpy([t([1, 0, 0, 1], [1, 2, 2])]).bytes).shape).toEqual([1, 1, 2, 2]);
  });

  it('writes the Projector pair, naming each token’s segment by its text and escaping tabs', () => {
    const [vectors, metadata] = projectorFiles(
      t([0.5, -1, 2, 3], [2, 2]),
      ['▁a\tb', '▁c'],
      [0, 1],
      ['first text', 'second'],
      4,
    );
    expect(vectors!.name).toBe('vectors_layer4.tsv');
    expect(text(vectors!.bytes)).toBe('0.5\t-1\n2\t3\n');
    expect(metadata!.name).toBe('metadata_layer4.tsv');
    expect(text(metadata!.bytes)).toBe('token\tposition\ttext\n▁a\\tb\t0\tfirst text\n▁c\t1\tsecond\n');
  });
});
