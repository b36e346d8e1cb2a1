/** UMAP's defaults, apart from umap.ts so that the page can show them without bundling umap-js. */

/** umap-learn's defaults for the neighbourhood and the spacing, and a fixed seed. */
export const UMAP_DEFAULTS = { neighbours: 15, minDist: 0.1, seed: 42 } as const;

/** Fewer points leave no neighbourhood to speak of: two points are always one neighbour apart. */
export const MIN_UMAP_POINTS = 3;
