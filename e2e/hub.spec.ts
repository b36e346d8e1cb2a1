/**
 * The hub's real ALBERT repos as people find them, imitated with the bundled fixtures: each repo laid out as
 * ../shared/MODELS.md lists it (its file names, and the sizes the hub lists, over small random weights). The
 * panel offers what each repo really has; every dtype loads on WASM, and on WebGPU where it runs there, with the
 * numbers of the same file in Node; an ORT-optimized file that fuses attention shows its hidden states and says
 * why it has no maps; a sentence-transformers repo's own pooling is used, and compare mode offers to switch to
 * a sentence-embedding ALBERT.
 */
import { expect, test, type Page } from '@playwright/test';
import { startFakeHub, type FakeHub } from '../scripts/lib/fakeHub.ts';
import { CATALOGUE } from '../src/engine/catalogue.ts';
import { DTYPE_FACTS, DTYPES, type Dtype } from '../src/engine/dtypes.ts';
import { nested } from '../src/engine/nested.ts';
import { alignedQ4Model } from './fixtures/alignedModel.ts';
import { embedInNode, maxAbsDiff } from './fixtures/nodeEngine.ts';
import { HUB_PORT, Playground } from './fixtures/playground.ts';

const TINY = 'public/models/albert-tiny-random';
const ST = 'public/models/paraphrase-albert-tiny-random';
const MB = 1e6;

const common = (dir: string) => ({
  'config.json': `${dir}/config.json`,
  'tokenizer.json': `${dir}/tokenizer.json`,
  'tokenizer_config.json': `${dir}/tokenizer_config.json`,
});
/** Xenova's fill-mask repos: all eight dtypes, as the 2023 export and the 2025 update wrote them. */
const fillMask = {
  ...common(TINY),
  ...Object.fromEntries(DTYPES.map((d) => [DTYPE_FACTS[d].file, `${TINY}/${DTYPE_FACTS[d].file}`])),
};
/** Xenova's feature-extraction exports of the paraphrase models: fp32, q8 and fp16. */
const featureExtraction = {
  ...common(TINY),
  'onnx/model.onnx': `${TINY}/onnx/variants/feature-extraction-opset11-fp32.onnx`,
  'onnx/model_quantized.onnx': `${TINY}/onnx/variants/feature-extraction-opset11-q8.onnx`,
  'onnx/model_fp16.onnx': `${TINY}/onnx/variants/feature-extraction-opset11-fp16.onnx`,
};
const sizes = (mb: Partial<Record<Dtype, number>>) =>
  Object.fromEntries(Object.entries(mb).map(([d, m]) => [DTYPE_FACTS[d as Dtype].file, Math.round(m * MB)]));

let hub: FakeHub;
let aligned: string;
test.beforeAll(async () => {
  aligned = alignedQ4Model();
  hub = await startFakeHub(
    {
      'Xenova/albert-base-v2': fillMask,
      'Xenova/albert-large-v2': fillMask,
      'Xenova/paraphrase-albert-small-v2': featureExtraction,
      'Xenova/paraphrase-albert-base-v2': featureExtraction,
      'sentence-transformers/paraphrase-albert-small-v2': ST,
      'aligned/albert-q4': aligned,
    },
    {
      port: HUB_PORT,
      // The sizes the hub lists for each file (the catalogue's, from the hub's own listings).
      listedSizes: {
        ...Object.fromEntries(CATALOGUE.map((entry) => [entry.repo, sizes(entry.sizesMB)])),
        'sentence-transformers/paraphrase-albert-small-v2': {
          'onnx/model.onnx': 44.6 * MB,
          'onnx/model_O1.onnx': 44.5 * MB,
          'onnx/model_O2.onnx': 79.8 * MB,
          'onnx/model_O3.onnx': 79.8 * MB,
          'onnx/model_O4.onnx': 39.9 * MB,
          'onnx/model_qint8_arm64.onnx': 39.8 * MB,
          'onnx/model_qint8_avx512.onnx': 39.8 * MB,
          'onnx/model_quint8_avx2.onnx': 39.8 * MB,
        },
      },
    },
  );
});
test.afterAll(() => hub.close());

const TEXT = 'The quick brown fox jumps over the lazy dog.';

