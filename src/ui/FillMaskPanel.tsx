/**
 * Fill-mask: at each [MASK] in the text, the masked-LM head's top pieces with their probabilities as bars.
 * The worker computes them; a feature-extraction export has no head, and the panel says so.
 */
import { maskPositions, type MaskPrediction } from '../engine/fillMask.ts';
import { useStore } from '../state/store.ts';
import { showPiece } from './format.ts';

const percent = (p: number) => `${(p * 100).toFixed(2)}%`;

function MaskGroup({ prediction, segment }: { prediction: MaskPrediction; segment: number }) {
  return (
    <div className="fillmask-position" data-testid="fillmask.position" data-position={prediction.position}>
      <h3>
        Position {prediction.position} <code className="fillmask-mask">[MASK]</code>
        {segment === 1 && <small> (segment B)</small>} →
      </h3>
      <ol className="fillmask-rows">
        {prediction.top.map((piece) => (
          <li
            key={piece.id}
            data-testid="fillmask.row"
            data-id={piece.id}
            data-probability={piece.probability}
            title={`id ${piece.id} · logit ${piece.logit.toFixed(4)}`}
          >
            <span className="fillmask-piece">{showPiece(piece.token)}</span>
            <span className="fillmask-bar">
              <span style={{ width: `${piece.probability * 100}%` }} />
            </span>
            <span className="fillmask-probability" data-testid="fillmask.probability">
              {percent(piece.probability)}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

export function FillMaskPanel() {
  const run = useStore((s) => s.run);
  const hasLogits = useStore((s) => s.info?.hasLogits);
  const randomWeights = useStore((s) => s.info?.randomWeights);
  if (!run || maskPositions(run).length === 0) return null;
  if (!hasLogits)
    return (
      <section className="fillmask" data-testid="fillmask.panel">
        <p className="warning" data-testid="fillmask.no-head">
          This model file has no masked-LM head (a feature-extraction export), so it cannot fill [MASK]; load
          a fill-mask export (onnx/model.onnx of Xenova/albert-base-v2)
        </p>
      </section>
    );
  if (!run.predictions) return null;
  return (
    <section className="fillmask" data-testid="fillmask.panel">
      <h2>Fill-mask: the most probable pieces at each [MASK]</h2>
      {randomWeights && (
        <p className="warning" data-testid="fillmask.random">
          Random weights: these predictions mean nothing.
        </p>
      )}
      {run.predictions.map((p) => (
        <MaskGroup key={p.position} prediction={p} segment={run.tokenTypeIds[p.position] ?? 0} />
      ))}
    </section>
  );
}
