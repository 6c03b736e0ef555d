import { describe, expect, it } from 'vitest';
import { keepGains, keptGains } from '../../../src/engine/lite/fill/windowGains';

const table = (count: number) => ({ state: new Uint8Array(count * count), values: new Float64Array(count * count * 3) });

describe('window gains', () => {
  it('gives a frame back the gains it kept, none measured as null, and nothing for frames it never measured', () => {
    const gains = table(4);
    keepGains(gains, 4, 2, new Map([[1, Float64Array.of(1.1, 0.9, 1.05)], [3, null]]));
    const kept = keptGains(gains, 4, 2);
    expect([...kept.keys()].sort()).toEqual([1, 3]);
    expect(Array.from(kept.get(1)!)).toEqual([1.1, 0.9, 1.05]);
    expect(kept.get(3)).toBeNull();
    expect(kept.has(0)).toBe(false);
  });

  it('keeps each frame’s row apart (a frame never sees another’s gains)', () => {
    const gains = table(3);
    keepGains(gains, 3, 0, new Map([[1, Float64Array.of(2, 2, 2)]]));
    keepGains(gains, 3, 1, new Map([[0, Float64Array.of(0.5, 0.5, 0.5)]]));
    expect(keptGains(gains, 3, 2).size).toBe(0);
    expect(Array.from(keptGains(gains, 3, 0).get(1)!)).toEqual([2, 2, 2]);
    expect(Array.from(keptGains(gains, 3, 1).get(0)!)).toEqual([0.5, 0.5, 0.5]);
  });

  it('hands out copies: a caller changing one does not change the table', () => {
    const gains = table(2);
    keepGains(gains, 2, 0, new Map([[1, Float64Array.of(1.2, 1.2, 1.2)]]));
    keptGains(gains, 2, 0).get(1)![0] = 9;
    expect(keptGains(gains, 2, 0).get(1)![0]).toBe(1.2);
  });
});
