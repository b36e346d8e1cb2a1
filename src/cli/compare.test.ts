/** `albert-embed --compare` end to end: its cosines must be those of two separate engine runs, pooled. */
import { beforeAll, describe, expect, it } from 'vitest';
import { AlbertEngine, type AlbertRun } from '../engine/albert.ts';
import { fsSource } from '../engine/node/fsSource.ts';
import { nodeRuntime } from '../engine/node/runtime.ts';
import { pool, type Pooling } from '../engine/pooling.ts';
import { TINY_MODEL } from '../engine/testing/fixtures.ts';
import { cli, expectOneLineError, tiny } from './testing/runCli.ts';

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
  const engine = await AlbertEngine.load({
    source: await fsSource(TINY_MODEL),
    ...(await nodeRuntime('wasm', 1)),
    backend: 'wasm',
  });
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
    expect(Object.keys(similarity)).toEqual(['cosine', 'pooling', 'layer', 'perLayer']);
    expect(similarity.pooling).toBe('mean');
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
    expect(cls.pooling).toBe('cls');
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