/** The page's hidden states and attention maps for TEXT, as nested arrays. */
async function embedOnPage(page: Page) {
  const result = await page.evaluate((text) => window.albertPlayground!.embed(text), TEXT);
  return { hiddenStates: result.hiddenStates.map(nested), attentions: result.attentions.map(nested) };
}

/**
 * How far the browser may be from Node on the same file: float32 kernels differ in summation order (1e-4);
 * half precision rounds differently between backends (2e-2); integer files quantize their activations at run
 * time, and one value on a rounding boundary can move a whole row by a quantization step (5e-2).
 */
const TOLERANCE: Record<Dtype, number> = {
  fp32: 1e-4,
  fp16: 2e-2,
  q8: 5e-2,
  int8: 5e-2,
  uint8: 5e-2,
  q4: 1e-3,
  q4f16: 2e-2,
  bnb4: 1e-3,
};

test('a hub repo: the panel offers exactly its eight files with the hub’s sizes and where each runs', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open({ model: 'Xenova/albert-base-v2', backend: 'wasm' });
  await app.waitReady();
  const options = page.getByTestId('model.dtype').locator('option');
  await expect(options).toHaveCount(9);
  await expect(options.nth(1)).toHaveText('fp32 · 45.3 MB · float32 · WebGPU or WASM');
  await expect(options.nth(4)).toHaveText('int8 · 11.8 MB · int8, per tensor, dynamic · WASM only');
  await expect(options.nth(7)).toHaveText(
    'q4f16 · 12.4 MB · 4-bit blocks of 32, float16 activations · WebGPU with shader-f16, or WASM',
  );
  // auto on WASM: fp32, and the badge says what ran and why.
  await expect(page.getByTestId('status.dtype')).toHaveAttribute('data-dtype', 'fp32');
  await expect(page.getByTestId('status.file-reason')).toContainText(
    "auto: fp32 gives the model's exact numbers",
  );
  await expect(page.getByTestId('message.precision')).toHaveCount(0);
  await page.getByTestId('model.dtype-table').locator('summary').click();
  await expect(page.getByTestId('model.dtype-row')).toHaveCount(8);
  await expect(page.getByTestId('model.dtype-row').filter({ hasText: 'bnb4' })).toContainText(
    'MatMulBnb4 has only a CPU kernel',
  );
  await app.shot('hub-dtypes');

  // The catalogue: four models with their sizes; each loads in a click (the others from the hub as well).
  await page.getByTestId('model.catalogue').locator('summary').click();
  await expect(page.getByTestId('model.catalogue-entry')).toHaveCount(4);
  await expect(page.getByTestId('model.catalogue-entry').first()).toContainText(
    '12 layers × 768 · 45.3 MB (fp32) … 11.8 MB (int8)',
  );
  for (const name of ['albert-large-v2', 'paraphrase-albert-base-v2', 'paraphrase-albert-small-v2']) {
    await page.getByTestId(`model.catalogue.${name}`).click();
    await app.waitReady();
    await expect(page).toHaveURL(new RegExp(`model=Xenova%2F${name}`));
  }
  // A repo with three files offers three.
  await expect(options).toHaveCount(4);
  await expect(options.nth(2)).toHaveText('fp16 · 22.4 MB · float16 · WebGPU with shader-f16, or WASM');
  await expect(page).toHaveURL(/model=Xenova%2Fparaphrase-albert-small-v2/);
});

test('every dtype loads on WASM with the numbers of the same file in Node, and says how far from fp32 it is', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const app = new Playground(page);
  await app.open({ model: 'Xenova/albert-base-v2', backend: 'wasm', text: TEXT });
  await app.waitReady();
  for (const dtype of DTYPES) {
    await page.getByTestId('model.dtype').selectOption(dtype);
    await app.waitReady();
    await expect(page.getByTestId('status.dtype')).toHaveAttribute('data-dtype', dtype);
    await expect(page.getByTestId('status.backend')).toHaveAttribute('data-backend', 'wasm');
    await expect(page).toHaveURL(new RegExp(`dtype=${dtype}`));
    const shown = await embedOnPage(page);
    const node = embedInNode(TEXT, undefined, TINY, ['--dtype', dtype]);
    expect(maxAbsDiff(shown.hiddenStates, node.hiddenStates), `${dtype} hidden states`).toBeLessThan(
      TOLERANCE[dtype],
    );
    expect(maxAbsDiff(shown.attentions, node.attentions), `${dtype} attention`).toBeLessThan(
      TOLERANCE[dtype],
    );
    if (dtype === 'fp32') await expect(page.getByTestId('message.precision')).toHaveCount(0);
    else
      await expect(page.getByTestId('message.precision')).toContainText(
        `These numbers come from ${dtype} weights`,
      );
  }
});

