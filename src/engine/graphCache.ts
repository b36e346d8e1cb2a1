/**
 * Surgered graphs kept between visits. Surgery decodes and re-encodes the whole file (tens of milliseconds on
 * albert-base, and the file itself must be read first); a graph kept under the source file's content hash lets
 * a second visit open its session without reading the original at all. The hash is the one the folder's
 * listing states (the hub's SHA-256 or git blob id, the site manifest's SHA-256): hashing the bytes here would
 * cost as much as the surgery it saves, so a folder without hashes (picked from disk) is prepared every time.
 */
import type { PreparedModel } from './onnx/surgery.ts';

export interface GraphCache {
  get(key: string): Promise<PreparedModel | undefined>;
  put(key: string, graph: PreparedModel): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * Bumped whenever surgery gives other bytes or outputs for the same file (surgery.test.ts holds a fingerprint
 * of its output that fails until it is), so that no build opens a graph an older one prepared.
 */
export const SURGERY_FORMAT = 1;

/** A kept graph's key: the format, which graph (lean or full), the layer count surgery used, and the file's hash. */
export function graphKey(hash: string, layers: number, lean: boolean): string {
  return `v${SURGERY_FORMAT}/${lean ? 'lean' : 'full'}/${layers}/${encodeURIComponent(hash)}`;
}
