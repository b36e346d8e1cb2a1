/** The offline plan the build writes into sw.js: every site file but the models, with revisions that change. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServiceWorker, offlinePlan } from './serviceWorker.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function site(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'albert-plan-'));
  dirs.push(dir);
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  return dir;
}

const files = {
  'index.html': '<title>one</title>',
  'assets/index-AbCd1234.js': 'app',
  'assets/ort-wasm-simd-threaded-XyZ12345.wasm': 'wasm',
  'assets/ort-wasm-simd-threaded-Qq123456.mjs': 'loader',
  'models/manifest.json': '{}',
  'models/tiny/onnx/model.onnx': 'weights',
  'sw.js': 'old worker',
};

describe('offlinePlan', () => {
  it('keeps the shell at install, the WebAssembly when used, and never the models or the worker itself', () => {
    const plan = offlinePlan(site(files));
    expect(plan.shell.map((f) => f.url)).toEqual([
      '/assets/index-AbCd1234.js',
      '/assets/ort-wasm-simd-threaded-Qq123456.mjs',
      '/index.html',
    ]);
    expect(plan.runtime).toEqual(['/assets/ort-wasm-simd-threaded-XyZ12345.wasm']);
    // A hashed file's name is its revision; the page's is its content's hash.
    expect(plan.shell[0]!.revision).toBe('assets/index-AbCd1234.js');
    expect(plan.shell[2]!.revision).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives a new version when only the page changes, and the same version for the same files', () => {
    const one = offlinePlan(site(files));
    expect(offlinePlan(site(files))).toEqual(one);
    const two = offlinePlan(site({ ...files, 'index.html': '<title>two</title>' }));
    expect(two.version).not.toBe(one.version);
    expect(two.shell[2]!.revision).not.toBe(one.shell[2]!.revision);
  });

  it('writes sw.js as one classic script with the plan in it', async () => {
    const dir = site(files);
    await buildServiceWorker(dir);
    const script = readFileSync(join(dir, 'sw.js'), 'utf8');
    // A classic service worker: no module syntax.
    expect(script).not.toMatch(/^\s*(import|export)\s/m);
    expect(script).toContain(offlinePlan(dir).version);
    expect(script).toContain('/assets/ort-wasm-simd-threaded-XyZ12345.wasm');
  });
});
