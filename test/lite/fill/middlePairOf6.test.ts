import { describe, expect, it } from 'vitest';
import { middlePairSumOf6 } from '../../../src/engine/lite/fill/distractors';

describe('middlePairSumOf6', () => {
  it('is the sum of ranks 2 and 3 of six values, as a sort gives, for every ordering with ties (0..3 in each place)', () => {
    let cases = 0;
    for (let code = 0; code < 4 ** 6; code++) {
      const v = Array.from({ length: 6 }, (_, i) => Math.floor(code / 4 ** i) % 4);
      const sorted = [...v].sort((x, y) => x - y);
      expect(middlePairSumOf6(v[0], v[1], v[2], v[3], v[4], v[5]), v.join(',')).toBe(sorted[2] + sorted[3]);
      cases++;
    }
    expect(cases).toBe(4096);
  });

  it('agrees with a sort on every permutation of six distinct bytes', () => {
    const base = [3, 250, 17, 128, 0, 99];
    const permute = (rest: number[], done: number[]): number[][] => (rest.length ? rest.flatMap((x, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...done, x])) : [done]);
    const all = permute(base, []);
    expect(all.length).toBe(720);
    for (const p of all) expect(middlePairSumOf6(p[0], p[1], p[2], p[3], p[4], p[5])).toBe(17 + 99);
  });
});
