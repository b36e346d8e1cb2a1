/**
 * Which tokens of A and B align at the selected layer: the cosine heatmap, each token's best match, and the
 * BERTScore-style precision, recall and F1 those matches give (B as the candidate, A as the reference).
 */
import { useCallback, useMemo } from 'react';
import { alignmentSpec } from '../charts/compare.ts';
import { HeatmapCanvas } from '../charts/heatmap/HeatmapCanvas.tsx';
import { useController } from '../controllerContext.ts';
import { showPiece } from '../format.ts';
import { useFetched } from '../useFetched.ts';

const name = (tokens: string[], i: number) => `${i} ${showPiece(tokens[i] ?? '')}`;

export function Alignment(props: { compareId: number; layer: number; tokensA: string[]; tokensB: string[] }) {
  const { client } = useController();
  const { compareId, layer, tokensA, tokensB } = props;
  const fetched = useFetched(`${compareId}:${layer}`, () => client.alignment(compareId, layer));
  const al = fetched.value;
  const spec = useMemo(() => al && alignmentSpec(al, tokensA, tokensB, layer), [al, tokensA, tokensB, layer]);
  const hover = useCallback(
    (row: number, col: number, value: number) =>
      al ? `${name(tokensA, al.rows[row]!)} ↔ ${name(tokensB, al.cols[col]!)}: ${value.toFixed(4)}` : '',
    [al, tokensA, tokensB],
  );
  if (fetched.error) return <p className="error">Could not align the tokens: {fetched.error}</p>;
  if (!al || !spec) return <p>aligning tokens…</p>;
  if (al.rows.length === 0 || al.cols.length === 0)
    return <p className="hint">One of the texts has no tokens besides [CLS]/[SEP]: nothing to align.</p>;
  const cos = (i: number, j: number) => al.cosines.data[i * al.cols.length + j]!;
  return (
    <section className="alignment" data-testid="compare.alignment">
      <p>
        Greedy matching as BERTScore does it (no idf weights): precision{' '}
        <b data-testid="compare.precision">{al.precision.toFixed(4)}</b> (B’s tokens to their best match in
        A), recall <b data-testid="compare.recall">{al.recall.toFixed(4)}</b> (A’s tokens to B), F1{' '}
        <b data-testid="compare.f1">{al.f1.toFixed(4)}</b>.
      </p>
      <HeatmapCanvas spec={spec} testId="chart.alignment" hover={hover} />
      <div className="matches">
        <table data-testid="compare.matches-a">
          <caption>Each token of A → its best match in B</caption>
          <tbody>
            {al.bestForRow.map((j, i) => (
              <tr key={i}>
                <td>{name(tokensA, al.rows[i]!)}</td>
                <td>→ {name(tokensB, al.cols[j]!)}</td>
                <td>{cos(i, j).toFixed(4)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table data-testid="compare.matches-b">
          <caption>Each token of B → its best match in A</caption>
          <tbody>
            {al.bestForCol.map((i, j) => (
              <tr key={j}>
                <td>{name(tokensB, al.cols[j]!)}</td>
                <td>→ {name(tokensA, al.rows[i]!)}</td>
                <td>{cos(i, j).toFixed(4)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
