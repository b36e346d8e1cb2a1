/**
 * `npm run fixtures` writes the two bundled test models into public/models/ (and the manifest): seeded random
 * weights in ALBERT's real architecture, in every ONNX shape the hub's ALBERT repos ship.
 * - albert-tiny-random imitates Xenova/albert-base-v2 (fill-mask export; fp32/fp16/q8/int8/uint8/q4/q4f16/bnb4),
 *   with onnx/variants/ holding the other export kinds and opsets;
 * - paraphrase-albert-tiny-random imitates sentence-transformers/paraphrase-albert-small-v2 (feature-extraction,
 *   the sentence-transformers layout, ORT-optimized O1-O4 and per-channel quantized files), with 2 layers.
 * `--out DIR` writes both folders under DIR instead (and no manifest). `npm run fixtures -- --shape base` writes a
 * random model with albert-base-v2's sizes to .cache/models/ for benchmarks. Output is byte-identical every run.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildAlbertModel } from './fixtures/albertGraph.ts';
import { tokenizerConfig, tokenizerJson, unigramVocab } from './fixtures/tokenizerJson.ts';
import { PARAPHRASE_FILES, TINY_FILES, type FixtureFile } from './fixtures/variants.ts';
import { randomCheckpoint, type AlbertShape } from './fixtures/weights.ts';
import { sentenceTransformersFiles } from './fixtures/sentenceTransformers.ts';
import { writeManifest } from './lib/manifest.ts';

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

const RANDOM_NOTE =
  "RANDOM WEIGHTS, for tests only: ALBERT's architecture and ONNX export layouts with seeded random weights " +
  '(`npm run fixtures`). Its vectors, similarities and predictions mean nothing.';

const fileList = (files: FixtureFile[], under: string) =>
  files
    .filter((f) => f.file.startsWith(under) && !f.file.slice(under.length).includes('/'))
    .map((f) => `- \`${f.file.slice(under.length)}\`: ${f.imitates}`)
    .join('\n');

interface FolderSpec {
  dir: string;
  shape: AlbertShape;
  seed: number;
  architecture: string;
  readme: string;
  files: FixtureFile[];
  extraJson?: Record<string, object>;
}

function writeFolder(spec: FolderSpec) {
  const { dir } = spec;
  rmSync(dir, { recursive: true, force: true });
  const write = (file: string, data: string | Uint8Array) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), data);
  };
  const json = (file: string, value: object) => write(file, `${JSON.stringify(value, null, 2)}\n`);
  json('config.json', albertConfig(spec.shape, spec.architecture));
  json('tokenizer.json', tokenizerJson());
  json('tokenizer_config.json', tokenizerConfig());
  for (const [file, value] of Object.entries(spec.extraJson ?? {})) json(file, value);
  write('README.md', spec.readme);
  const ckpt = randomCheckpoint(spec.shape, spec.seed);
  for (const f of spec.files) write(f.file, f.build(spec.shape, ckpt));
  console.log(`wrote ${dir} (${spec.files.length} ONNX files)`);
}

const TINY_SHAPE: AlbertShape = {
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

function tiny(modelsDir: string) {
  writeFolder({
    dir: join(modelsDir, 'albert-tiny-random'),
    shape: TINY_SHAPE,
    seed: 20261128,
    architecture: 'AlbertForMaskedLM',
    files: TINY_FILES,
    readme:
      `# albert-tiny-random\n\n${RANDOM_NOTE}\n\nImitates the files of Xenova/albert-base-v2 (fill-mask export, ` +
      `output \`logits\`):\n\n${fileList(TINY_FILES, 'onnx/')}\n\n` +
      '`onnx/variants/` holds the other export kinds, opsets and dtypes (see its README).\n',
  });
  writeFileSync(
    join(modelsDir, 'albert-tiny-random/onnx/variants/README.md'),
    `# onnx/variants\n\nThe same random checkpoint as \`../model.onnx\`, in other shapes:\n\n` +
      `${fileList(TINY_FILES, 'onnx/variants/')}\n`,
  );
  writeFolder({
    dir: join(modelsDir, 'paraphrase-albert-tiny-random'),
    shape: { ...TINY_SHAPE, num_hidden_layers: 2 },
    seed: 20261205,
    architecture: 'AlbertModel',
    files: PARAPHRASE_FILES,
    extraJson: sentenceTransformersFiles(TINY_SHAPE.hidden_size),
    readme:
      `# paraphrase-albert-tiny-random\n\n${RANDOM_NOTE}\n\nImitates sentence-transformers/paraphrase-albert-small-v2: ` +
      'a sentence-embedding model (mean pooling over `last_hidden_state`, then L2 normalization, as `modules.json` ' +
      'and `1_Pooling/config.json` say) in the sentence-transformers layout, with 2 layers so that nothing may ' +
      `assume 3. Its ONNX files:\n\n${fileList(PARAPHRASE_FILES, 'onnx/')}\n`,
  });
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
  writeFolder({
    dir,
    shape,
    seed: 20261128,
    architecture: 'AlbertForMaskedLM',
    files: [
      {
        file: 'onnx/model.onnx',
        imitates: 'a fill-mask export at opset 14',
        build: (s, ckpt) => buildAlbertModel(s, ckpt, { kind: 'fill-mask', opset: 14 }),
      },
    ],
    readme: "# albert-base-random\n\nRandom weights in albert-base-v2's shape, for benchmarks.\n",
  });
}

const DEFAULT_MODELS_DIR = 'public/models';
const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const shapeArg = option('--shape') ?? 'tiny';
if (shapeArg === 'tiny') {
  const out = option('--out') ?? DEFAULT_MODELS_DIR;
  tiny(out);
  if (out === DEFAULT_MODELS_DIR) writeManifest();
} else if (shapeArg === 'base') base(option('--out') ?? '.cache/models/albert-base-random');
else {
  console.error(`fixtures: unknown --shape ${shapeArg} (expected tiny or base)`);
  process.exit(2);
}
