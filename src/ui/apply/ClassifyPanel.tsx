/**
 * "Few-shot classification": labelled examples (`label: text`, one per line) and texts to classify; each text
 * is classified by the nearest label centroid and by its k nearest examples (cosine-weighted votes), on pooled
 * vectors at the selected layer, with every score shown. Ships with positive/negative reviews. The worker keeps
 * every layer's vectors for every pooling, so the layer, pooling and k controls rescore without a new run.
 */
import { useMemo, useState } from 'react';
import type { Classified } from '../../engine/sentences.ts';
import { useStore } from '../../state/store.ts';
import type { Truncation } from '../../worker/protocol.ts';
import { useController } from '../controllerContext.ts';
import { useFetched } from '../useFetched.ts';
import { useJob } from './useJob.ts';
import { EXAMPLE_REVIEWS, EXAMPLE_TO_CLASSIFY } from '../../shared/examples.ts';
import { parseExamples } from './classify.ts';
import {
  JobProgress,
  KInput,
  nonEmptyLines,
  PoolingSelect,
  RandomWeightsNote,
  TextBox,
  TruncationNote,
} from './common.tsx';

/** A finished classification: what was classified (its kept vectors are the worker's set `setId`). */
interface Classification {
  setId: number;
  texts: string[];
  examples: { label: string; text: string }[];
  truncation: Truncation;
}

interface Result extends Classification {
  layer: number;
  results: Classified[];
}

export function ClassifyPanel() {
  const { client } = useController();
  const examplesText = useStore((s) => s.examplesText);
  const classifyText = useStore((s) => s.classifyText);
  const setExamples = useStore((s) => s.setExamplesText);
  const setTexts = useStore((s) => s.setClassifyText);
  const k = useStore((s) => s.neighboursK);
  const setK = useStore((s) => s.setNeighboursK);
  const pooling = useStore((s) => s.pooling);
  const layer = useStore((s) => s.layer);
  const parsed = useMemo(() => parseExamples(examplesText), [examplesText]);
  const texts = useMemo(() => nonEmptyLines(classifyText), [classifyText]);
  const { job, error, start, cancel } = useJob<Awaited<ReturnType<typeof client.classify>['done']>>(
    client,
    'Could not classify',
  );
  const [classification, setClassification] = useState<Classification>();

  const run = () => {
    const examples = parsed.examples;
    start(
      (onProgress) => client.classify({ examples, texts, pooling, layer, k }, onProgress),
      ({ cancelled, results: _results, ...truncation }, setId) => {
        if (!cancelled) setClassification({ setId, texts, examples, truncation });
      },
    );
  };
  // Once classified, the layer, pooling and k controls rescore the kept vectors (edits to the boxes wait for a
  // click).
  const key = classification && JSON.stringify([classification.setId, layer, k, pooling]);
  const scored = useFetched(key, async (): Promise<Result> => {
    const kept = classification!;
    return { ...kept, layer, results: await client.classifyView(kept.setId, layer, k, pooling) };
  });
  // The latest scores of the latest classification (the previous ones stay up while new ones come).
  const result = scored.value?.setId === classification?.setId ? scored.value : undefined;

  const labels = [...new Set(parsed.examples.map((e) => e.label))];
  return (
    <section className="classify" data-testid="classify.panel">
      <div className="compare-inputs">
        <TextBox
          label="Labelled examples, one per line as “label: text”"
          testId="classify.examples"
          rows={10}
          value={examplesText}
          onChange={setExamples}
        />
        <TextBox
          label="Texts to classify, one per line"
          testId="classify.texts"
          rows={10}
          value={classifyText}
          onChange={setTexts}
        />
      </div>
      <p className="hint" data-testid="classify.summary">
        {parsed.examples.length} examples of {labels.length} labels ({labels.join(', ')}); {texts.length}{' '}
        texts.
        {parsed.badLines.length > 0 && (
          <span className="error" data-testid="classify.bad-lines">
            {' '}
            {parsed.badLines.length === 1 ? 'Line' : 'Lines'} {parsed.badLines.join(', ')}{' '}
            {parsed.badLines.length === 1 ? 'is' : 'are'} not “label: text” and left out.
          </span>
        )}
      </p>
      <div className="row">
        <PoolingSelect />
        <KInput testId="classify.k" value={k} max={Math.max(1, parsed.examples.length)} onChange={setK} />
        <button
          type="button"
          data-testid="classify.example"
          onClick={() => {
            setExamples(EXAMPLE_REVIEWS);
            setTexts(EXAMPLE_TO_CLASSIFY);
          }}
        >
          Load the example reviews
        </button>
        <button
          type="button"
          data-testid="classify.run"
          disabled={labels.length < 2 || texts.length === 0 || job?.running}
          onClick={run}
        >
          Classify
        </button>
      </div>
      {labels.length < 2 && <p className="hint">Give examples of at least two labels.</p>}
      {job?.running && job.progress && <JobProgress progress={job.progress} onCancel={cancel} />}
      {error && <p className="error">{error}</p>}
      {scored.error && <p className="error">Could not score again: {scored.error}</p>}
      <TruncationNote
        truncation={result?.truncation}
        of={(result?.texts.length ?? 0) + (result?.examples.length ?? 0)}
        testId="classify.truncated"
      />
      <RandomWeightsNote what="these classifications" />
      {result && <ResultsTable result={result} />}
    </section>
  );
}

function ResultsTable({ result }: { result: Result }) {
  const labels = [...new Set(result.examples.map((e) => e.label))];
  return (
    <table className="classified" data-testid="classify.results">
      <caption>
        At layer {result.layer}: nearest centroid (cosine with each label’s mean vector) and k-NN
        (cosine-weighted votes of the nearest examples)
      </caption>
      <thead>
        <tr>
          <th>text</th>
          <th>centroid</th>
          {labels.map((l) => (
            <th key={l}>cos to {l}</th>
          ))}
          <th>k-NN</th>
          <th>nearest examples</th>
        </tr>
      </thead>
      <tbody>
        {result.results.map((r, i) => (
          <tr key={i} data-testid="classify.row">
            <td>{result.texts[i]}</td>
            <td data-testid="classify.centroid-label">
              <b>{r.centroidLabel}</b>
            </td>
            {labels.map((l) => (
              <td key={l}>{r.centroid[l]!.toFixed(4)}</td>
            ))}
            <td data-testid="classify.knn-label">
              <b>{r.knnLabel}</b>{' '}
              <small>({labels.map((l) => `${l} ${r.votes[l]!.toFixed(2)}`).join(', ')})</small>
            </td>
            <td>
              {r.neighbours.map((n) => (
                <div key={n.example}>
                  {n.cosine.toFixed(3)} · {n.label}: {result.examples[n.example]?.text}
                </div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
