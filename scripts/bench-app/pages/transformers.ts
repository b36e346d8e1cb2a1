/** The transformers peer page: its worker, started at once (see page.ts). */
import { startPeer } from './page.ts';

startPeer(new Worker(new URL('./transformers.worker.ts', import.meta.url), { type: 'module' }));
