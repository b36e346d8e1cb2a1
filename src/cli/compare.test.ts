/** `albert-embed --compare` end to end: its cosines must be those of two separate engine runs, pooled. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../../scripts/lib/fakeHub.ts';
import { type AlbertRun } from '../engine/albert.ts';
import { pool, type Pooling } from '../engine/pooling.ts';
import { PARAPHRASE_MODEL, TINY_MODEL } from '../engine/testing/fixtures.ts';
import { cli, expectOneLineError, tiny } from './testing/runCli.ts';
import { tinyEngine } from '../engine/testing/tinyEngine.ts';

const TEXT = 'hello world';
const OTHER = 'the cat sat on the mat';

/** Cosine written out here rather than taken from pooling.ts, so that the test checks it too. */
function cosineOf(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    dot += x * b[i]!;
    na += x * x;
    nb += b[i]! * b[i]!;
  });
  return dot / Math.sqrt(na * nb);
}

let text: AlbertRun;
let other: AlbertRun;
beforeAll(async () => {
  const engine = await tinyEngine();
  text = await engine.run(TEXT);
  other = await engine.run(OTHER);
  await engine.dispose();
});

const expectedCosine = (layer: number, pooling: Pooling) =>
  cosineOf(pool(text.hiddenStates[layer]!, pooling), pool(other.hiddenStates[layer]!, pooling));

const compare = (...args: string[]) =>
  cli([...tiny, '--text', TEXT, '--compare', OTHER, ...args]).then((r) => JSON.parse(r.stdout).similarity);

