/**
 * The heatmap's PNG and SVG downloads, both drawn from `heatmapScene` so they show the same figure. Browser
 * only (canvas, toBlob); the layout and the SVG text are pure and tested in Node.
 */
import { saveFile } from '../../download.ts';
import { browserPngDataUrl, drawScene, sceneToSvg } from './render.ts';
import { heatmapScene, type HeatmapSpec, type Scene } from './scene.ts';

/** A file name from a test id: "chart.attention" → "chart-attention". */
export const filenameFromTestId = (testId: string): string => testId.replace(/\W+/g, '-');

/** PNG at twice the scene's size, so text stays sharp on high-density screens and in documents. */
const pixelRatio = 2;

/** Builds the figure and starts its download as `${base}.png` or `${base}.svg`. */
export function downloadHeatmap(spec: HeatmapSpec, format: 'png' | 'svg', base: string): Promise<void> {
  return downloadScene(heatmapScene(spec), format, base);
}

/** Starts the download of any scene as `${base}.png` or `${base}.svg`. */
export async function downloadScene(scene: Scene, format: 'png' | 'svg', base: string): Promise<void> {
  if (format === 'svg') {
    saveFile({ name: `${base}.svg`, mime: 'image/svg+xml', bytes: sceneToSvg(scene, browserPngDataUrl) });
    return;
  }
  const canvas = document.createElement('canvas');
  canvas.width = scene.width * pixelRatio;
  canvas.height = scene.height * pixelRatio;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gave no 2D canvas');
  ctx.scale(pixelRatio, pixelRatio);
  drawScene(ctx, scene);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the browser could not encode the PNG');
  saveFile({ name: `${base}.png`, mime: 'image/png', bytes: blob });
}
