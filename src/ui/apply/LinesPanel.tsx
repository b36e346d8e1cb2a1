/**
 * "Many sentences": paste up to 2,000 lines; the worker embeds them in batches (progress, cancel; results
 * appear as they come) and keeps every layer's pooled vectors, so the layer control redraws without running
 * the model. Shows the cosine matrix in cluster order, each line's nearest neighbours, a PCA or UMAP of the
 * sentence vectors, and semantic search: a query ranks the lines.
 */
import { useCallback, useMemo, useState } from 'react';
import { encodeNpy } from '../../engine/export/npy.ts';
import { useStore } from '../../state/store.ts';
import { saveFile } from '../download.ts';
import { precisionReport } from '../../engine/fidelity.ts';
import { MAX_LINES, type LinesView, type Truncation } from '../../worker/protocol.ts';
import { lineLabel, linesMatrixSpec, linesProjection } from '../charts/compare.ts';
import { HeatmapCanvas } from '../charts/heatmap/HeatmapCanvas.tsx';
import { Plot } from '../charts/Plot.tsx';
import { pcaScatter, umapScatter } from '../charts/projection.ts';
import { MethodControls, UmapStatus, useMethod, useUmapLayout } from '../Umap.tsx';
import { useController } from '../controllerContext.ts';
import { useDebounced } from '../useDebounced.ts';
import { useFetched } from '../useFetched.ts';
import {
  JobProgress,
  nonEmptyLines,
  PoolingSelect,
  RandomWeightsNote,
  TruncationNote,
  usePooling,
} from './common.tsx';
import { EXAMPLE_LINES } from '../../shared/examples.ts';
import { useJob } from './useJob.ts';

const BATCH_SIZE = 16;
const SHOWN_NEIGHBOURS = 3;
/** Lines whose neighbours are listed before "show all". */
const LISTED_LINES = 50;