// Sequential tests, each running a few CLIs at once: on a 2-core machine, every CLI of the file at once would
// take most of the per-test timeout.
describe('albert-embed --compare', () => {
  it('adds the cosine of the two texts, each run on its own, at the last layer by default', async () => {
    const r = await cli([...tiny, '--text', TEXT, '--compare', OTHER]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    // The usual output for the text alone, plus the similarity.
    expect(out.tokens).toEqual(['[CLS]', '▁hello', '▁world', '[SEP]']);
    expect(out.layers).toEqual([3]);
    const { similarity } = out;
    expect(Object.keys(similarity).toSorted()).toEqual(['cosine', 'layer', 'perLayer', 'pooling']);
    // This model has no sentence pooling of its own: the default, and the JSON says so.
    expect(similarity.pooling).toEqual({ mode: 'mean', normalize: false, source: 'default' });
    expect(similarity.layer).toBe(3);
    expect(similarity.perLayer).toHaveLength(4);
    similarity.perLayer.forEach((c: number, layer: number) =>
      expect(Math.abs(c - expectedCosine(layer, 'mean'))).toBeLessThan(1e-6),
    );
    expect(Math.abs(similarity.cosine - expectedCosine(3, 'mean'))).toBeLessThan(1e-6);
    // Not a pair: a pair's [CLS] would see both texts, and its cosine differ.
    expect(similarity.cosine).toBeLessThan(0.9999);
  });

  it('--layer 0, -1 and -4 resolve; --pooling cls and max pool as they say', async () => {
    const [first, last, fromEnd, cls, max] = await Promise.all([
      compare('--layer', '0'),
      compare('--layer', '-1'),
      compare('--layer', '-4'),
      compare('--pooling', 'cls', '--layer', '2'),
      compare('--pooling', 'max'),
    ]);
    expect([first.layer, last.layer, fromEnd.layer]).toEqual([0, 3, 0]);
    expect(Math.abs(first.cosine - expectedCosine(0, 'mean'))).toBeLessThan(1e-6);
    expect(first.cosine).toBe(first.perLayer[0]);
    expect(last.cosine).toBe(last.perLayer[3]);
    expect(fromEnd.cosine).toBe(first.cosine);
    expect(cls.pooling).toEqual({ mode: 'cls', normalize: false, source: 'option' });
    expect(Math.abs(cls.cosine - expectedCosine(2, 'cls'))).toBeLessThan(1e-6);
    cls.perLayer.forEach((c: number, layer: number) =>
      expect(Math.abs(c - expectedCosine(layer, 'cls'))).toBeLessThan(1e-6),
    );
    expect(Math.abs(max.cosine - expectedCosine(3, 'max'))).toBeLessThan(1e-6);
  });

  it('reads the text from stdin like the plain command', async () => {
    const r = await cli([...tiny, '--compare', OTHER], { input: TEXT });
    expect(Math.abs(JSON.parse(r.stdout).similarity.cosine - expectedCosine(3, 'mean'))).toBeLessThan(1e-6);
  });

  it('usage errors: with --pair, with npy or tsv, a bad --pooling or --layer', async () => {
    const base = [...tiny, '--text', TEXT, '--compare', OTHER];
    const [pair, npy, tsv, pooling, layer, range, alone] = await Promise.all([
      cli([...base, '--pair', 'x']),
      cli([...base, '--format', 'npy', '--out', '/tmp/never.npy']),
      cli([...base, '--format', 'tsv', '--out', '/tmp/never']),
      cli([...base, '--pooling', 'avg']),
      cli([...base, '--layer', 'last']),
      cli([...base, '--layer', '4']),
      cli([...tiny, '--text', TEXT, '--pooling', 'cls']),
    ]);
    expectOneLineError(
      pair!,
      2,
      /^albert-embed: error: --compare cannot be used with --pair \(see --help\)$/m,
    );
    expectOneLineError(npy!, 2, /--compare prints JSON: it cannot be used with --format npy/);
    expectOneLineError(tsv!, 2, /--compare prints JSON: it cannot be used with --format tsv/);
    expectOneLineError(pooling!, 2, /--pooling must be one of mean, cls, max \(got "avg"\)/);
    expectOneLineError(layer!, 2, /--layer must be a layer index/);
    expectOneLineError(range!, 2, /--layer 4 is out of range: this model has hidden states 0\.\.3/);
    expectOneLineError(alone!, 2, /--pooling applies to --compare and --file/);
  });
});

describe('the model’s own sentence pooling', () => {
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startFakeHub({ 'Xenova/paraphrase-albert-small-v2': TINY_MODEL });
  });
  afterAll(() => hub.close());
  const st = ['--model', PARAPHRASE_MODEL, '--threads', '1'];

  it('a sentence-transformers folder pools as its files say, and the JSON says so', async () => {
    const [own, chosen] = await Promise.all([
      cli([...st, '--text', TEXT, '--compare', OTHER]),
      cli([...st, '--text', TEXT, '--compare', OTHER, '--pooling', 'cls']),
    ]);
    expect(own.code).toBe(0);
    expect(JSON.parse(own.stdout).similarity.pooling).toEqual({
      mode: 'mean',
      normalize: true,
      maxLength: 100,
      source: 'model',
      from: 'modules.json, 1_Pooling/config.json, sentence_bert_config.json',
    });
    expect(JSON.parse(chosen.stdout).similarity.pooling).toEqual({
      mode: 'cls',
      normalize: false,
      source: 'option',
      maxLength: 100,
    });
  });

  it('texts longer than its max_seq_length are cut to it for the comparison, with a note', async () => {
    const long = Array.from({ length: 150 }, () => 'cat').join(' ');
    const r = await cli([...st, '--text', long, '--compare', OTHER]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      "albert-embed: compared texts truncated to 100 tokens (the model's max_seq_length)\n",
    );
    // The printed run is the whole text; only the sentence vector is cut.
    expect(JSON.parse(r.stdout).tokens).toHaveLength(152);
  });

  it('--file writes unit vectors for a model with a Normalize module', async () => {
    const r = await cli([...st, '--file', '-'], { input: 'hello world\nthe cat sat\n' });
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { vector: number[] });
    for (const row of rows) expect(Math.hypot(...row.vector)).toBeCloseTo(1, 5);
    expect(r.stderr).toContain('pooling: mean, normalized, from modules.json, 1_Pooling/config.json');
  });

  it('a known hub repo without sentence-transformers files pools as its model card says', async () => {
    const r = await cli(
      ['--model', 'Xenova/paraphrase-albert-small-v2', '--text', TEXT, '--compare', OTHER],
      {
        env: { HF_ENDPOINT: hub.url },
      },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).similarity.pooling).toMatchObject({ mode: 'mean', source: 'model card' });
  });
});
