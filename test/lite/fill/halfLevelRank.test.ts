import { describe, expect, it } from 'vitest';
import { halfLevelRank } from '../../../src/engine/lite/fill/distractors';
import { seededRandom } from '../track/seededRandom';

describe('halfLevelRank', () => {
  it('is what sorting and indexing gives, for every rank of random half levels', () => {
    const rand = seededRandom(11);
    for (let c = 0; c < 60; c++) {
      const n = 1 + Math.floor(rand() * 300);
      // Clustered low (noise) with a tail (moving things), as the grid's differences are.
      const v = Float32Array.from({ length: n }, () => Math.floor((rand() < 0.8 ? rand() * 12 : rand() * 511)) / 2);
      const sorted = v.slice().sort();
      for (const rank of [0, n >> 1, n - 1, Math.floor(rand() * n)]) expect(halfLevelRank(v, rank)).toBe(sorted[rank]);
    }
  });

  it('takes the extremes 0 and 255', () => {
    expect(halfLevelRank(Float32Array.of(255, 0, 255), 1)).toBe(255);
    expect(halfLevelRank(Float32Array.of(255, 0, 0.5), 0)).toBe(0);
  });

  it('refuses a rank past the values', () => {
    expect(() => halfLevelRank(Float32Array.of(1, 2), 2)).toThrow(/rank 2 of 2/);
  });
});
