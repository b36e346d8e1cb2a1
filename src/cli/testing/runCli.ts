/** Runs albert-embed as a user does, in a child process, for the CLI's tests. */
import { execFile } from 'node:child_process';
import { expect } from 'vitest';
import { TINY_MODEL } from '../../engine/testing/fixtures.ts';

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { env: { ...process.env, ...options.env }, maxBuffer: 1 << 28 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
    child.stdin!.end(options.input ?? '');
  });
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
