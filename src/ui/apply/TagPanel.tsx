/**
 * "Tag tokens": example sentences with spans marked as `[Paris](LOC)`, and a text whose tokens get tags by
 * cosine k-NN or by the nearest tag centroid against the examples' token vectors at the selected layer. The
 * tags show inline on the text as coloured spans; hovering a token lists its nearest labelled tokens. The
 * worker keeps every layer's token vectors, so the layer and k controls tag again without a new run.
 */
import { useMemo, useState } from 'react';
import { OUTSIDE, parseTaggedExamples, type TaggedExample } from '../../engine/tagging.ts';
import { EXAMPLE_ENTITIES, EXAMPLE_TO_TAG } from '../../shared/examples.ts';
import { useStore } from '../../state/store.ts';
import type { TagView } from '../../worker/protocol.ts';
import { useController } from '../controllerContext.ts';
import { useFetched } from '../useFetched.ts';
import { JobProgress, KInput, RandomWeightsNote, TextBox } from './common.tsx';
import { useJob } from './useJob.ts';

/** A finished tagging: what ran (its kept vectors are the worker's set `setId`). */
interface Tagging {
  setId: number;
  text: string;
  examples: TaggedExample[];
}

type Method = 'knn' | 'centroid';

/** Colours for tags in order of first appearance (O has none). */
const PALETTE = ['#fde68a', '#bfdbfe', '#bbf7d0', '#fbcfe8', '#ddd6fe', '#fed7aa', '#a5f3fc', '#e5e7eb'];