test('on WebGPU: float and 4-bit files run there (fp16 with shader-f16); integer and bnb4 files run on WASM and say why', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const app = new Playground(page);
  await app.open({ model: 'Xenova/albert-base-v2', backend: 'webgpu', text: TEXT, dtype: 'fp32' });
  await app.waitReady();
  const f16 = await page.evaluate(
    async () => (await navigator.gpu.requestAdapter())?.features.has('shader-f16') === true,
  );
  const expectRan = async (dtype: Dtype, where: 'webgpu' | 'wasm', why?: string) => {
    await expect(page.getByTestId('status.backend'), dtype).toHaveAttribute('data-backend', where);
    if (why) await expect(page.getByTestId('status.fallback')).toContainText(why);
  };
  const expectNodeNumbers = async (dtype: Dtype, folder = TINY) => {
    const shown = await embedOnPage(page);
    const node = embedInNode(TEXT, undefined, folder, ['--dtype', dtype]);
    const tolerance = TOLERANCE[dtype];
    expect(maxAbsDiff(shown.hiddenStates, node.hiddenStates), `${dtype} hidden states`).toBeLessThan(
      tolerance,
    );
    expect(maxAbsDiff(shown.attentions, node.attentions), `${dtype} attention`).toBeLessThan(tolerance);
  };
  for (const dtype of DTYPES) {
    await page.getByTestId('model.dtype').selectOption(dtype);
    await app.waitReady();
    const support = DTYPE_FACTS[dtype].webgpu;
    if (support === 'no') await expectRan(dtype, 'wasm', `${dtype} weights: `);
    // The bundled 4-bit files have a 16-wide MatMul (K not a multiple of 32), which WebGPU computes wrongly.
    else if (dtype === 'q4' || dtype === 'q4f16')
      await expectRan(dtype, 'wasm', 'not a multiple of their block size 32');
    else if (support === 'shader-f16' && !f16) await expectRan(dtype, 'wasm', 'needs half-precision shaders');
    else await expectRan(dtype, 'webgpu');
    await expectNodeNumbers(dtype);
  }
  // A 4-bit file shaped like every released ALBERT (K a multiple of 32) runs on WebGPU with the right numbers.
  await app.open({ model: 'aligned/albert-q4', backend: 'webgpu', text: TEXT, dtype: 'q4' });
  await app.waitReady();
  await expectRan('q4', 'webgpu');
  await expectNodeNumbers('q4', aligned);
});