export function LinesPanel() {
  const { client } = useController();
  const text = useStore((s) => s.linesText);
  const setText = useStore((s) => s.setLinesText);
  const pooling = useStore((s) => s.pooling);
  /** How the vectors were made, for the download (the model's own pooling, or the one chosen). */
  const poolingUsed = usePooling();
  const info = useStore((s) => s.info);
  const layer = useStore((s) => s.layer);
  const { job, error, start, cancel } = useJob<
    Awaited<ReturnType<typeof client.embedLines>['done']>,
    LinesView
  >(client, 'Could not embed the lines');
  const [downloadError, setDownloadError] = useState<string>();
  /** The lines the latest job embeds, and how many of them were cut. */
  const [embedded, setEmbedded] = useState<{ lines: string[]; truncation?: Truncation }>();
  const [query, setQuery] = useState('');
  const [allNeighbours, setAllNeighbours] = useState(false);
  const settledQuery = useDebounced(query.trim(), 300);
  const lines = useMemo(() => nonEmptyLines(text), [text]);

  const run = () => {
    setEmbedded({ lines });
    start(
      (onProgress) => client.embedLines({ lines, pooling, batchSize: BATCH_SIZE, layer }, onProgress),
      ({ cancelled: _cancelled, count: _count, ...truncation }) => setEmbedded({ lines, truncation }),
    );
  };
  const finished = job && !job.running && (job.progress?.done ?? 0) > 0 ? job : undefined;
  const key = finished ? JSON.stringify([finished.id, layer, settledQuery]) : undefined;
  const fetched = useFetched(key, () => client.linesView(finished!.id, layer, settledQuery || undefined));
  const view = finished ? fetched.value : job?.partial;
  const shownLines = embedded?.lines ?? [];
  const matrix = useMemo(() => view && linesMatrixSpec(view, shownLines), [view, shownLines]);
  const scatter = useMemo(
    () =>
      view &&
      view.count > 2 &&
      pcaScatter(linesProjection(view, shownLines), 2, `PCA of the sentence vectors at layer ${view.layer}`),
    [view, shownLines],
  );
  const method = useMethod();
  const umap = method.method === 'umap';
  const layout = useUmapLayout(
    finished && umap ? { kind: 'lines', setId: finished.id, layer } : undefined,
    finished && umap ? JSON.stringify([finished.id, layer]) : undefined,
    method.settings,
    2,
  );
  const umapFigure = useMemo(
    () =>
      layout.view &&
      umapScatter(
        {
          ...layout.view,
          labels: shownLines.slice(0, layout.view.umap.points).map((l, i) => lineLabel(l, i, 30)),
        },
        2,
        `UMAP of the sentence vectors${layout.view.cancelled ? ' (cancelled)' : ''}`,
      ),
    [layout.view, shownLines],
  );
  const download = async (what: 'npy' | 'json') => {
    if (!finished || !view) return;
    setDownloadError(undefined);
    try {
      if (what === 'npy') {
        const vectors = await client.linesVectors(finished.id, layer);
        saveFile({
          name: `sentence_vectors_layer${layer}.npy`,
          mime: 'application/octet-stream',
          bytes: encodeNpy(vectors.data, vectors.dims),
        });
        return;
      }
      const n = view.count;
      saveFile({
        name: `sentences_layer${layer}.json`,
        mime: 'application/json',
        bytes: JSON.stringify(
          {
            layer,
            pooling: poolingUsed,
            // Where the vectors' numbers come from: float32, or a quantized/fp16 file and its distance from fp32.
            precision: info && precisionReport(info.precision),
            lines: shownLines.slice(0, n),
            order: view.order,
            similarity: Array.from({ length: n }, (_, i) =>
              Array.from(view.matrix.data.subarray(i * n, (i + 1) * n)),
            ),
            neighbours: view.neighbours,
            explainedRatio: view.projection.explainedRatio,
            pca: Array.from({ length: n }, (_, i) =>
              Array.from(view.projection.scores.subarray(i * 2, i * 2 + 2)),
            ),
            ...(umap && layout.view
              ? {
                  umap: {
                    neighbours: layout.view.umap.neighbours,
                    minDist: layout.view.umap.minDist,
                    seed: layout.view.umap.seed,
                    epochs: layout.view.umap.epochs,
                    coordinates: Array.from({ length: layout.view.umap.points }, (_, i) =>
                      Array.from(layout.view!.umap.coordinates.subarray(i * 2, i * 2 + 2)),
                    ),
                  },
                }
              : {}),
            ...(view.ranking ? { query: settledQuery, ranking: view.ranking } : {}),
          },
          null,
          1,
        ),
      });
    } catch (e) {
      setDownloadError(`Could not download: ${(e as Error).message}`);
    }
  };
  const hover = useCallback(
    (row: number, col: number, value: number) =>
      view
        ? `${lineLabel(shownLines[view.order[row]!] ?? '', view.order[row]!)}\n${lineLabel(shownLines[view.order[col]!] ?? '', view.order[col]!)}\ncosine ${value.toFixed(4)}`
        : '',
    [view, shownLines],
  );
  return (
    <section className="lines" data-testid="lines.panel">
      <label className="block">
        Sentences, one per line ({lines.length} {lines.length === 1 ? 'line' : 'lines'}; empty lines are
        skipped)
        <textarea
          data-testid="lines.input"
          rows={8}
          value={text}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          placeholder="Paste sentences here, one per line"
        />
      </label>
      <div className="row">
        <PoolingSelect />
        <button type="button" data-testid="lines.example" onClick={() => setText(EXAMPLE_LINES.join('\n'))}>
          Load example sentences
        </button>
        <button
          type="button"
          data-testid="lines.run"
          disabled={lines.length < 2 || lines.length > MAX_LINES || job?.running}
          onClick={run}
        >
          Embed {lines.length} lines
        </button>
      </div>
      {lines.length > MAX_LINES && (
        <p className="error">
          At most {MAX_LINES} lines at once; this box has {lines.length}.
        </p>
      )}
      {error && <p className="error">{error}</p>}
      {downloadError && <p className="error">{downloadError}</p>}
      {job?.running && job.progress && <JobProgress progress={job.progress} onCancel={cancel} />}
      {job?.cancelled && (
        <p className="hint" data-testid="lines.cancelled">
          Cancelled after {job.progress?.done ?? 0} of {shownLines.length} lines; the results below cover
          those.
        </p>
      )}
      <TruncationNote truncation={embedded?.truncation} of={shownLines.length} testId="lines.truncated" />
      <RandomWeightsNote what="these similarities, neighbours and rankings" />
      {fetched.error && finished && <p className="error">{fetched.error}</p>}
      {view && (
        <>
          {finished && (
            <label className="block">
              Search: a query ranks the lines by cosine at layer {layer}
              <input data-testid="lines.query" value={query} onChange={(e) => setQuery(e.target.value)} />
            </label>
          )}
          {view.ranking && (
            <ol className="ranking" data-testid="lines.ranking">
              {view.ranking.slice(0, 10).map((r) => (
                <li key={r.index}>
                  <b>{r.cosine.toFixed(4)}</b> {lineLabel(shownLines[r.index] ?? '', r.index, 120)}
                </li>
              ))}
            </ol>
          )}
          {finished && (
            <div className="row">
              <button type="button" data-testid="lines.download-npy" onClick={() => void download('npy')}>
                Sentence vectors at layer {layer} (.npy, lines × hidden)
              </button>
              <button type="button" data-testid="lines.download-json" onClick={() => void download('json')}>
                JSON of what is shown
              </button>
            </div>
          )}
          {matrix && <HeatmapCanvas spec={matrix} testId="chart.lines-matrix" hover={hover} />}
          {finished && <MethodControls testId="lines" {...method} />}
          {umap && finished ? (
            <>
              <UmapStatus layout={layout} />
              {umapFigure && <Plot figure={umapFigure} testId="chart.lines-umap" height={460} />}
            </>
          ) : (
            scatter && <Plot figure={scatter} testId="chart.lines-pca" height={460} />
          )}
          <table className="neighbours" data-testid="lines.neighbours">
            <caption>Each line’s nearest neighbours at layer {view.layer}</caption>
            <tbody>
              {view.neighbours.slice(0, allNeighbours ? undefined : LISTED_LINES).map((nbs, i) => (
                <tr key={i}>
                  <td>{lineLabel(shownLines[i] ?? '', i, 60)}</td>
                  <td>
                    {nbs.slice(0, SHOWN_NEIGHBOURS).map((j) => (
                      <div key={j}>
                        {view.matrix.data[i * view.count + j]!.toFixed(3)} ·{' '}
                        {lineLabel(shownLines[j] ?? '', j, 60)}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {view.count > LISTED_LINES && (
            <button
              type="button"
              data-testid="lines.all-neighbours"
              onClick={() => setAllNeighbours(!allNeighbours)}
            >
              {allNeighbours ? `List the first ${LISTED_LINES} lines` : `List all ${view.count} lines`}
            </button>
          )}
        </>
      )}
    </section>
  );
}
