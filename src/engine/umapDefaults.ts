/** UMAP's defaults, apart from umap.ts so that the page can show them without bundling umap-js. */

/** What a UMAP layout is asked for beyond its points. */
export interface UmapSettings {
  neighbours: number;
  minDist: number;
  seed: number;
}

/** umap-learn's defaults for the neighbourhood and the spacing, and a fixed seed. */
export const UMAP_DEFAULTS: Readonly<UmapSettings> = { neighbours: 15, minDist: 0.1, seed: 42 };

/** The values each setting takes (what the page's boxes accept and what a link may carry). */
export const UMAP_VALID: Record<keyof UmapSettings, (n: number) => boolean> = {
  neighbours: (n) => Number.isInteger(n) && n >= 2,
  minDist: (n) => n >= 0 && n <= 1,
  seed: (n) => Number.isSafeInteger(n) && n >= 0,
};

/** Fewer points leave no neighbourhood to speak of: two points are always one neighbour apart. */
export const MIN_UMAP_POINTS = 3;
