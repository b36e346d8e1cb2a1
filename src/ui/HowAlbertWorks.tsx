/**
 * "How ALBERT works": the path a token takes through the loaded model, drawn from its config, each stage a button
 * that opens the view and layer that show it, and the parameter counts that make ALBERT "lite" beside an unshared
 * BERT of the same shape. The text is the project's own; the reference is the paper (Lan et al., 2019).
 */
import { useStore } from '../state/store.ts';

const millions = (n: number) => `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)} M`;
const count = (n: number) => n.toLocaleString('en-US');

export function HowAlbertWorks() {
  const info = useStore((s) => s.info);
  const setLayer = useStore((s) => s.setLayer);
  const setView = useStore((s) => s.setView);
  const setShowFactorized = useStore((s) => s.setShowFactorized);
  if (!info) return null;
  const p = info.parameters;
  const { vocabSize: v, embeddingSize: e, hiddenSize: h, layers: l } = info;
  /** Opens a view at a layer (the factorized embedding at layer 0 when asked). */
  const show =
    (view: 'embeddings' | 'attention', layer: number, factorized = false) =>
    () => {
      setShowFactorized(factorized);
      setLayer(layer);
      setView(view);
    };
  return (
    <details className="how-albert" data-testid="how.panel">
      <summary>How ALBERT works (this model: {millions(p.total)} parameters)</summary>
      <p>
        ALBERT is “A Lite BERT” (Lan et al., 2019,{' '}
        <a href="https://arxiv.org/abs/1909.11942" rel="noreferrer" target="_blank">
          arXiv:1909.11942
        </a>
        ): BERT's Transformer encoder with two changes that cut its parameters, and a pre-training that asks
        it to fill in masked words (masked LM) and to tell whether two segments are in their original order
        (sentence-order prediction), instead of BERT's next-sentence prediction.
      </p>
      <ol className="how-path" data-testid="how.path">
        <li>
          <button type="button" data-testid="how.pieces" onClick={show('embeddings', 0, true)}>
            SentencePiece pieces
          </button>{' '}
          — one id per piece, from a vocabulary of {count(v)}.
        </li>
        <li>
          <button type="button" data-testid="how.factorized" onClick={show('embeddings', 0, true)}>
            Factorized embedding, {e} wide
          </button>{' '}
          — a {count(v)} × {e} table (plus positions and segments): {millions(p.embeddings)} parameters, where
          a {h}-wide table would need {millions(p.unfactorizedEmbeddings)}.
        </li>
        <li>
          <button type="button" data-testid="how.projection" onClick={show('embeddings', 0)}>
            Projection to {h} (embedding_hidden_mapping_in)
          </button>{' '}
          — an {e} × {h} matrix: {count(p.projection)} parameters. Its output is layer 0 of the views.
        </li>
        <li>
          <button type="button" data-testid="how.layer" onClick={show('attention', 1)}>
            One Transformer layer, applied {l} times
          </button>{' '}
          — self-attention with {info.heads} heads, then a feed-forward block; the same {millions(p.layer)}{' '}
          weights at every step (cross-layer parameter sharing), so depth costs no parameters.
        </li>
        <li>
          <button type="button" data-testid="how.hidden" onClick={show('embeddings', l)}>
            Hidden states 1 … {l}
          </button>{' '}
          — what each application of the shared layer gives every token: the vectors, attention and
          projections this page shows.
        </li>
      </ol>
      <table className="how-counts" data-testid="how.counts">
        <caption>Parameters, from this model's config</caption>
        <tbody>
          <tr>
            <th scope="row">Embeddings ({e} wide)</th>
            <td>{count(p.embeddings)}</td>
          </tr>
          <tr>
            <th scope="row">
              Projection {e} → {h}
            </th>
            <td>{count(p.projection)}</td>
          </tr>
          <tr>
            <th scope="row">Shared layer (held once, used {l} times)</th>
            <td>{count(p.layers)}</td>
          </tr>
          <tr>
            <th scope="row">Pooler</th>
            <td>{count(p.pooler)}</td>
          </tr>
          <tr>
            <th scope="row">ALBERT, in all</th>
            <td data-testid="how.total">{count(p.total)}</td>
          </tr>
          <tr>
            <th scope="row">
              A BERT of the same shape ({h}-wide embeddings, {l} layers of their own)
            </th>
            <td data-testid="how.bert">{count(p.unsharedBert)}</td>
          </tr>
        </tbody>
      </table>
    </details>
  );
}
