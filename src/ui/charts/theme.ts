/**
 * Plotly's colours for a dark page. Plotly draws its own SVG, so the page's CSS custom properties never reach
 * it: the dark values are restated here (they match styles.css) and given as a template, which plotly applies
 * to every axis of every kind (2D, the 3D scene, colour bars) under whatever the figure sets itself.
 */
import type { Layout } from 'plotly.js-dist-min';

/** The dark page's surface, text and rule colours (styles.css `--surface`, `--fg`, `--muted`, `--line`). */
export const DARK = { surface: '#1b2128', fg: '#e3e8ee', muted: '#a5b0bc', line: '#3d4650' } as const;

const axis = {
  gridcolor: DARK.line,
  zerolinecolor: DARK.muted,
  linecolor: DARK.muted,
  tickcolor: DARK.muted,
};

/** The template a dark figure is drawn with: dark paper and plot, light text, quiet grid lines. */
const darkTemplate = {
  layout: {
    paper_bgcolor: DARK.surface,
    plot_bgcolor: DARK.surface,
    font: { color: DARK.fg },
    xaxis: axis,
    yaxis: axis,
    scene: { xaxis: axis, yaxis: axis, zaxis: axis, bgcolor: DARK.surface },
    legend: { bgcolor: DARK.surface },
    // Marker lines for a chosen layer (dotted shapes) default to plotly's near-black.
    shapedefaults: { line: { color: DARK.muted } },
    hoverlabel: { bordercolor: DARK.line },
  },
} as unknown as Layout['template'];

/** The layout to draw: `layout` as it is on a light page; on a dark one, with the dark template under it. */
export function themedLayout(layout: Partial<Layout>, dark: boolean): Partial<Layout> {
  if (!dark) return layout;
  return {
    ...layout,
    template: darkTemplate,
    modebar: { bgcolor: 'rgba(0,0,0,0)', color: DARK.muted, activecolor: DARK.fg, ...layout.modebar },
  };
}
