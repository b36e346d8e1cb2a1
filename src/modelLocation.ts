/** Reads the `model` URL parameter: a site path (`/models/x/`), an http(s) URL of a folder, or a hub id. */
import { isHubId } from './engine/modelSource.ts';
import type { ModelLocation } from './worker/protocol.ts';

export const BUNDLED_MODEL = '/models/albert-tiny-random/';

export function parseModelLocation(spec: string | null): ModelLocation {
  if (!spec) return { kind: 'url', url: BUNDLED_MODEL };
  if (/^https?:\/\//.test(spec) || spec.startsWith('/') || spec.startsWith('.'))
    return { kind: 'url', url: spec };
  if (isHubId(spec)) return { kind: 'hub', repo: spec };
  return { kind: 'url', url: spec };
}
