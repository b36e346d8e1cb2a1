/**
 * Parameter counts against what `AlbertModel.num_parameters()` reports for the released checkpoints (Hugging
 * Face transformers: albert-base-v2 11,683,584; albert-large-v2 17,683,968), and against the tiny model's own
 * ONNX file, whose stored weights are counted here one initializer at a time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModel, toNumber } from './onnx/proto.ts';
import { parameterCounts } from './parameters.ts';
import { TINY_MODEL, tinyConfig } from './testing/fixtures.ts';

const released = { vocab_size: 30000, embedding_size: 128, max_position_embeddings: 512, type_vocab_size: 2 };
const shared = { num_hidden_groups: 1, inner_group_num: 1 };

describe('parameterCounts', () => {
  it('albert-base-v2: 11,683,584, where an unshared BERT of its shape needs 109,081,344', () => {
    const base = { ...released, ...shared, hidden_size: 768, num_hidden_layers: 12, intermediate_size: 3072 };
    expect(parameterCounts(base)).toMatchObject({ total: 11_683_584, unsharedBert: 109_081_344 });
  });

  it('albert-large-v2: 17,683,968', () => {
    const large = {
      ...released,
      ...shared,
      hidden_size: 1024,
      num_hidden_layers: 24,
      intermediate_size: 4096,
    };
    expect(parameterCounts(large).total).toBe(17_683_968);
  });

  it('the tiny model: the weights its ONNX file stores for the encoder, counted one initializer at a time', () => {
    const { graph } = decodeModel(new Uint8Array(readFileSync(join(TINY_MODEL, 'onnx/model.onnx'))), 'tiny');
    // The masked-LM head's weights (read by /predictions/ nodes) and the position-id buffer are not the encoder's;
    // this fill-mask export has no pooler, so it is left out of the sum compared.
    const head = new Set(
      graph.node.filter((n) => n.name?.startsWith('/predictions/')).flatMap((n) => n.input ?? []),
    );
    const stored = graph.initializer
      .filter((t) => !head.has(t.name ?? '') && !t.name?.startsWith('predictions.'))
      .filter((t) => t.name !== 'albert.embeddings.position_ids')
      .reduce((n, t) => n + (t.dims ?? []).map(toNumber).reduce((a, b) => a * b, 1), 0);
    const counts = parameterCounts(tinyConfig() as Parameters<typeof parameterCounts>[0]);
    expect(stored).toBe(counts.embeddings + counts.projection + counts.layers);
  });
});
