/**
 * Two painters for one scene: `sceneToSvg` writes a standalone SVG document (pure; the PNG encoder for the
 * cell image is passed in, so Node tests use a fake), and `drawScene` paints onto a canvas for the PNG
 * download. The browser-only helpers that need a real canvas sit at the bottom.
 */
import type { Scene, ScenePrimitive } from './scene.ts';

/** Turns cell pixels into a `data:image/png;base64,…` URL. */
export type PngDataUrl = (pixels: Uint8ClampedArray<ArrayBuffer>, cols: number, rows: number) => string;

const fontFamily = 'system-ui, -apple-system, Segoe UI, sans-serif';

/** Escapes text for XML content and attribute values: labels are user text. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

// Two decimals keep the file small without visible error.
const n = (v: number) => String(Math.round(v * 100) / 100);

function svgItem(item: ScenePrimitive, pngDataUrl: PngDataUrl): string {
  switch (item.kind) {
    case 'rect':
      return `<rect x="${n(item.x)}" y="${n(item.y)}" width="${n(item.w)}" height="${n(item.h)}" fill="${escapeXml(item.fill)}"/>`;
    case 'line':
      return `<line x1="${n(item.x1)}" y1="${n(item.y1)}" x2="${n(item.x2)}" y2="${n(item.y2)}" stroke="${escapeXml(item.stroke)}" stroke-width="1"/>`;
    case 'image': {
      const href = escapeXml(pngDataUrl(item.pixels, item.cols, item.rows));
      return `<image x="${n(item.x)}" y="${n(item.y)}" width="${n(item.width)}" height="${n(item.height)}" preserveAspectRatio="none" image-rendering="pixelated" style="image-rendering:pixelated" href="${href}"/>`;
    }
    case 'text': {
      const rotate = item.rotate ? ` transform="rotate(${item.rotate} ${n(item.x)} ${n(item.y)})"` : '';
      const bold = item.bold ? ' font-weight="bold"' : '';
      return `<text x="${n(item.x)}" y="${n(item.y)}" font-size="${item.size}" text-anchor="${item.anchor}" dominant-baseline="central"${bold}${rotate}>${escapeXml(item.text)}</text>`;
    }
  }
}

/** The scene as a standalone SVG document (XML declaration, xmlns, width/height and a matching viewBox). */
export function sceneToSvg(scene: Scene, pngDataUrl: PngDataUrl): string {
  const { width, height } = scene;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${fontFamily}" fill="#1d232a">`,
    ...scene.items.map((item) => svgItem(item, pngDataUrl)),
    '</svg>',
    '',
  ].join('\n');
}

const canvasAlign = { start: 'left', middle: 'center', end: 'right' } as const;

/** Paints the scene in scene px; scale the context first for a sharper PNG. */
export function drawScene(ctx: CanvasRenderingContext2D, scene: Scene): void {
  for (const item of scene.items) {
    if (item.kind === 'rect') {
      ctx.fillStyle = item.fill;
      ctx.fillRect(item.x, item.y, item.w, item.h);
    } else if (item.kind === 'line') {
      ctx.strokeStyle = item.stroke;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(item.x1, item.y1);
      ctx.lineTo(item.x2, item.y2);
      ctx.stroke();
    } else if (item.kind === 'image') {
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(pixelsCanvas(item.pixels, item.cols, item.rows), item.x, item.y, item.width, item.height);
    } else {
      ctx.save();
      ctx.fillStyle = '#1d232a';
      ctx.font = `${item.bold ? 'bold ' : ''}${item.size}px ${fontFamily}`;
      ctx.textAlign = canvasAlign[item.anchor];
      ctx.textBaseline = 'middle';
      ctx.translate(item.x, item.y);
      if (item.rotate) ctx.rotate((item.rotate * Math.PI) / 180);
      ctx.fillText(item.text, 0, 0);
      ctx.restore();
    }
  }
}

/** Browser only: a canvas of cols × rows holding the pixels. */
export function pixelsCanvas(pixels: Uint8ClampedArray<ArrayBuffer>, cols: number, rows: number) {
  const canvas = document.createElement('canvas');
  canvas.width = cols;
  canvas.height = rows;
  canvas.getContext('2d')!.putImageData(new ImageData(pixels, cols, rows), 0, 0);
  return canvas;
}

/** Browser only: the pixels encoded as a PNG data URL, for the SVG's embedded image. */
export const browserPngDataUrl: PngDataUrl = (pixels, cols, rows) =>
  pixelsCanvas(pixels, cols, rows).toDataURL('image/png');
