/**
 * plotly.js injects its stylesheet as inline <style> rules, and its bundled map library injects another
 * <style> block, both of which the page's Content-Security-Policy (`style-src 'self'`) blocks. This Vite plugin
 * lifts plotly's rules out of the bundle at build time into `virtual:plotly.css`, a normal stylesheet, and puts
 * placeholder elements in index.html under the ids plotly checks, so it injects nothing: plotly's style slot is
 * marked `no-inline-styles`, and the map styles (map traces are not used here) are marked as already present.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';

const ID = 'virtual:plotly.css';
const RESOLVED = `\0${ID}`;

/** The object literal that starts at `start` (a `{`), found by matching braces outside string literals. */
function objectLiteralAt(source: string, start: number): string {
  let depth = 0;
  let quote: string | null = null;
  for (let i = start; i < source.length; i++) {
    const c = source[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return source.slice(start, i + 1);
  }
  throw new Error('plotly-css: unterminated style object');
}

export function plotlyStylesheet(bundle: string): string {
  const at = bundle.indexOf('{"X,X div":');
  if (at < 0) throw new Error('plotly-css: plotly.js style rules not found (did plotly.js change?)');
  // The literal holds only string keys and values; evaluate it (at build time, in Node) to read them.
  const literal = objectLiteralAt(bundle, at);
  const rules = new Function(`return ${literal};`)() as Record<string, string>;
  return Object.entries(rules)
    .map(([selector, style]) => {
      const full = selector
        .replace(/^,/, ' ,')
        .replace(/X/g, '.js-plotly-plot .plotly')
        .replace(/Y/g, '.plotly-notifier');
      return `${full} {${style}}`;
    })
    .join('\n');
}

/** Ids of the <style> blocks the bundle injects itself unless an element with that id exists. */
export function selfInjectedStyleIds(bundle: string): string[] {
  return [
    ...bundle.matchAll(/getElementById\("([\w-]+)"\)\)\{var \w+=document\.createElement\("style"\)/g),
  ].map((m) => m[1]!);
}

const bundle = () => readFileSync(createRequire(import.meta.url).resolve('plotly.js-dist-min'), 'utf8');

export function plotlyCss(): Plugin {
  return {
    name: 'albert-plotly-css',
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    load: (id) => (id === RESOLVED ? plotlyStylesheet(bundle()) : undefined),
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { id: 'plotly.js-style-global', class: 'no-inline-styles' }, injectTo: 'head' },
      ...selfInjectedStyleIds(bundle()).map((id) => ({
        tag: 'meta',
        attrs: { id },
        injectTo: 'head' as const,
      })),
    ],
  };
}
