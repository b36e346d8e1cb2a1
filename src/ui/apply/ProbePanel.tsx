/**
 * "Which layer knows this": a linear probe (regularised logistic regression) at every hidden state, for the
 * classification examples (a sentence task, on pooled vectors) and the tagging examples (a token task), with
 * cross-validated accuracy against chance. One line per task shows where sentiment or entity type becomes
 * linearly readable; clicking a layer (on the chart or in the table) moves the layer control there. The two
 * tasks run one after the other as jobs, each with its progress (sentences run, then layers probed) and cancel.
 */
import { useMemo, useState } from 'react';
import type { ProbeResult } from '../../engine/probe.ts';
import { parseTaggedExamples } from '../../engine/tagging.ts';
import { useStore } from '../../state/store.ts';
import { probeLines } from '../charts/probe.ts';
import { Plot } from '../charts/Plot.tsx';
import { useController } from '../controllerContext.ts';
import { parseExamples } from './classify.ts';
import { JobProgress, RandomWeightsNote } from './common.tsx';
import { useJob } from './useJob.ts';

interface TaskResult {
  task: 'sentence' | 'token';
  name: string;
  result: ProbeResult;
}

export function ProbePanel() {
  const { client } = useController();
  const sentenceText = useStore((s) => s.examplesText);
  const tokenText = useStore((s) => s.tagExamplesText);
  const pooling = useStore((s) => s.pooling);
  const layer = useStore((s) => s.layer);
  const setLayer = useStore((s) => s.setLayer);
  const sentences = useMemo(() => parseExamples(sentenceText), [sentenceText]);
  const tokens = useMemo(() => parseTaggedExamples(tokenText), [tokenText]);
  const [results, setResults] = useState<TaskResult[]>();
  const { job, error, start, cancel } = useJob<Awaited<ReturnType<typeof client.probe>['done']>>(
    client,
    'Could not train the probes',
  );
  /** The task the running job trains. */
  const [training, setTraining] = useState<TaskResult['task']>();
  const running = job?.running === true;

  const run = () => {
    setTraining('sentence');
    start(
      (onProgress) => client.probe({ task: 'sentence', examples: sentences.examples, pooling }, onProgress),
      ({ result: sentence }) => {
        if (!sentence) return;
        setTraining('token');
        start(
          (onProgress) => client.probe({ task: 'token', examples: tokens.examples }, onProgress),
          ({ result: token }) =>
            token &&
            setResults([
              {
                task: 'sentence',
                name: `sentence labels (${sentence.classes.join(', ')})`,
                result: sentence,
              },
              { task: 'token', name: `token tags (${token.classes.join(', ')})`, result: token },
            ]),
        );
      },
    );
  };
  const figure = useMemo(() => results && probeLines(results, layer), [results, layer]);

  return (
    <section className="probes" data-testid="probe.panel">
      <p className="hint" data-testid="probe.summary">
        Sentence task: the {sentences.examples.length} labelled examples of “Few-shot classification”. Token
        task: the {tokens.examples.length} marked sentences of “Tag tokens” (each token its tag, O outside the
        spans). Edit them there.
      </p>
      <p className="hint">
        At each hidden state a multinomial logistic regression (L2-regularised, standardized features) is
        trained and scored by 5-fold cross-validation; a sentence’s tokens are never split between training
        and test. Chance is the share of the most common label. A small example set gives noisy accuracies:
        read the shape of the curve, not the third decimal.
      </p>
      <button type="button" data-testid="probe.run" disabled={running} onClick={run}>
        {running ? 'Training probes…' : 'Train the probes'}
      </button>
      {running && job.progress && (
        <JobProgress progress={job.progress} label={`${training} task`} unit="steps" onCancel={cancel} />
      )}
      {job?.cancelled && (
        <p className="hint" data-testid="probe.cancelled">
          Cancelled: no probe was trained to the end.
        </p>
      )}
      {error && <p className="error">{error}</p>}
      <RandomWeightsNote what="these accuracies" />
      {results && figure && (
        <>
          <Plot figure={figure} testId="chart.probe" height={340} onPointClick={setLayer} />
          <table className="classified" data-testid="probe.table">
            <caption>Accuracy per hidden state; click one to select that layer</caption>
            <thead>
              <tr>
                <th>task</th>
                <th>chance</th>
                {results[0]!.result.accuracyPerLayer.map((_, l) => (
                  <th key={l}>{l}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {results.map(({ task, name, result }) => (
                <tr key={task} data-testid={`probe.row-${task}`}>
                  <td>{name}</td>
                  <td data-testid="probe.chance">{result.chance.toFixed(3)}</td>
                  {result.accuracyPerLayer.map((a, l) => (
                    <td key={l}>
                      <button
                        type="button"
                        className="link"
                        data-testid="probe.accuracy"
                        data-layer={l}
                        aria-pressed={l === layer}
                        onClick={() => setLayer(l)}
                      >
                        {a.toFixed(3)}
                      </button>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
