/** Runs albert-embed as a user does, in a child process, for the CLI's tests. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { TINY_MODEL } from '../../engine/testing/fixtures.ts';

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The variables that point huggingface_hub (and the CLI) at a cache, a token or offline mode. */
const HUB_VARIABLES = [
  'HF_HOME',
  'HF_HUB_CACHE',
  'HUGGINGFACE_HUB_CACHE',
  'HF_TOKEN',
  'HUGGING_FACE_HUB_TOKEN',
  'HF_TOKEN_PATH',
  'HF_HUB_OFFLINE',
  'TRANSFORMERS_OFFLINE',
];

/**
 * @param options.env added to the environment; without HF_HOME each run gets an empty hub cache of its own (removed
 *   after it), so that no test reads or fills the user's, nor uses their token
 */
export async function cli(
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<Result> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !HUB_VARIABLES.includes(k)),
  );
  const home = options.env?.HF_HOME ? undefined : mkdtempSync(join(tmpdir(), 'albert-hf-home-'));
  try {
    return await new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', ...args],
        { env: { ...inherited, ...(home && { HF_HOME: home }), ...options.env }, maxBuffer: 1 << 28 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
      child.stdin!.end(options.input ?? '');
    });
  } finally {
    if (home) rmSync(home, { recursive: true, force: true });
  }
}

/**
 * The bundled random model on WASM, one thread: fast, and the same numbers as an engine loaded the same way
 * (the CLI's default, onnxruntime-node, has kernels of its own).
 */
export const tiny = ['--model', TINY_MODEL, '--threads', '1', '--backend', 'wasm'];

export function expectOneLineError(r: Result, code: number, message: RegExp): void {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
}
