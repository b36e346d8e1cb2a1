/**
 * The distances from fp32 that the page and the CLI quote are what the fixtures measure today: the recorded
 * table is measured again (deterministic: one WASM thread, the same files and texts) and must agree to its
 * three significant digits.
 */
import { expect, it } from 'vitest';
import { measureFidelity } from './testing/measureFidelity.ts';
import { DTYPES } from './dtypes.ts';
import { FIDELITY } from './fidelity.ts';

it('the recorded distance of every dtype from fp32 is the measured one', async () => {
  const measured = await measureFidelity();
  expect(Object.keys(measured).toSorted()).toEqual(DTYPES.filter((d) => d !== 'fp32').toSorted());
  for (const [dtype, values] of Object.entries(measured))
    for (const [key, value] of Object.entries(values)) {
      const recorded = FIDELITY[dtype as keyof typeof FIDELITY][key as keyof typeof values];
      expect(
        Math.abs(value - recorded),
        `${dtype} ${key}: measured ${value}, recorded ${recorded}`,
      ).toBeLessThanOrEqual(Math.abs(recorded) * 5e-3 + 1e-6);
    }
  // The order the table implies: half precision is far closer to fp32 than 8-bit, and 8-bit than 4-bit.
  expect(FIDELITY.fp16.hiddenMeanAbs * 10).toBeLessThan(FIDELITY.q8.hiddenMeanAbs);
  expect(FIDELITY.int8.hiddenMeanAbs * 5).toBeLessThan(FIDELITY.q4.hiddenMeanAbs);
}, 120_000);
