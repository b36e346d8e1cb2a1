/** The plotly stylesheet and the ids of self-injected styles, read from the installed plotly bundle. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { plotlyStylesheet, selfInjectedStyleIds } from './plotlyCss.ts';

const bundle = readFileSync(createRequire(import.meta.url).resolve('plotly.js-dist-min'), 'utf8');

it("lifts plotly's rules into a stylesheet with full selectors", () => {
  const css = plotlyStylesheet(bundle);
  expect(css).toContain('.js-plotly-plot .plotly .modebar {position:absolute;');
  expect(css).not.toMatch(/(^|[\s,])X[\s.,:]/m);
  expect(css.split('\n').length).toBeGreaterThan(40);
});

it('finds the style blocks the bundle would inject on its own', () => {
  expect(selfInjectedStyleIds(bundle)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
});