test('a sentence-transformers repo: its own pooling, every file it has, and fused files that have no maps', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const app = new Playground(page);
  await app.open({
    model: 'sentence-transformers/paraphrase-albert-small-v2',
    backend: 'wasm',
    mode: 'compare',
  });
  await app.waitReady();
  await expect(page.getByTestId('apply.pooling-source')).toHaveAttribute('data-source', 'model');
  await expect(page.getByTestId('apply.pooling-source')).toContainText('modules.json, 1_Pooling/config.json');
  await expect(page.getByTestId('compare.cosine')).toBeVisible();
  // Trained for similarity: no caveat about raw ALBERT, no offer to switch.
  await expect(page.getByTestId('compare.caveat')).toHaveCount(0);
  await expect(page.getByTestId('compare.switch-model')).toHaveCount(0);
  const options = page.getByTestId('model.dtype').locator('option');
  await expect(options.filter({ hasText: 'model_O2.onnx · 79.8 MB' })).toHaveCount(1);
  await expect(options.filter({ hasText: 'model_qint8_avx512.onnx' })).toHaveCount(1);

  // The fused file: hidden states as the plain file's, and the attention view says why it has none.
  await page.getByTestId('model.dtype').selectOption('file:onnx/model_O2.onnx');
  await app.waitReady();
  await expect(page.getByTestId('compare.pair-unavailable')).toContainText('this file fuses attention');
  await page.getByTestId('mode.inspect').click();
  await app.typeText(TEXT);
  await app.showView('attention');
  await expect(page.getByTestId('attention.unavailable')).toContainText(
    "this file fuses attention (onnxruntime's Attention op), so its attention maps never exist as numbers; load `onnx/model.onnx` to see the maps",
  );
  await expect(page.getByTestId('export.attentions-npy')).toBeDisabled();
  const fused = await page.evaluate((text) => window.albertPlayground!.embed(text), TEXT);
  const plain = embedInNode(TEXT, undefined, ST, ['--no-attentions']);
  expect(maxAbsDiff(fused.hiddenStates.map(nested), plain.hiddenStates)).toBeLessThan(1e-4);
  expect(fused.attentions).toEqual([]);
  expect(fused.attentionUnavailable).toMatch(/^this file fuses attention/);
  await app.shot('fused-attention');
  await page.getByTestId('attention.load-plain').click();
  await app.waitReady();
  await expect(page.getByTestId('chart.attention')).toBeVisible();

  // Every other file the repo has loads too, with the numbers of the same file in Node.
  const files: [string, Dtype, number][] = [
    ['onnx/model_O1.onnx', 'fp32', 1e-4],
    ['onnx/model_O3.onnx', 'fp32', 1e-4],
    ['onnx/model_O4.onnx', 'fp16', 2e-2],
    ['onnx/model_qint8_arm64.onnx', 'q8', 5e-2],
    ['onnx/model_qint8_avx512.onnx', 'q8', 5e-2],
    ['onnx/model_quint8_avx2.onnx', 'q8', 5e-2],
  ];
  for (const [file, kind, tolerance] of files) {
    await page.getByTestId('model.dtype').selectOption(`file:${file}`);
    await app.waitReady();
    await expect(page.getByTestId('status.dtype'), file).toHaveAttribute('data-dtype', kind);
    const shown = await embedOnPage(page);
    const node = embedInNode(TEXT, undefined, ST, ['--model-file', file, '--no-attentions']);
    expect(maxAbsDiff(shown.hiddenStates, node.hiddenStates), file).toBeLessThan(tolerance);
  }
});

test('sentence-transformers files on WebGPU: O1 runs there; a fused file, whose masked Attention WebGPU refuses, runs on WASM and says why', async ({
  page,
}) => {
  const app = new Playground(page);
  for (const [file, where] of [
    ['onnx/model_O1.onnx', 'webgpu'],
    ['onnx/model_O2.onnx', 'wasm'],
  ] as const) {
    await app.open({
      model: 'sentence-transformers/paraphrase-albert-small-v2',
      backend: 'webgpu',
      file,
      text: TEXT,
    });
    await app.waitReady();
    await expect(page.getByTestId('status.backend'), file).toHaveAttribute('data-backend', where);
    if (where === 'wasm')
      await expect(page.getByTestId('status.fallback')).toContainText(
        "its fused Attention takes an attention mask, which onnxruntime-web 1.30's WebGPU Attention kernel refuses",
      );
    const shown = await embedOnPage(page);
    const node = embedInNode(TEXT, undefined, ST, ['--model-file', file, '--no-attentions']);
    expect(maxAbsDiff(shown.hiddenStates, node.hiddenStates), file).toBeLessThan(1e-4);
  }
});

test('compare mode offers a sentence-embedding ALBERT in one click when the model is not one', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open({ model: 'Xenova/albert-base-v2', backend: 'wasm', mode: 'compare' });
  await app.waitReady();
  await expect(page.getByTestId('compare.cosine')).toBeVisible();
  await expect(page.getByTestId('apply.pooling-source')).toHaveAttribute('data-source', 'default');
  await page.getByTestId('compare.switch-model').click();
  await app.waitReady();
  await expect(page).toHaveURL(/model=Xenova%2Fparaphrase-albert-small-v2/);
  await expect(page.getByTestId('apply.pooling-source')).toHaveAttribute('data-source', 'model card');
  await expect(page.getByTestId('compare.switch-model')).toHaveCount(0);
  await expect(page.getByTestId('compare.caveat')).toHaveCount(0);
});
