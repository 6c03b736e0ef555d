import { describe, expect, it } from 'vitest';
import { minCostAssignment } from '../../../src/engine/lite/track/minCostAssignment';
import { seededRandom } from './seededRandom';

/** Best total over all assignments of min(rows, cols) pairs, by brute force (small sizes only). */
function bruteForce(cost: number[][]): number {
  const rows = cost.length;
  const cols = cost[0].length;
  let best = Infinity;
  const usedCols = new Array(cols).fill(false);
  const go = (r: number, total: number, pairs: number) => {
    if (r === rows) {
      if (pairs === Math.min(rows, cols)) best = Math.min(best, total);
      return;
    }
    if (rows - r > cols - pairs) go(r + 1, total, pairs); // leave this row unmatched only if there are spare rows
    for (let c = 0; c < cols; c++) {
      if (usedCols[c]) continue;
      usedCols[c] = true;
      go(r + 1, total + cost[r][c], pairs + 1);
      usedCols[c] = false;
    }
  };
  go(0, 0, 0);
  return best;
}

const total = (cost: number[][], pairs: [number, number][]) => pairs.reduce((s, [r, c]) => s + cost[r][c], 0);

describe('minCostAssignment', () => {
  it('solves a textbook case where greedy fails', () => {
    // Greedy takes (0,0)=1 then must take (1,1)=10: total 11. The optimum is (0,1)+(1,0) = 2+2.
    const cost = [
      [1, 2],
      [2, 10],
    ];
    expect(minCostAssignment(cost)).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('matches brute force on random square and rectangular matrices', () => {
    const rand = seededRandom(7);
    for (let trial = 0; trial < 60; trial++) {
      const rows = 1 + Math.floor(rand() * 5);
      const cols = 1 + Math.floor(rand() * 5);
      const cost = Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.round(rand() * 100) / 10));
      const pairs = minCostAssignment(cost);
      expect(pairs).toHaveLength(Math.min(rows, cols));
      expect(new Set(pairs.map((p) => p[0])).size).toBe(pairs.length);
      expect(new Set(pairs.map((p) => p[1])).size).toBe(pairs.length);
      expect(total(cost, pairs)).toBeCloseTo(bruteForce(cost), 9);
    }
  });

  it('never returns a forbidden pair, leaving rows unmatched instead', () => {
    const cost = [
      [Infinity, 1],
      [Infinity, 2],
      [5, Infinity],
    ];
    const pairs = minCostAssignment(cost);
    expect(pairs).toEqual([
      [0, 1],
      [2, 0],
    ]);
    expect(minCostAssignment([[Infinity, Infinity]])).toEqual([]);
  });

  it('handles empty inputs', () => {
    expect(minCostAssignment([])).toEqual([]);
    expect(minCostAssignment([[], []])).toEqual([]);
  });
});
