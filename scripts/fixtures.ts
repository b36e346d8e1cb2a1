/**
 * `npm run fixtures` writes the bundled test model, public/models/albert-tiny-random/: seeded random weights in
 * ALBERT's real architecture and export layout, in both export kinds, at opsets 11/14/17, in fp32, fp16 and q8.
 * `npm run fixtures -- --shape base` writes a random model with albert-base-v2's sizes to .cache/models/ for
 * benchmarks. Output is byte-identical on every run.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { buildAlbertModel, type ExportKind } from './fixtures/albertGraph.ts';
import { convertToFloat16 } from './fixtures/float16.ts';
import { quantizeDynamic } from './fixtures/quantize.ts';
import { tokenizerConfig, tokenizerJson, unigramVocab } from './fixtures/tokenizerJson.ts';
import { randomCheckpoint, type AlbertShape } from './fixtures/weights.ts';
import { FIXTURE_VARIANTS, type FixtureVariant } from './fixtures/variants.ts';
import { writeManifest } from './lib/manifest.ts';

const { onnx } = onnxProto;

function albertConfig(shape: AlbertShape, architecture: string): object {
  return {
    // Read by the playground to label every view of this model as meaningless (random weights).
    albert_playground_random_weights: true,
    architectures: [architecture],
    model_type: 'albert',
    ...shape,
    num_hidden_groups: 1,
    inner_group_num: 1,
    hidden_act: 'gelu_new',
    hidden_dropout_prob: 0,
    attention_probs_dropout_prob: 0,
    classifier_dropout_prob: 0.1,
    initializer_range: 0.02,
    position_embedding_type: 'absolute',
    pad_token_id: 0,
    bos_token_id: 2,
    eos_token_id: 3,
  };
}

function buildVariant(
  shape: AlbertShape,
  seed: number,
  kind: ExportKind,
  opset: number,
  dtype: FixtureVariant['dtype'],
) {
  const bytes = buildAlbertModel(shape, randomCheckpoint(shape, seed), { kind, opset });
  if (dtype === 'fp32') return bytes;
  const model = onnx.ModelProto.decode(bytes);
  if (dtype === 'fp16') convertToFloat16(model);
  else quantizeDynamic(model);
  return onnx.ModelProto.encode(model).finish();
}

function writeFolder(dir: string, shape: AlbertShape, architecture: string, note: string) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const json = (file: string, value: object) =>
    writeFileSync(join(dir, file), `${JSON.stringify(value, null, 2)}\n`);
  json('config.json', albertConfig(shape, architecture));
  json('tokenizer.json', tokenizerJson());
  json('tokenizer_config.json', tokenizerConfig());
  writeFileSync(join(dir, 'README.md'), note);
}

const SEED = 20261128;
const DEFAULT_TINY_DIR = 'public/models/albert-tiny-random';

function tiny(dir: string) {
  const shape: AlbertShape = {
    vocab_size: unigramVocab().length,
    embedding_size: 16,
    hidden_size: 32,
    num_hidden_layers: 3,
    num_attention_heads: 4,
    intermediate_size: 64,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
  };
  writeFolder(
    dir,
    shape,
    'AlbertForMaskedLM',
    "# albert-tiny-random\n\nRANDOM WEIGHTS, for tests only: ALBERT's architecture and ONNX export layout with seeded " +
      'random weights (`npm run fixtures`). Its vectors, similarities and predictions mean nothing.\n\n' +
      '`onnx/model*.onnx` are fill-mask exports at opset 14; `onnx/variants/` holds the other export kinds, opsets and dtypes.\n',
  );
  for (const v of FIXTURE_VARIANTS) {
    const path = join(dir, v.file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, buildVariant(shape, SEED, v.kind, v.opset, v.dtype));
  }
  if (dir === DEFAULT_TINY_DIR) writeManifest();
  console.log(`wrote ${dir} (${FIXTURE_VARIANTS.length} ONNX files)`);
}

function base(dir: string) {
  const shape: AlbertShape = {
    vocab_size: 30000,
    embedding_size: 128,
    hidden_size: 768,
    num_hidden_layers: 12,
    num_attention_heads: 12,
    intermediate_size: 3072,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
  };
  writeFolder(
    dir,
    shape,
    'AlbertForMaskedLM',
    "# albert-base-random\n\nRandom weights in albert-base-v2's shape, for benchmarks.\n",
  );
  writeFileSync(join(dir, 'onnx/model.onnx'), buildVariant(shape, SEED, 'fill-mask', 14, 'fp32'));
  console.log(`wrote ${dir}`);
}

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const shapeArg = option('--shape') ?? 'tiny';
if (shapeArg === 'tiny') tiny(option('--out') ?? DEFAULT_TINY_DIR);
else if (shapeArg === 'base') base(option('--out') ?? '.cache/models/albert-base-random');
else {
  console.error(`fixtures: unknown --shape ${shapeArg} (expected tiny or base)`);
  process.exit(2);
}
