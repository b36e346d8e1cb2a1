/** The committed test models are exactly what `npm run fixtures` writes, byte for byte, and stay small. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const MODELS = 'public/models';
const FOLDERS = ['albert-tiny-random', 'paraphrase-albert-tiny-random'];

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .toSorted();
}

// 25 ONNX files of 0.06-0.24 MB each plus tokenizers and configs: 3.85 MB in all today.
it('regenerates byte-identical files in both model folders, under 5 MB in all', () => {
  const out = mkdtempSync(join(tmpdir(), 'albert-fixtures-'));
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/fixtures.ts', '--out', out], { stdio: 'pipe' });
  expect(readdirSync(out).toSorted()).toEqual(FOLDERS);
  let total = 0;
  for (const folder of FOLDERS) {
    const committed = join(MODELS, folder);
    expect(files(join(out, folder))).toEqual(files(committed));
    for (const f of files(committed)) {
      expect(readFileSync(join(out, folder, f)).equals(readFileSync(join(committed, f))), f).toBe(true);
      total += statSync(join(committed, f)).size;
    }
  }
  expect(total).toBeLessThan(5 * 1024 * 1024);
  rmSync(out, { recursive: true });
});
