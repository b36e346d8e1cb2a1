/**
 * What the page's state and its controller both speak of, so that neither imports the other: the model a user
 * chose (and how to say it), the site's models manifest, where the default models are, and the hub this build
 * talks to. A `model` parameter is read as a site path, an http(s) folder URL, or a hub id.
 */
import type { Dtype } from '../engine/dtypes.ts';
import type { OnnxFileInfo } from '../engine/modelFiles.ts';
import { HUB_ENDPOINT, isHubId, type ListedFile } from '../engine/modelSource.ts';
import type { ModelLocation } from '../worker/protocol.ts';

/** What the user picked (or the default picked for them), and how to say it. */
export interface ModelChoice {
  location: ModelLocation;
  /** The `model` URL parameter that reproduces it (absent for files picked from disk). */
  param?: string;
  label: string;
}

/** One model's key (two picks of the same folder are the same model). */
export const choiceIdentity = (choice: ModelChoice): string => choice.param ?? choice.label;

export const BUNDLED_MODEL = '/models/albert-tiny-random/';
export const SITE_BASE_MODEL = '/models/albert-base-v2/';

/** The hub this build talks to (VITE_HF_ENDPOINT at build time; the public hub otherwise). */
export const SITE_HUB_ENDPOINT: string =
  (import.meta.env.VITE_HF_ENDPOINT as string | undefined) ?? HUB_ENDPOINT;

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

export function choiceFromParam(param: string, hubEndpoint = SITE_HUB_ENDPOINT): ModelChoice {
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
