/**
 * Whether a hub file's bytes are the ones its listing names. The hub's tree API states each file's size and a
 * hash: an LFS file's SHA-256 (`sha256:<hex>`), a small file's git blob id (`git-sha1:<hex>`, the SHA-1 of
 * `blob <length>\0` and the bytes). Hashing uses the browser's `crypto.subtle`, which only a secure context
 * (https, localhost) has; elsewhere the size alone is checked.
 */
import type { ListedFile } from '../engine/modelSource.ts';

type Algorithm = 'SHA-256' | 'SHA-1';

const ALGORITHMS: Record<string, { algorithm: Algorithm; name: string }> = {
  sha256: { algorithm: 'SHA-256', name: 'SHA-256' },
  'git-sha1': { algorithm: 'SHA-1', name: 'git blob id' },
};

async function hexDigest(algorithm: Algorithm, data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest(algorithm, data as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What git hashes for a blob: its header, then its bytes. */
function gitBlob(bytes: Uint8Array): Uint8Array {
  const header = new TextEncoder().encode(`blob ${bytes.byteLength}\0`);
  const blob = new Uint8Array(header.byteLength + bytes.byteLength);
  blob.set(header);
  blob.set(bytes, header.byteLength);
  return blob;
}

/** The listed hash against the bytes' own, or undefined when none is listed or it cannot be computed here. */
async function compareHash(
  bytes: Uint8Array,
  listed: string | undefined,
): Promise<{ name: string; want: string; got: string } | undefined> {
  const [kind, want] = listed?.split(':') ?? [];
  const known = kind && ALGORITHMS[kind];
  if (!known || !want || !globalThis.crypto?.subtle) return undefined;
  const data = kind === 'git-sha1' ? gitBlob(bytes) : bytes;
  return { name: known.name, want: want.toLowerCase(), got: await hexDigest(known.algorithm, data) };
}

const short = (hex: string) => `${hex.slice(0, 12)}…`;

/**
 * How `bytes` differ from what the listing states of their file, as the end of a sentence that starts with the
 * file's name ("is 10 bytes where the hub lists 20"); undefined when they match or nothing is stated. A listed
 * hash decides when there is one: it names the exact bytes, so a size listed beside it cannot overrule it.
 */
export async function listingMismatch(
  bytes: Uint8Array,
  listed: ListedFile | undefined,
): Promise<string | undefined> {
  if (!listed) return undefined;
  const size =
    listed.size !== undefined && listed.size !== bytes.byteLength
      ? `is ${bytes.byteLength} bytes where the hub lists ${listed.size}`
      : undefined;
  const hash = await compareHash(bytes, listed.hash);
  if (!hash) return size;
  if (hash.got === hash.want) return undefined;
  return size ?? `has ${hash.name} ${short(hash.got)} where the hub lists ${short(hash.want)}`;
}
