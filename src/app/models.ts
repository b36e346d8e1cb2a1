/**
 * Which model to load: the `model` parameter as the user gave it (a site path, an http(s) folder URL, or a
 * hub id), or — when nobody chose — the site's albert-base-v2, else the hub's, else the bundled random test
 * model, with a banner that says which and why.
 */
import type { Dtype } from '../engine/dtypes.ts';
import type { OnnxFileInfo } from '../engine/modelFiles.ts';
import { isHubId, type ListedFile } from '../engine/modelSource.ts';
import type { ModelChoice } from '../state/store.ts';
import type { ModelLocation } from '../worker/protocol.ts';

export const BUNDLED_MODEL = '/models/albert-tiny-random/';
export const DEFAULT_HUB_MODEL = 'Xenova/albert-base-v2';
export const SITE_BASE_MODEL = '/models/albert-base-v2/';

/** The hub this build talks to (VITE_HF_ENDPOINT at build time; the public hub otherwise). */
export const HUB_ENDPOINT: string =
  (import.meta.env.VITE_HF_ENDPOINT as string | undefined) ?? 'https://huggingface.co';

export interface ManifestEntry {
  name: string;
  path: string;
  dtypes: Dtype[];
  /** Every ONNX file of the folder (dtype files first), with sizes. */
  files: OnnxFileInfo[];
  /** Every file of the folder with its size and SHA-256 (the worker's listing of it: nothing is probed). */
  listing?: ListedFile[];
  layers: number;
  hiddenSize: number;
  randomWeights: boolean;
}

export function choiceFromParam(param: string, hubEndpoint = HUB_ENDPOINT): ModelChoice {
  const value = param.trim();
  if (/^https?:\/\//.test(value))
    return { location: { kind: 'url', url: value }, param: value, label: value };
  if (isHubId(value))
    return {
      location: { kind: 'hub', repo: value, endpoint: hubEndpoint },
      param: value,
      label: `${value} (Hugging Face hub)`,
    };
  const path = value.endsWith('/') ? value : `${value}/`;
  return { location: { kind: 'url', url: path }, param: path, label: path };
}

/** A site folder's location with its manifest listing, so the worker neither probes it nor hashes its files. */
export function withListing(location: ModelLocation, manifest: ManifestEntry[]): ModelLocation {
  if (location.kind !== 'url') return location;
  const listing = manifest.find((m) => m.path === location.url)?.listing;
  return listing ? { ...location, listing } : location;
}

export interface DefaultPlan {
  choice: ModelChoice;
  banner: string;
  /** Where to go if `choice` fails to load, with the banner to show then. */
  fallback?: { choice: ModelChoice; banner: (reason: string) => string };
}

export function defaultModelPlan(
  manifest: ManifestEntry[],
  online: boolean,
  hubEndpoint = HUB_ENDPOINT,
): DefaultPlan {
  const bundled = choiceFromParam(BUNDLED_MODEL, hubEndpoint);
  const randomNote = 'its weights are random, so its vectors and similarities mean nothing';
  if (manifest.some((m) => m.path === SITE_BASE_MODEL))
    return {
      choice: choiceFromParam(SITE_BASE_MODEL, hubEndpoint),
      banner: 'Showing albert-base-v2, served with this site.',
    };
  if (online)
    return {
      choice: choiceFromParam(DEFAULT_HUB_MODEL, hubEndpoint),
      banner: `Showing ${DEFAULT_HUB_MODEL} from the Hugging Face hub (this site serves no albert-base-v2); it is cached for your next visit.`,
      fallback: {
        choice: bundled,
        banner: (reason) =>
          `Could not load ${DEFAULT_HUB_MODEL} from the hub (${reason}). Showing the bundled test model instead: ${randomNote}.`,
      },
    };
  return {
    choice: bundled,
    banner: `You are offline and this site serves no albert-base-v2. Showing the bundled test model: ${randomNote}.`,
  };
}
