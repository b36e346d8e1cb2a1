/** The export layout and its two painters: labels, legend, and a well-formed, escaped SVG document. */
import { describe, expect, it } from 'vitest';
import { drawScene, sceneToSvg, type PngDataUrl } from './render.ts';
import { heatmapScene, legendTicks, type HeatmapSpec, type SceneText } from './scene.ts';

const spec = (over: Partial<HeatmapSpec> = {}): HeatmapSpec => ({
  values: Float32Array.from([-2, -1, 0, 1, 2, 0, 0, 0, 0, 0, 0, 2]),
  rows: 3,
  cols: 4,
  rowLabels: ['<b>&"', 'b', 'c'],
  title: 'Layer 1 <all>',
  xTitle: 'dimension',
  yTitle: 'token',
  legendTitle: 'value',
  range: { min: -2, max: 2 },
  scale: 'diverging',
  ...over,
});
const texts = (items: { kind: string }[]) => items.filter((i): i is SceneText => i.kind === 'text');

/** A tiny XML check: every tag closes in order, and no bare & or < is left in text or attributes. */
function assertWellFormed(xml: string) {
  const body = xml.replace(/^<\?xml[^>]*\?>/, '');
  const stack: string[] = [];
  for (const [, close, name, selfClose] of body.matchAll(/<(\/?)([A-Za-z]+)\b[^<>]*?(\/?)>/g)) {
    if (close) expect(stack.pop()).toBe(name);
    else if (!selfClose) stack.push(name!);
  }
  expect(stack).toEqual([]);
  expect(body.replace(/<[^<>]*>/g, '')).not.toMatch(/[<>]|&(?!amp;|lt;|gt;|quot;|apos;)/);
}

describe('heatmapScene', () => {
  const scene = heatmapScene(spec());

  it('holds one cell image of cols × rows pixels, 28 px cells for a small map', () => {
    const images = scene.items.filter((i) => i.kind === 'image');
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ cols: 4, rows: 3, width: 112, height: 84 });
    expect(images[0]!.kind === 'image' && images[0]!.pixels.length).toBe(48);
  });

  it('starts with a white background covering the whole figure', () => {
    expect(scene.items[0]).toEqual({
      kind: 'rect',
      x: 0,
      y: 0,
      w: scene.width,
      h: scene.height,
      fill: '#ffffff',
    });
  });

  it('labels every row, numbers the columns, and shows legend min, 0 and max', () => {
    const all = texts(scene.items).map((t) => t.text);
    expect(all).toEqual(
      expect.arrayContaining(['Layer 1 <all>', '<b>&"', 'b', 'c', 'token', 'dimension', 'value']),
    );
    expect(all).toEqual(expect.arrayContaining(['0', '2', '-2']));
    expect(legendTicks({ min: 0, max: 0.5 }).map((t) => t.text)).toEqual(['0.5', '0.25', '0']);
    expect(legendTicks({ min: -0.3, max: 0.3 }).map((t) => t.text)).toEqual(['0.3', '0', '-0.3']);
  });

  it('keeps everything inside the figure', () => {
    for (const t of texts(scene.items)) {
      expect(t.x).toBeGreaterThanOrEqual(0);
      expect(t.x).toBeLessThanOrEqual(scene.width);
      expect(t.y).toBeLessThanOrEqual(scene.height);
    }
  });

  it('thins 512 row labels to at most 80, row 0 included, and rotates token column labels', () => {
    const n = 512;
    const labels = Array.from({ length: n }, (_, i) => `${i} tok`);
    const big = heatmapScene(
      spec({ values: new Float32Array(n * n), rows: n, cols: n, rowLabels: labels, colLabels: labels }),
    );
    const rowTexts = texts(big.items).filter((t) => t.anchor === 'end' && !t.rotate);
    expect(rowTexts.length).toBeLessThanOrEqual(80);
    expect(rowTexts.length).toBeGreaterThan(10);
    expect(rowTexts[0]!.text).toBe('0 tok');
    const colTexts = texts(big.items).filter((t) => t.rotate === -90 && t.anchor === 'end');
    expect(colTexts.length).toBe(rowTexts.length);
  });
});

describe('sceneToSvg', () => {
  const scene = heatmapScene(spec());
  const calls: [number, number][] = [];
  const fakePng: PngDataUrl = (pixels, cols, rows) => {
    calls.push([cols, rows]);
    return `data:image/png;base64,FAKE${pixels.length}`;
  };
  const svg = sceneToSvg(scene, fakePng);

  it('is a standalone, well-formed document whose viewBox matches the scene', () => {
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain(
      `width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}"`,
    );
    assertWellFormed(svg);
  });

  it('embeds the cells once as a pixelated PNG image', () => {
    expect(svg.match(/<image\b/g)).toHaveLength(1);
    expect(calls).toEqual([[4, 3]]);
    expect(svg).toMatch(
      /<image [^>]*preserveAspectRatio="none"[^>]*image-rendering="pixelated"[^>]*href="data:image\/png;base64,FAKE48"/,
    );
  });

  it('escapes labels and titles', () => {
    expect(svg).toContain('>&lt;b&gt;&amp;&quot;</text>');
    expect(svg).toContain('>Layer 1 &lt;all&gt;</text>');
    expect(svg).not.toContain('<b>');
  });
});

describe('drawScene', () => {
  it('paints every text once, aligned as anchored', () => {
    const scene = heatmapScene(spec());
    const withoutImage = { ...scene, items: scene.items.filter((i) => i.kind !== 'image') };
    const drawn: [string, string][] = [];
    const ctx = new Proxy({} as Record<string | symbol, unknown>, {
      get: (target, key) =>
        key === 'fillText'
          ? (text: string) => drawn.push([text, target.textAlign as string])
          : (target[key] ?? (() => {})),
      set: (target, key, value) => ((target[key] = value), true),
    });
    drawScene(ctx as unknown as CanvasRenderingContext2D, withoutImage);
    const align = { start: 'left', middle: 'center', end: 'right' };
    expect(drawn).toEqual(texts(scene.items).map((t) => [t.text, align[t.anchor]]));
  });
});
