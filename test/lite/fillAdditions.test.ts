import { describe, expect, it } from 'vitest';
import { chunkAdditions } from '../../src/engine/farm/liteSplit';
import { additionsOf, describeAdditions, noAdditions, sumAdditions } from '../../src/engine/lite/fillAdditions';

describe('fill additions', () => {
  it('sums pixels and frames and keeps the widest growth', () => {
    const sum = noAdditions();
    sumAdditions(sum, additionsOf({ edgePixels: 300, edgeWidest: 3, shadowPixels: 0 }, 10));
    sumAdditions(sum, additionsOf({ edgePixels: 100, edgeWidest: 5, shadowPixels: 40 }, 10));
    expect(sum).toEqual({ edgePixels: 400, edgeWidest: 5, shadowPixels: 40, frames: 20 });
    expect(describeAdditions(sum, true)).toBe('; grew the hole over soft edges by up to 5 px (20 px a frame); relit its shadow (2 px a frame)');
    expect(describeAdditions(sum, false)).toBe('; grew the hole over soft edges by up to 5 px (20 px a frame)');
  });

  it('says nothing without additions, and that no shadow was found when one was asked for', () => {
    expect(describeAdditions(noAdditions(), false)).toBe('');
    expect(describeAdditions(noAdditions(), true)).toBe('; found no cast shadow attached to it');
  });

  it("sums the farm chunks' results, skipping one without additions", () => {
    const a = { chunk: 0, additions: { edgePixels: 10, edgeWidest: 2, shadowPixels: 0, frames: 8 } };
    const b = { chunk: 1, additions: { edgePixels: 6, edgeWidest: 4, shadowPixels: 0, frames: 8 } };
    expect(chunkAdditions([a, { chunk: 2 }, null, b])).toEqual({ edgePixels: 16, edgeWidest: 4, shadowPixels: 0, frames: 16 });
  });
});
