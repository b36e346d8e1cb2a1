/**
 * The arithmetic behind one attention weight, with the model's own numbers: the query's pre-softmax scores
 * q·k/√d against every key, the softmax of that row step by step, and the chosen key's share, checked against
 * the probability the model produced. The worker re-runs the text once for the scores and drops them when this
 * table closes.
 */
import { useEffect, useMemo, useState } from 'react';
import { attentionArithmetic } from '../../engine/arithmetic.ts';
import { useController } from '../controllerContext.ts';
import { showPiece } from '../format.ts';
import { useFetched } from '../useFetched.ts';

/** Rows shown before "show all": the largest weights, plus the chosen key wherever it ranks. */
const TOP_ROWS = 16;

export interface ArithmeticProps {
  runId: number;
  /** Engine layer index (0..L-1). */
  layer: number;
  head: number;
  query: number;
  /** The key token whose weight is explained (`key` is React's own prop). */
  keyToken: number;
  tokens: string[];
  headSize: number;
  onClose(): void;
}

const fixed = (v: number, digits = 4) => (Math.abs(v) >= 1e4 ? v.toExponential(3) : v.toFixed(digits));

export function ArithmeticTable(props: ArithmeticProps) {
  const { client } = useController();
  const { runId, layer, head, query, keyToken: key, tokens } = props;
  const [all, setAll] = useState(false);
  useEffect(() => () => void client.releaseScores().catch(() => undefined), [client]);
  const fetched = useFetched(`${runId}:${layer}:${head}:${query}`, () =>
    client.attentionRow(runId, layer, head, query),
  );
  const arithmetic = useMemo(
    () =>
      fetched.value && attentionArithmetic(fetched.value.scores, fetched.value.probabilities, tokens, key),
    [fetched.value, tokens, key],
  );
  const shown = useMemo(() => {
    if (!arithmetic) return [];
    if (all) return arithmetic.rows;
    const top = arithmetic.rows.toSorted((a, b) => b.softmax - a.softmax).slice(0, TOP_ROWS);
    if (!top.some((r) => r.key === key)) top.push(arithmetic.rows[key]!);
    return top.toSorted((a, b) => a.key - b.key);
  }, [arithmetic, all, key]);
  const chosen = arithmetic?.rows[key];
  const name = (i: number) => `${i} ${showPiece(tokens[i] ?? '')}`;
  return (
    <section className="arithmetic" data-testid="attention.arithmetic">
      <h3>
        How layer {layer + 1}, head {head} weighs “{name(key)}” for “{name(query)}”{' '}
        <button type="button" data-testid="attention.arithmetic.close" onClick={props.onClose}>
          Close
        </button>
      </h3>
      {fetched.error ? (
        <p className="error">Could not fetch the scores: {fetched.error}</p>
      ) : !arithmetic || !chosen ? (
        <p>running the text again for its attention scores…</p>
      ) : (
        <>
          <p data-testid="attention.arithmetic.summary">
            score = q·k / √{props.headSize} = <b>{fixed(chosen.score)}</b>; softmax over the query’s{' '}
            {arithmetic.rows.length} keys: exp(score − max) / Σ exp(scoreⱼ − max) = {fixed(chosen.numerator)}{' '}
            / {fixed(arithmetic.denominator)} ={' '}
            <b data-testid="attention.arithmetic.share">{fixed(arithmetic.share, 6)}</b>. The model’s own
            weight: {fixed(chosen.modelProbability, 6)} (largest difference over the row{' '}
            <span data-testid="attention.arithmetic.difference">
              {arithmetic.maxDifference.toExponential(1)}
            </span>
            ).
          </p>
          <table data-testid="attention.arithmetic.table">
            <thead>
              <tr>
                <th>key</th>
                <th>score q·k/√d</th>
                <th>exp(score − max)</th>
                <th>softmax</th>
                <th>model</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.key} className={r.key === key ? 'chosen' : undefined}>
                  <td>{name(r.key)}</td>
                  <td>{fixed(r.score)}</td>
                  <td>{fixed(r.numerator, 6)}</td>
                  <td>{fixed(r.softmax, 6)}</td>
                  <td>{fixed(r.modelProbability, 6)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {arithmetic.rows.length > shown.length || all ? (
            <button type="button" data-testid="attention.arithmetic.all" onClick={() => setAll(!all)}>
              {all ? `Show the ${TOP_ROWS} largest` : `Show all ${arithmetic.rows.length} keys`}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
