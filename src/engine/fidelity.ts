/**
 * How far each dtype's numbers typically are from fp32's, measured on the bundled test model (every dtype file
 * of public/models/albert-tiny-random against its model.onnx, same weights, same texts) by
 * `npm run measure:fidelity`, which prints this table; fidelity.test.ts measures again and holds the table to it.
 * The page and the CLI's JSON quote it wherever numbers come from a quantized or fp16 file.
 */
import type { Dtype } from './dtypes.ts';
import type { Precision } from './onnx/precision.ts';

export interface Fidelity {
  /** Mean |Δ| over every hidden state (layers 0..L) of every token. */
  hiddenMeanAbs: number;
  /** Largest |Δ| in any hidden state. */
  hiddenMaxAbs: number;
  /** Largest |Δ| in any attention probability. */
  attentionMaxAbs: number;
  /** Lowest cosine between a token's last-layer vector and its fp32 vector. */
  tokenCosineMin: number;
}

/** Measured by scripts/measure-fidelity.ts (see the file comment), 3 significant digits. */
export const FIDELITY: Record<Exclude<Dtype, 'fp32'>, Fidelity> = {
  fp16: { hiddenMeanAbs: 0.000784, hiddenMaxAbs: 0.0184, attentionMaxAbs: 0.00938, tokenCosineMin: 1 },
  q8: { hiddenMeanAbs: 0.0248, hiddenMaxAbs: 0.411, attentionMaxAbs: 0.347, tokenCosineMin: 0.991 },
  int8: { hiddenMeanAbs: 0.0278, hiddenMaxAbs: 0.429, attentionMaxAbs: 0.398, tokenCosineMin: 0.988 },
  uint8: { hiddenMeanAbs: 0.0247, hiddenMaxAbs: 0.735, attentionMaxAbs: 0.387, tokenCosineMin: 0.981 },
  q4: { hiddenMeanAbs: 0.184, hiddenMaxAbs: 2.54, attentionMaxAbs: 0.976, tokenCosineMin: 0.755 },
  q4f16: { hiddenMeanAbs: 0.184, hiddenMaxAbs: 2.54, attentionMaxAbs: 0.976, tokenCosineMin: 0.754 },
  bnb4: { hiddenMeanAbs: 0.218, hiddenMaxAbs: 2.5, attentionMaxAbs: 0.986, tokenCosineMin: 0.712 },
};

/** Where the numbers were measured, for people. */
export const MEASURED_ON = 'the random 3-layer test model (albert-tiny-random), 6 texts';

/** What a file's precision means for its numbers, or undefined for float32 (the model's own numbers). */
export function precisionReport(precision: Precision): {
  kind: Dtype;
  summary: string;
  typicalDistanceFromFp32?: Fidelity;
  measuredOn?: string;
} {
  const base = { kind: precision.kind, summary: precision.summary };
  if (precision.kind === 'fp32') return base;
  return { ...base, typicalDistanceFromFp32: FIDELITY[precision.kind], measuredOn: MEASURED_ON };
}

const g = (x: number) => x.toPrecision(2);

/** One sentence for the page: what the numbers come from and how far from fp32 they typically are. */
export function precisionSentence(precision: Precision): string | undefined {
  if (precision.kind === 'fp32') return undefined;
  const f = FIDELITY[precision.kind];
  return (
    `These numbers come from ${precision.kind} weights (${precision.summary}), not the model's float32 ones: ` +
    `hidden states typically differ from fp32 by ${g(f.hiddenMeanAbs)} (at most ${g(f.hiddenMaxAbs)}), ` +
    `attention by at most ${g(f.attentionMaxAbs)}, and a token's last-layer vector keeps a cosine of at least ` +
    `${f.tokenCosineMin.toFixed(3)} with its fp32 vector (measured on ${MEASURED_ON}; real weights may differ).`
  );
}
