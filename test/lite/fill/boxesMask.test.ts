import { describe, expect, it } from 'vitest';
import { boxesMask } from '../../../src/engine/lite/fill/distractors';

describe('boxesMask', () => {
  it('paints every box rounded outward and grown, as 1s, or gives null with no box', () => {
    const m = boxesMask([{ x: 1.5, y: 1.2, width: 2, height: 1 }, null], 6, 5, 0)!;
    const rows = Array.from({ length: 5 }, (_, y) => Array.from(m.subarray(y * 6, y * 6 + 6)).join(''));
    expect(rows).toEqual(['000000', '011100', '011100', '000000', '000000']);
    expect(boxesMask([null], 6, 5, 1)).toBeNull();
  });

  it('paints into a given buffer, clearing what it held, and clears it when there is no box', () => {
    const into = new Uint8Array(30).fill(7);
    expect(boxesMask([{ x: 0, y: 0, width: 1, height: 1 }], 6, 5, 1, into)).toBe(into);
    expect(Array.from(into.subarray(0, 6))).toEqual([1, 1, 0, 0, 0, 0]);
    expect(into.reduce((a, v) => a + v, 0)).toBe(4);
    into.fill(7);
    expect(boxesMask([null], 6, 5, 1, into)).toBeNull();
    expect(into.every((v) => v === 0)).toBe(true);
  });
});
