/**
 * The engine demo page: loads the model named in the URL (default: the bundled random test model) in the
 * engine worker, runs the text box, and prints tokens and per-layer vectors. The playground UI replaces it.
 */
import { toEmbedResult } from './automation.ts';
import type { BackendRequest, Dtype } from './engine/types.ts';
import { parseModelLocation } from './modelLocation.ts';
import { EngineClient } from './worker/client.ts';
import type { Port, WorkerEvent, WorkerRequest } from './worker/protocol.ts';

const params = new URLSearchParams(location.search);
const backend = (params.get('backend') ?? 'auto') as BackendRequest;
const dtype = (params.get('dtype') ?? 'fp32') as Dtype;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $('status');
const output = $('output');
const textBox = $<HTMLTextAreaElement>('text');

const worker = new Worker(new URL('./worker/engine.worker.ts', import.meta.url), { type: 'module' });
const client = new EngineClient(worker as unknown as Port<WorkerRequest, WorkerEvent>);

status.textContent = 'loading…';
const ready = client.load({
  model: parseModelLocation(params.get('model')),
  backend,
  dtype,
  modelFile: params.get('modelFile') ?? undefined,
  onProgress: (file, loaded, total) => {
    status.textContent = `loading ${file}: ${loaded}${total ? ` / ${total}` : ''} bytes`;
  },
});

async function runText(): Promise<void> {
  const info = await ready;
  const run = await client.run(textBox.value);
  const lines = [
    `model: ${info.model} (${info.modelFile})`,
    `backend: ${run.backend.name}${run.backend.adapter ? ` — ${run.backend.adapter}` : ''}${run.backend.threads ? `, ${run.backend.threads} thread(s)` : ''}`,
    ...(run.backend.fallbackReason ? [`why not WebGPU: ${run.backend.fallbackReason}`] : []),
    `tokens: ${run.tokens.map((t, i) => `${t}(${run.ids[i]})`).join(' ')}`,
    ...(run.truncated ? [`truncated: ${run.droppedTokens} tokens dropped`] : []),
    ...run.hiddenStates.map((h, layer) => {
      const first = Array.from(h.data.subarray(0, 4), (v) => v.toFixed(4)).join(', ');
      return `layer ${layer}: [CLS] = [${first}, …] (${h.dims.join('×')})`;
    }),
    `timings: ${Object.entries(run.timings)
      .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
      .join(', ')}`,
  ];
  output.textContent = lines.join('\n');
  status.textContent = 'ready';
  status.dataset.state = 'ready';
}

function fail(error: unknown): void {
  status.textContent = `error: ${(error as Error).message}`;
  status.dataset.state = 'error';
}

ready.then(runText).catch(fail);
$('run').addEventListener('click', () => void runText().catch(fail));

window.albertPlayground = {
  ready: async () => {
    const info = await ready;
    return { model: info.model, backend: info.backend };
  },
  embed: async (text, pair) => {
    await ready;
    return toEmbedResult(await client.run(text, pair));
  },
};
