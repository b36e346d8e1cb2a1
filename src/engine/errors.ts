/**
 * Every failure the engine reports is an EngineError with a stable `code` and a message a person can act on,
 * naming the file involved. The UI and the CLI show `message` as is.
 */
export type EngineErrorCode =
  | 'missing-file'
  | 'invalid-file'
  | 'not-albert'
  | 'unsupported-graph'
  | 'network'
  | 'backend'
  | 'input'
  | 'cancelled';

export class EngineError extends Error {
  override readonly name = 'EngineError';

  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}

/** The message of anything thrown, for wrapping third-party errors. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