export function TagPanel() {
  const { client } = useController();
  const examplesText = useStore((s) => s.tagExamplesText);
  const text = useStore((s) => s.tagText);
  const setExamples = useStore((s) => s.setTagExamplesText);
  const setText = useStore((s) => s.setTagText);
  const k = useStore((s) => s.neighboursK);
  const setK = useStore((s) => s.setNeighboursK);
  const layer = useStore((s) => s.layer);
  const [method, setMethod] = useState<Method>('knn');
  const parsed = useMemo(() => parseTaggedExamples(examplesText), [examplesText]);
  const { job, error, start, cancel } = useJob<Awaited<ReturnType<typeof client.tag>['done']>>(
    client,
    'Could not tag',
  );
  const [tagging, setTagging] = useState<Tagging>();

  const run = () => {
    const examples = parsed.examples;
    start(
      (onProgress) => client.tag({ examples, text, layer, k }, onProgress),
      ({ cancelled }, setId) => {
        if (!cancelled) setTagging({ setId, text, examples });
      },
    );
  };
  // Once tagged, the layer and k controls tag again from the kept vectors (edits to the boxes wait for a click).
  const key = tagging && JSON.stringify([tagging.setId, layer, k]);
  const viewed = useFetched(key, () => client.tagView(tagging!.setId, layer, k));
  const view = viewed.value?.setId === tagging?.setId ? viewed.value : undefined;

  const labels = [...new Set(parsed.examples.flatMap((e) => e.spans.map((s) => s.label)))];
  const spans = parsed.examples.reduce((n, e) => n + e.spans.length, 0);
  return (
    <section className="tagging" data-testid="tag.panel">
      <div className="compare-inputs">
        <TextBox
          label="Example sentences, one per line, with spans marked as “[Paris](LOC)”"
          testId="tag.examples"
          rows={10}
          value={examplesText}
          onChange={setExamples}
        />
        <TextBox label="Text to tag" testId="tag.text" rows={4} value={text} onChange={setText} />
      </div>
      <p className="hint" data-testid="tag.summary">
        {parsed.examples.length} sentences with {spans} spans of {labels.length} tags ({labels.join(', ')});
        every other token is {OUTSIDE}.
        {parsed.badLines.length > 0 && (
          <span className="error" data-testid="tag.bad-lines">
            {' '}
            Left out: {parsed.badLines.map((b) => `line ${b.line} (${b.reason})`).join('; ')}.
          </span>
        )}
      </p>
      <div className="row">
        <label>
          Tag by{' '}
          <select
            data-testid="tag.method"
            value={method}
            onChange={(e) => setMethod(e.target.value as Method)}
          >
            <option value="knn">k nearest labelled tokens (cosine-weighted votes)</option>
            <option value="centroid">nearest tag centroid (cosine with each tag's mean vector)</option>
          </select>
        </label>
        <KInput testId="tag.k" value={k} onChange={setK} />
        <button
          type="button"
          data-testid="tag.example"
          onClick={() => {
            setExamples(EXAMPLE_ENTITIES);
            setText(EXAMPLE_TO_TAG);
          }}
        >
          Load the example entities
        </button>
        <button
          type="button"
          data-testid="tag.run"
          disabled={spans === 0 || !text.trim() || job?.running}
          onClick={run}
        >
          Tag
        </button>
      </div>
      <p className="hint" data-testid="tag.expectations">
        What to expect: raw ALBERT was trained to fill in masked words, not to find names, and a dozen example
        sentences give a few hundred labelled tokens. Capitalised words and words seen in the examples are
        tagged best; an unseen name often takes the tag of a similar-looking word, and middle layers usually
        separate entity types better than the first or last (see “Which layer knows this”). A model fine-tuned
        for named entities would do far better.
      </p>
      {job?.running && job.progress && <JobProgress progress={job.progress} onCancel={cancel} />}
      {error && <p className="error">{error}</p>}
      {viewed.error && <p className="error">Could not tag again: {viewed.error}</p>}
      <RandomWeightsNote what="these tags" />
      {view && tagging && <TaggedText view={view} tagging={tagging} method={method} />}
    </section>
  );
}

/** Whether token i ends a run of one tag (the next token has another tag, or a space comes first). */
function endsRun(view: TagView, tags: string[], i: number): boolean {
  const next = view.offsets[i + 1];
  return !next || view.special[i + 1] || tags[i + 1] !== tags[i] || next[0] > view.offsets[i]![1];
}

/** The text with each token's tag as a coloured span, and the hovered token's nearest labelled tokens. */
function TaggedText({ view, tagging, method }: { view: TagView; tagging: Tagging; method: Method }) {
  const [hovered, setHovered] = useState<number>();
  const tags = method === 'knn' ? view.tags : view.centroidTags;
  const colours = new Map(
    [...new Set(view.references.map((r) => r.label))]
      .filter((t) => t !== OUTSIDE)
      .map((t, i) => [t, PALETTE[i % PALETTE.length]!]),
  );
  const parts: React.ReactNode[] = [];
  let at = 0;
  view.offsets.forEach((span, i) => {
    if (!span || view.special[i]) return;
    const [start, end] = span;
    if (start > at) parts.push(tagging.text.slice(at, start));
    const tag = tags[i]!;
    parts.push(
      <span
        key={i}
        className={tag === OUTSIDE ? 'tagged-token' : 'tagged-token tagged'}
        data-testid="tag.token"
        data-index={i}
        data-tag={tag}
        style={tag === OUTSIDE ? undefined : { background: colours.get(tag) }}
        onMouseEnter={() => setHovered(i)}
        onMouseLeave={() => setHovered(undefined)}
      >
        {tagging.text.slice(Math.max(start, at), end)}
        {tag !== OUTSIDE && endsRun(view, tags, i) && <sub className="tag-label">{tag}</sub>}
      </span>,
    );
    at = Math.max(at, end);
  });
  if (at < tagging.text.length) parts.push(tagging.text.slice(at));
  const scores = hovered === undefined ? null : view.scores[hovered];
  return (
    <div data-testid="tag.result">
      <p className="hint">
        At layer {view.layer}, by{' '}
        {method === 'knn' ? `the ${view.k} nearest labelled tokens` : 'nearest centroid'}
        {view.truncated ? ' (the text was cut to the model’s maximum length)' : ''}:
      </p>
      <p className="tagged-text" data-testid="tag.text-tagged">
        {parts}
      </p>
      {scores && hovered !== undefined && (
        <div className="tag-tooltip" data-testid="tag.tooltip">
          <b>{view.tokens[hovered]}</b>: k-NN {scores.knnTag}, centroid {scores.centroidTag}. Nearest labelled
          tokens:
          <ol>
            {scores.neighbours.map((n) => {
              const ref = view.references[n.reference]!;
              return (
                <li key={n.reference}>
                  {n.cosine.toFixed(3)} · {ref.label} · {ref.piece} in “{tagging.examples[ref.sentence]?.text}
                  ”
                </li>
              );
            })}
          </ol>
        </div>
      )}
    </div>
  );
}
