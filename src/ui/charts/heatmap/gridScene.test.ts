import { describe, expect, it } from 'vitest';
import { gridScene } from './gridScene.ts';
import { sceneToSvg } from './render.ts';

const cell = () => ({ pixels: new Uint8ClampedArray(4 * 4), rows: 2, cols: 2 });

describe('grid scene', () => {
  it('lays out rows × columns of images with their labels, and exports as SVG', () => {
    const scene = gridScene({
      title: 'Attention <all> layers',
      rowLabels: ['layer 1', 'layer 2'],
      colLabels: ['head 0', 'head 1', 'head 2'],
      cells: [
        [cell(), cell(), cell()],
        [cell(), cell(), cell()],
      ],
      cellPx: 40,
    });
    const images = scene.items.filter((i) => i.kind === 'image');
    expect(images).toHaveLength(6);
    // An even grid with a gap between cells: equal steps across and down, each longer than a cell.
    const [a, b, c, d] = images as { x: number; y: number; width: number; height: number }[];
    expect(b!.x - a!.x).toBeGreaterThan(a!.width);
    expect(c!.x - b!.x).toBe(b!.x - a!.x);
    expect(d!.y - a!.y).toBeGreaterThan(a!.height);
    expect(d!.y - a!.y).toBe(b!.x - a!.x);
    expect([a!.width, a!.height]).toEqual([40, 40]);
    const texts = scene.items.flatMap((i) => (i.kind === 'text' ? [i.text] : []));
    expect(texts).toEqual(['Attention <all> layers', 'head 0', 'head 1', 'head 2', 'layer 1', 'layer 2']);
    expect(images.every((i) => i.x + i.width <= scene.width && i.y + i.height <= scene.height)).toBe(true);
    const svg = sceneToSvg(scene, () => 'data:image/png;base64,AA==');
    expect(svg.match(/<image /g)).toHaveLength(6);
    expect(svg).toContain('Attention &lt;all&gt; layers');
  });
});
