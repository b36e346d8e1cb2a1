/** The committed test model is exactly what `npm run fixtures` writes, byte for byte, and stays small. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const COMMITTED = 'public/models/albert-tiny-random';

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .toSorted();
}

it('regenerates byte-identical files, under 2 MB in all', () => {
  const out = mkdtempSync(join(tmpdir(), 'albert-fixtures-'));
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/fixtures.ts', '--out', out], { stdio: 'pipe' });
  expect(files(out)).toEqual(files(COMMITTED));
  for (const f of files(out))
    expect(readFileSync(join(out, f)).equals(readFileSync(join(COMMITTED, f))), f).toBe(true);
  const total = files(COMMITTED).reduce((sum, f) => sum + statSync(join(COMMITTED, f)).size, 0);
  expect(total).toBeLessThan(2 * 1024 * 1024);
  rmSync(out, { recursive: true });
});
