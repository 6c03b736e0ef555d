/**
 * Choosing the next token from the decoder's logits: temperature sampling as the reference
 * generates (temperature 0.2), greedy at temperature 0. The random draw for token n is Philox
 * block n under the seed, so a generation is reproducible from the seed alone, on any machine.
 */
import { philox4x32 } from '../lgvi/noise';

/** A uniform draw in [0, 1) for step `n` under `seed` (53 bits from two Philox words). */
export function uniformAt(seed: number, n: number): number {
  const out = philox4x32([n >>> 0, Math.floor(n / 2 ** 32) >>> 0, 0, 0x6c6c6d73 /* "llms" */], [seed >>> 0, Math.floor(seed / 2 ** 32) >>> 0], new Uint32Array(4));
  return (out[0] * 2 ** 21 + (out[1] >>> 11)) / 2 ** 53;
}

/** Index of the chosen token in `logits` (one position's row). */
export function sampleToken(logits: Float32Array, temperature: number, seed: number, step: number): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  if (temperature <= 0) return best;
  const max = logits[best];
  let sum = 0;
  const p = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) {
    p[i] = Math.exp((logits[i] - max) / temperature);
    sum += p[i];
  }
  let u = uniformAt(seed, step) * sum;
  for (let i = 0; i < p.length; i++) {
    u -= p[i];
    if (u < 0) return i;
  }
  return best;
}
