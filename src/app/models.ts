/**
 * Which model to load when nobody chose: the site's albert-base-v2, else the hub's, else the bundled random test
 * model, with a banner that says which and why.
 */
import { DEFAULT_HUB_MODEL } from '../engine/catalogue.ts';
import {
  BUNDLED_MODEL,
  choiceFromParam,
  SITE_BASE_MODEL,
  SITE_HUB_ENDPOINT,
  type ManifestEntry,
  type ModelChoice,
} from '../shared/models.ts';

export interface DefaultPlan {
  choice: ModelChoice;
  banner: string;
  /** Where to go if `choice` fails to load, with the banner to show then. */
  fallback?: { choice: ModelChoice; banner: (reason: string) => string };
}

export function defaultModelPlan(
  manifest: ManifestEntry[],
  online: boolean,
  hubEndpoint = SITE_HUB_ENDPOINT,
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
