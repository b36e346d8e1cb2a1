/** Chart data for layer probes: cross-validated accuracy at each hidden state, one line per task, chance dashed. */
import type { ProbeResult } from '../../engine/probe.ts';
import type { Data } from 'plotly.js-dist-min';
import type { Figure } from './types.ts';

const COLOURS = ['#2563eb', '#dc2626', '#16a34a'];

/** One solid line per task and its chance level dashed in the same colour; the selected layer marked. */
export function probeLines(tasks: { name: string; result: ProbeResult }[], layer: number): Figure {
  const data = tasks.flatMap(({ name, result }, i): Data[] => {
    const layers = result.accuracyPerLayer.map((_, l) => l);
    const colour = COLOURS[i % COLOURS.length]!;
    return [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name,
        x: layers,
        y: result.accuracyPerLayer,
        line: { color: colour, width: 2.5 },
        hovertemplate: `layer %{x}: %{y:.3f}<extra>${name}</extra>`,
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: `${name}: chance`,
        x: layers,
        y: layers.map(() => result.chance),
        line: { color: colour, width: 1, dash: 'dash' },
        hovertemplate: `chance %{y:.3f}<extra>${name}</extra>`,
      },
    ];
  });
  return {
    data,
    layout: {
      title: { text: 'Probe accuracy at each hidden state (cross-validated; dashed: majority-class chance)' },
      xaxis: { title: { text: 'hidden state (0 = embedding projection); click to select' }, dtick: 1 },
      yaxis: { title: { text: 'accuracy' }, range: [0, 1.05] },
      shapes: [
        { type: 'line', x0: layer, x1: layer, yref: 'paper', y0: 0, y1: 1, line: { dash: 'dot', width: 1 } },
      ],
    },
  };
}
