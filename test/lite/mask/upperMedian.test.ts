import { describe, expect, it } from 'vitest';
import { upperMedian } from '../../../src/engine/lite/mask/backgroundEvidence';

/** The upper median by its definition: the value at index n >> 1 once sorted. */
function sortedMiddle(values: number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1];
}

describe('upperMedian', () => {
  it('is the middle of the sorted values for every count up to 9', () => {
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    for (let trial = 0; trial < 5000; trial++) {
      const n = 1 + (trial % 9);
      // Few distinct levels as well as many, so ties are common.
      const values = Array.from({ length: n }, () => (trial % 3 === 0 ? next() & 3 : next()));
      expect(upperMedian(Uint8Array.from(values), n)).toBe(sortedMiddle(values));
    }
  });

  it('gets every ordering of nine distinct values right (the network)', () => {
    // All 9! = 362880 arrangements (Heap's algorithm): a network is correct when it is for every one.
    const v = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    const c = new Array(9).fill(0);
    const buf = new Uint8Array(9);
    let wrong = 0;
    let seen = 1;
    buf.set(v);
    if (upperMedian(buf, 9) !== 4) wrong++;
    for (let i = 0; i < 9; ) {
      if (c[i] < i) {
        const j = i % 2 === 0 ? 0 : c[i];
        [v[j], v[i]] = [v[i], v[j]];
        buf.set(v);
        if (upperMedian(buf, 9) !== 4) wrong++;
        seen++;
        c[i]++;
        i = 0;
      } else {
        c[i] = 0;
        i++;
      }
    }
    expect(seen).toBe(362880);
    expect(wrong).toBe(0);
    expect(upperMedian(Uint8Array.from([255, 255, 255, 255, 0, 0, 0, 0, 0]), 9)).toBe(0);
    expect(upperMedian(Uint8Array.from([0, 0, 0, 0, 255, 255, 255, 255, 255]), 9)).toBe(255);
  });

  it('reads only the first n values', () => {
    expect(upperMedian(Uint8Array.from([9, 1, 5, 200, 200, 200]), 3)).toBe(5);
  });
});
