/**
 * The hosting recipe, tried: Debian's nginx serves the built site (dist/) with the shipped
 * deploy/nginx/albert-playground.conf, and the page is cross-origin isolated, runs WASM on more than one thread
 * where the machine has the cores, and runs a text. `.ci/run` installs nginx.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { Playground, TINY } from './fixtures/playground.ts';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const PORT = Number(process.env.E2E_NGINX_PORT ?? 4276);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const DIST = resolve('dist');

let nginx: ChildProcess | undefined;

/** An nginx of its own (prefix, logs, temp files in a temp folder) with the shipped settings in its server. */
function startNginx(): ChildProcess {
  const dir = mkdtempSync(join(tmpdir(), 'albert-nginx-'));
  copyFileSync('/etc/nginx/mime.types', join(dir, 'mime.types'));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `${kind}_temp_path ${join(dir, kind)};`)
    .join('\n  ');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
error_log ${join(dir, 'error.log')};
pid ${join(dir, 'nginx.pid')};
events {}
http {
  access_log off;
  ${temp}
  server {
    listen 127.0.0.1:${PORT};
    root ${DIST};
    include ${resolve('deploy/nginx/albert-playground.conf')};
  }
}
`,
  );
  return spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

test.beforeAll(async () => {
  if (!existsSync(NGINX))
    throw new Error(`nginx is missing at ${NGINX}: apt-get install nginx (.ci/run does), or set NGINX_PATH`);
  nginx = startNginx();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (
      await fetch(`${ORIGIN}/`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    if (nginx.exitCode !== null) throw new Error(`nginx exited (${nginx.exitCode}): see its error above`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nginx did not answer on ${ORIGIN} within 20 s`);
});
test.afterAll(() => {
  nginx?.kill('SIGTERM');
});

test('nginx with the shipped config: isolation headers, the right types, and long caching for hashed files', async () => {
  const page = await fetch(`${ORIGIN}/`);
  expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  expect(page.headers.get('cache-control')).toBe('no-cache');
  // Browsers compare the service worker on each visit; it must not be cached either.
  expect((await fetch(`${ORIGIN}/sw.js`)).headers.get('cache-control')).toBe('no-cache');
  const assets = readdirSync(join(DIST, 'assets'));
  const wasm = assets.find((f) => f.endsWith('.wasm'))!;
  const mjs = assets.find((f) => f.endsWith('.mjs'))!;
  const asset = async (file: string) => (await fetch(`${ORIGIN}/assets/${file}`)).headers;
  expect((await asset(wasm)).get('content-type')).toBe('application/wasm');
  expect((await asset(mjs)).get('content-type')).toBe('text/javascript');
  expect((await asset(mjs)).get('cross-origin-embedder-policy')).toBe('require-corp');
  expect((await asset(wasm)).get('cache-control')).toBe('max-age=31536000');
  const model = await fetch(`${ORIGIN}${TINY}onnx/model.onnx`);
  expect(model.status).toBe(200);
  expect(model.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  // A missing model file is a 404, not a page: the app says which file is missing.
  expect((await fetch(`${ORIGIN}${TINY}onnx/model_nothing.onnx`)).status).toBe(404);
});

test('the page nginx serves is cross-origin isolated, runs WASM on every core it may use, and runs a text', async ({
  page,
}) => {
  const app = new Playground(page);
  await page.goto(`${ORIGIN}/?model=${encodeURIComponent(TINY)}&backend=wasm`);
  await app.waitReady();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const threads = await page.evaluate(() => Math.min(4, navigator.hardwareConcurrency || 1));
  await expect(page.getByTestId('status.backend')).toContainText(
    `WASM · ${threads} thread${threads === 1 ? '' : 's'}`,
  );
  await app.typeText('hello world');
  expect(await app.pieces()).toEqual(['[CLS]', '▁hello', '▁world', '[SEP]']);
});
