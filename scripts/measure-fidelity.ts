/**
 * `npm run measure:fidelity`: prints how far each dtype file of the bundled test model is from its fp32 file
 * (src/engine/testing/measureFidelity.ts), as a table and as the record src/engine/fidelity.ts keeps.
 */
import { measureFidelity } from '../src/engine/testing/measureFidelity.ts';

const fmt = (x: number) => Number(x.toPrecision(3));

const table = await measureFidelity();
console.log('dtype  hidden mean|Δ|  hidden max|Δ|  attention max|Δ|  token cosine min');
for (const [dtype, f] of Object.entries(table))
  console.log(
    `${dtype.padEnd(6)} ${String(fmt(f.hiddenMeanAbs)).padEnd(15)} ${String(fmt(f.hiddenMaxAbs)).padEnd(14)} ${String(fmt(f.attentionMaxAbs)).padEnd(17)} ${fmt(f.tokenCosineMin)}`,
  );
console.log('\nfor src/engine/fidelity.ts:');
console.log(
  JSON.stringify(
    Object.fromEntries(
      Object.entries(table).map(([d, f]) => [
        d,
        Object.fromEntries(Object.entries(f).map(([k, v]) => [k, fmt(v as number)])),
      ]),
    ),
    null,
    2,
  ),
);
