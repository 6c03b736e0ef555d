import { describe, expect, it } from 'vitest';
import { nextTakeNumber, takeNumberTaken } from '../../src/engine/project';

const original = { kind: 'original' as const, label: 'Original' };
const take = (label: string) => ({ kind: 'generated' as const, label });

describe('take numbers', () => {
  it('numbers after the highest "Take N" and the renders in flight, never reusing one', () => {
    expect(nextTakeNumber([original])).toBe(1);
    expect(nextTakeNumber([original], [1])).toBe(2);
    expect(nextTakeNumber([original, take('Take 1'), take('Take 2')])).toBe(3);
    // Take 1 deleted: Take 2 is still there, so the next is 3, not a second "Take 2".
    expect(nextTakeNumber([original, take('Take 2')])).toBe(3);
    // A render queued for Take 3 holds it while Take 2 is the last take.
    expect(nextTakeNumber([original, take('Take 1'), take('Take 2')], [3])).toBe(4);
  });

  it('counts takes an editor renamed, without reading their labels', () => {
    expect(nextTakeNumber([original, take('clean plate'), take('Take 1')])).toBe(3);
    expect(nextTakeNumber([original, take('Take 1 v2')])).toBe(2);
  });

  it('says whether a number is a take\'s already', () => {
    expect(takeNumberTaken([original, take('Take 2')], 2)).toBe(true);
    expect(takeNumberTaken([original, take('Take 2')], 1)).toBe(false);
    expect(takeNumberTaken([{ kind: 'original', label: 'Take 1' }], 1)).toBe(false);
  });
});
