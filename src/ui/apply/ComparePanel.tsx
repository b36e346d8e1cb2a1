/**
 * "Compare two sentences": A and B, each encoded on its own; the cosine of their pooled vectors at the selected
 * layer (all three poolings), the same at every layer, which tokens align (BERTScore-style), and — with A and B
 * encoded as one pair — how much attention crosses between them in each layer and head.
 */
import { useCallback, useMemo } from 'react';
import { choiceFromParam } from '../../shared/models.ts';
import { SENTENCE_MODEL } from '../../engine/catalogue.ts';
import { useStore } from '../../state/store.ts';
import { crossAttentionSpec, similarityLines } from '../charts/compare.ts';
import { HeatmapCanvas } from '../charts/heatmap/HeatmapCanvas.tsx';
import { Plot } from '../charts/Plot.tsx';
import { useController } from '../controllerContext.ts';
import { useDebounced } from '../useDebounced.ts';
import { useFetched } from '../useFetched.ts';
import { PoolingSelect, RandomWeightsNote, usePooling } from './common.tsx';
import { Alignment } from './Alignment.tsx';

/** Above this, say that raw ALBERT finds most pairs similar. */
const HIGH_COSINE = 0.6;

/** For a model not trained for similarity: one click loads one that is. */
function SwitchToSentenceModel() {
  const controller = useController();
  return (
    <p className="hint">
      This model was not trained to compare sentences.{' '}
      <button
        type="button"
        data-testid="compare.switch-model"
        onClick={() => void controller.load(choiceFromParam(SENTENCE_MODEL.repo))}
      >
        Load {SENTENCE_MODEL.name}
      </button>{' '}
      ({SENTENCE_MODEL.sizesMB.fp32} MB): {SENTENCE_MODEL.purpose}
    </p>
  );
}

export function ComparePanel() {
  const { client } = useController();
  const a = useStore((s) => s.compareA);
  const b = useStore((s) => s.compareB);
  const setA = useStore((s) => s.setCompareA);
  const setB = useStore((s) => s.setCompareB);
  const pooling = usePooling().mode;
  const layer = useStore((s) => s.layer);
  const info = useStore((s) => s.info);
  const ready = useStore(
    (s) => s.info !== undefined && s.lifecycle !== 'loading' && s.lifecycle !== 'warming',
  );
  const texts = useDebounced({ a, b }, 300);
  const key = ready
    ? JSON.stringify([info?.model, info?.modelFile, info?.backend.name, texts.a, texts.b])
    : undefined;
  const compared = useFetched(key, () => client.compare(texts.a, texts.b));
  const view = compared.value;
  const figure = useMemo(
    () => view && similarityLines(view.perLayer, layer, pooling),
    [view, layer, pooling],
  );
  const cosine = view?.perLayer[pooling][layer];
  const cross = useMemo(
    () =>
      view?.pair && [
        crossAttentionSpec(view.pair.aToB, 'Share of attention A’s tokens give B’s, per layer and head'),
        crossAttentionSpec(view.pair.bToA, 'Share of attention B’s tokens give A’s, per layer and head'),
      ],
    [view],
  );
  const hover = useCallback(
    (row: number, col: number, value: number) =>
      `layer ${row + 1}, head ${col}: ${(value * 100).toFixed(1)}%`,
    [],
  );
  return (
    <section className="compare" data-testid="compare.panel">
      <div className="compare-inputs">
        <label className="block">
          Sentence A
          <textarea data-testid="compare.a" rows={2} value={a} onChange={(e) => setA(e.target.value)} />
        </label>
        <label className="block">
          Sentence B
          <textarea data-testid="compare.b" rows={2} value={b} onChange={(e) => setB(e.target.value)} />
        </label>
      </div>
      <div className="row">
        <PoolingSelect />
      </div>
      {info && !info.sentence && <SwitchToSentenceModel />}
      <RandomWeightsNote what="these similarities" />
      {compared.error && <p className="error">Could not compare: {compared.error}</p>}
      {view && cosine !== undefined && (
        <>
          <p className="big-number">
            cos(A, B) at layer {layer} = <b data-testid="compare.cosine">{cosine.toFixed(4)}</b>{' '}
            <small data-testid="compare.all-poolings">
              (mean {view.perLayer.mean[layer]!.toFixed(4)} · [CLS] {view.perLayer.cls[layer]!.toFixed(4)} ·
              max {view.perLayer.max[layer]!.toFixed(4)})
            </small>
            {compared.pending && <small> (updating…)</small>}
          </p>
          {view.truncatedTo && (
            <p className="hint" data-testid="compare.truncated">
              Cut to {view.truncatedTo} tokens, the longest input this model was trained on.
            </p>
          )}
          {cosine >= HIGH_COSINE && !info?.sentence && (
            <p className="hint" data-testid="compare.caveat">
              A high cosine is not proof of similar meaning: raw ALBERT, not fine-tuned for similarity, gives
              high cosines to most pairs of sentences (its vectors share a large common direction). Look at
              how the cosine changes across layers and which tokens align, below, to see why.
            </p>
          )}
          {figure && <Plot figure={figure} testId="chart.similarity-layers" height={300} />}
          <Alignment
            compareId={view.compareId}
            layer={layer}
            tokensA={view.a.tokens}
            tokensB={view.b.tokens}
          />
          <h2>Pair mode: A and B as one input, [CLS] A [SEP] B [SEP]</h2>
          {!view.pair && info?.attentionUnavailable && (
            <p className="warning" data-testid="compare.pair-unavailable">
              No cross-attention: {info.attentionUnavailable}.
            </p>
          )}
          {view.pair?.truncated && (
            <p className="warning">The pair was longer than the model takes and was cut.</p>
          )}
          {cross && (
            <div className="pair-maps">
              <HeatmapCanvas spec={cross[0]!} testId="chart.cross-a-to-b" hover={hover} />
              <HeatmapCanvas spec={cross[1]!} testId="chart.cross-b-to-a" hover={hover} />
            </div>
          )}
        </>
      )}
    </section>
  );
}
