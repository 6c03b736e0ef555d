// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011): a
// counter-based generator. Output block i is a pure function of (key, counter i), so any element of
// any noise stream can be computed without generating the ones before it: noise for frame f of
// window w does not depend on the order windows are processed in, or on how a buffer is chunked.
// Only 32-bit integer operations are used (Math.imul and exact sums of 16-bit partial products in
// doubles), so every platform and JS engine produces the same bits.

/** Round multipliers and key increments ("Weyl" constants) from the paper. */
const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const ROUNDS = 10;

/** High 32 bits of the 64-bit product of two unsigned 32-bit integers, exactly. */
export function mulHi32(a: number, b: number): number {
  const aHi = a >>> 16;
  const aLo = a & 0xffff;
  const bHi = b >>> 16;
  const bLo = b & 0xffff;
  const lolo = aLo * bLo;
  const lohi = aLo * bHi;
  const hilo = aHi * bLo;
  // Every partial product is below 2^32, so these sums are exact in float64.
  const carry = ((lolo >>> 16) + (lohi & 0xffff) + (hilo & 0xffff)) >>> 16;
  return (aHi * bHi + (lohi >>> 16) + (hilo >>> 16) + carry) >>> 0;
}

/**
 * One Philox4x32-10 block: writes four uint32 words for `counter` (4 words) under `key` (2 words)
 * into `out` (may alias `counter`). Checked against Random123's published known-answer vectors.
 */
export function philox4x32(counter: ArrayLike<number>, key: ArrayLike<number>, out: Uint32Array): Uint32Array {
  let x0 = counter[0] >>> 0;
  let x1 = counter[1] >>> 0;
  let x2 = counter[2] >>> 0;
  let x3 = counter[3] >>> 0;
  let k0 = key[0] >>> 0;
  let k1 = key[1] >>> 0;
  for (let round = 0; round < ROUNDS; round++) {
    if (round > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulHi32(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulHi32(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    const y0 = (hi1 ^ x1 ^ k0) >>> 0;
    const y2 = (hi0 ^ x3 ^ k1) >>> 0;
    x0 = y0;
    x1 = lo1;
    x2 = y2;
    x3 = lo0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
  return out;
}
