/**
 * `npm run models:fetch -- <owner/name> [--dtype <dtype>|all] [--name <folder>]`: downloads an ALBERT repo
 * from the Hugging Face hub (HF_ENDPOINT for another host) into public/models/<name>/ (ALBERT_MODELS_DIR for
 * another folder), so the site serves it: config, tokenizer, the sentence-transformers files when the repo has
 * them, and the ONNX file of one dtype (any of the eight) or, with `all`, of every dtype the repo lists.
 * Each file streams to a temporary name with a progress bar on stderr, is checked against the size and the
 * SHA-256 the hub announces (X-Linked-Size / X-Linked-Etag for LFS files), and only then renamed into place.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DTYPE_FACTS, DTYPES, isDtype } from '../src/engine/dtypes.ts';
import { PROVENANCE_FILE, SENTENCE_LAYOUT_FILES } from '../src/engine/layoutFiles.ts';
import { hubBaseUrl, hubSource, isHubId, type ListedFile } from '../src/engine/modelSource.ts';
import { bytesOf, Progress } from '../src/cli/progress.ts';
import { formatBytes } from '../src/shared/format.ts';
import { writeManifest } from './lib/manifest.ts';

class FetchError extends Error {}

/** Downloads one file to `temp`, verifying it; returns its size, or undefined for a missing optional file. */
async function download(
  url: string,
  file: string,
  temp: string,
  optional = false,
): Promise<number | undefined> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new FetchError(`could not reach ${url}: ${(error as Error).message}`);
  }
  if (response.status === 404 && optional) return undefined;
  if (response.status === 404) throw new FetchError(`${file} does not exist at ${url} (HTTP 404)`);
  if (!response.ok || !response.body)
    throw new FetchError(`downloading ${url} failed: HTTP ${response.status}`);
  const announced = Number(response.headers.get('x-linked-size') ?? response.headers.get('content-length'));
  const total = Number.isFinite(announced) && announced > 0 ? announced : undefined;
  const expectedSha = /^"?([0-9a-f]{64})"?$/.exec(response.headers.get('x-linked-etag') ?? '')?.[1];
  mkdirSync(dirname(temp), { recursive: true });
  const out = createWriteStream(temp);
  const hash = createHash('sha256');
  let loaded = 0;
  // The CLI's progress: in place on a terminal, a line every few seconds otherwise, and a final line.
  const progress = new Progress({
    total,
    write: (text) => process.stderr.write(text),
    tty: process.stderr.isTTY === true,
    describe: bytesOf(file),
    prefix: 'models:fetch: ',
  });
  for await (const chunk of response.body) {
    hash.update(chunk);
    loaded += chunk.byteLength;
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    progress.update(loaded);
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  progress.finish(loaded);
  if (total !== undefined && loaded !== total)
    throw new FetchError(
      `${file}: received ${loaded} bytes, the hub announced ${total} (download cut short?)`,
    );
  const sha = hash.digest('hex');
  if (expectedSha && sha !== expectedSha)
    throw new FetchError(
      `${file}: SHA-256 ${sha} does not match the hub's ${expectedSha} (corrupt download)`,
    );
  return loaded;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { dtype: { type: 'string', default: 'fp32' }, name: { type: 'string' } },
  });
  const repo = positionals[0];
  const usage = `usage: npm run models:fetch -- <owner/name> [--dtype ${DTYPES.join('|')}|all] [--name <folder>]`;
  if (!repo || !isHubId(repo) || positionals.length > 1) throw new FetchError(usage);
  if (values.dtype !== 'all' && !isDtype(values.dtype!))
    throw new FetchError(`--dtype must be one of ${DTYPES.join(', ')} or all (got "${values.dtype}")`);
  const name = values.name ?? repo.split('/')[1]!;
  const modelsDir = process.env.ALBERT_MODELS_DIR ?? 'public/models';
  const dest = join(modelsDir, name);
  const temp = join(modelsDir, `.${name}.partial-${process.pid}`);
  const base = hubBaseUrl(repo, process.env.HF_ENDPOINT);
  // The listing says which dtypes and sentence-transformers files the repo has. Without one, the dtype files and
  // the usual sentence-transformers files are tried, and those the repo lacks are skipped.
  let listed: ListedFile[] | undefined;
  try {
    listed = await hubSource(repo, process.env.HF_ENDPOINT).list!();
  } catch (error) {
    console.error(
      `models:fetch: could not list ${repo} (${(error as Error).message}): trying the usual file names`,
    );
  }
  const has = (path: string) => !listed || listed.some((f) => f.path === path);
  const onnx =
    values.dtype === 'all'
      ? DTYPES.map((d) => DTYPE_FACTS[d].file).filter(has)
      : [DTYPE_FACTS[values.dtype as keyof typeof DTYPE_FACTS].file];
  const required = [
    'config.json',
    'tokenizer.json',
    'tokenizer_config.json',
    ...(values.dtype === 'all' && !listed ? [] : onnx),
  ];
  const optional = [
    ...SENTENCE_LAYOUT_FILES.filter(has),
    ...(listed?.map((f) => f.path).filter((p) => /^[2-9]\d*_Pooling\/config\.json$/.test(p)) ?? []),
    ...(values.dtype === 'all' && !listed ? onnx : []),
  ];
  console.error(`models:fetch: ${repo} from ${base} → ${dest}/`);
  try {
    let bytes = 0;
    const files: string[] = [];
    for (const file of [...required, ...optional]) {
      const size = await download(base + file, file, join(temp, file), !required.includes(file));
      if (size === undefined) continue;
      bytes += size;
      files.push(file);
    }
    if (!files.some((f) => f.endsWith('.onnx'))) throw new FetchError(`${repo} has no ONNX file of a dtype`);
    // Where the folder came from, so a copy served from the site is still known as this repo (its card).
    writeFileSync(join(temp, PROVENANCE_FILE), `${JSON.stringify({ repo, revision: 'main' }, null, 2)}\n`);
    files.push(PROVENANCE_FILE);
    // Every file is complete and verified: move them into place.
    for (const file of files) {
      mkdirSync(dirname(join(dest, file)), { recursive: true });
      renameSync(join(temp, file), join(dest, file));
    }
    writeManifest(modelsDir);
    console.error(`models:fetch: ${files.length} files, ${formatBytes(bytes)} in ${dest}/`);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`models:fetch: error: ${(error as Error).message}`);
  process.exitCode = 1;
});
