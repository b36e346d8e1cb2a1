import { describe, expect, it } from 'vitest';
import { DARK, themedLayout } from './theme.ts';

describe('themedLayout', () => {
  const layout = { title: { text: 'norms' }, xaxis: { title: { text: 'layer' } } };

  it('leaves a light layout as the figure built it', () => {
    expect(themedLayout(layout, false)).toBe(layout);
  });

  it('draws a dark figure on dark paper with light text, keeping what the figure set', () => {
    const dark = themedLayout(layout, true);
    const template = dark.template as { layout: Record<string, unknown> };
    expect(template.layout.paper_bgcolor).toBe(DARK.surface);
    expect(template.layout.plot_bgcolor).toBe(DARK.surface);
    expect(template.layout.font).toEqual({ color: DARK.fg });
    expect(dark.xaxis).toEqual(layout.xaxis);
    expect(dark.title).toEqual(layout.title);
  });
});
