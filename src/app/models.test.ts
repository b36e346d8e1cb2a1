import { describe, expect, it } from 'vitest';
import { choiceFromParam, withListing, type ManifestEntry } from '../shared/models.ts';
import { defaultModelPlan } from './models.ts';

const HUB = 'https://hub.example';
const entry = (name: string): ManifestEntry => ({
  name,
  path: `/models/${name}/`,
  dtypes: ['fp32'],
  files: [{ path: 'onnx/model.onnx', size: 45_300_000, dtype: 'fp32' }],
  layers: 12,
  hiddenSize: 768,
  randomWeights: false,
});

describe('choiceFromParam', () => {
  it('reads hub ids, folder URLs and site paths', () => {
    expect(choiceFromParam('Xenova/albert-base-v2', HUB).location).toEqual({
      kind: 'hub',
      repo: 'Xenova/albert-base-v2',
      endpoint: HUB,
    });
    expect(choiceFromParam('https://cdn.example/m/', HUB).location).toEqual({
      kind: 'url',
      url: 'https://cdn.example/m/',
    });
    expect(choiceFromParam('/models/albert-tiny-random', HUB)).toMatchObject({
      location: { kind: 'url', url: '/models/albert-tiny-random/' },
      param: '/models/albert-tiny-random/',
    });
  });
});

describe('defaultModelPlan', () => {
  it('prefers albert-base-v2 served with the site', () => {
    const plan = defaultModelPlan([entry('albert-tiny-random'), entry('albert-base-v2')], true, HUB);
    expect(plan.choice.location).toEqual({ kind: 'url', url: '/models/albert-base-v2/' });
    expect(plan.fallback).toBeUndefined();
  });

  it('then the hub, falling back to the bundled model with the reason', () => {
    const plan = defaultModelPlan([entry('albert-tiny-random')], true, HUB);
    expect(plan.choice.location).toEqual({ kind: 'hub', repo: 'Xenova/albert-base-v2', endpoint: HUB });
    expect(plan.fallback!.choice.location).toEqual({ kind: 'url', url: '/models/albert-tiny-random/' });
    expect(plan.fallback!.banner('HTTP 503')).toMatch(
      /^Could not load Xenova\/albert-base-v2 from the hub \(HTTP 503\)\..*random/,
    );
  });

  it('offline, goes straight to the bundled model and says why', () => {
    const plan = defaultModelPlan([], false, HUB);
    expect(plan.choice.location).toEqual({ kind: 'url', url: '/models/albert-tiny-random/' });
    expect(plan.banner).toMatch(/offline/);
  });
});

describe('withListing', () => {
  it('a site folder goes to the worker with the manifest listing (with hashes); others go as they are', () => {
    const listing = [{ path: 'onnx/model.onnx', size: 5, hash: 'sha256:ab' }];
    const manifest = [{ ...entry('x'), listing }];
    expect(withListing({ kind: 'url', url: '/models/x/' }, manifest)).toEqual({
      kind: 'url',
      url: '/models/x/',
      listing,
    });
    expect(withListing({ kind: 'url', url: '/models/y/' }, manifest)).toEqual({
      kind: 'url',
      url: '/models/y/',
    });
    const hub = { kind: 'hub', repo: 'o/m', endpoint: 'https://hub.example' } as const;
    expect(withListing(hub, manifest)).toBe(hub);
  });
});
