import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clampTrimDelta, rippleShifts } from '../../src/engine/timeline/math';

const room = { start: 100, end: 200, prevEnd: 50, nextStart: 260, headroom: 30, tailroom: 1000 };

describe('clampTrimDelta', () => {
  it('lets a head trim go back only as far as the media, the previous clip and frame 0 allow', () => {
    expect(clampTrimDelta('in', -10, room)).toBe(-10);
    expect(clampTrimDelta('in', -80, room)).toBe(-30); // media runs out first
    expect(clampTrimDelta('in', -80, { ...room, headroom: 500 })).toBe(-50); // then the previous clip
    expect(clampTrimDelta('in', -500, { ...room, prevEnd: 0, headroom: 500 })).toBe(-100); // then frame 0
  });

  it('always leaves at least one frame', () => {
    expect(clampTrimDelta('in', 150, room)).toBe(99);
    expect(clampTrimDelta('out', -150, room)).toBe(-99);
  });

  it('lets a tail trim reach the next clip or the end of the media, whichever is first', () => {
    expect(clampTrimDelta('out', 40, room)).toBe(40);
    expect(clampTrimDelta('out', 100, room)).toBe(60);
    expect(clampTrimDelta('out', 100, { ...room, tailroom: 5 })).toBe(5);
  });

  it('never moves an edge past a neighbour or makes a clip empty (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: -2000, max: 2000 }),
        fc.boolean(),
        (start, length, gapBefore, gapAfter, delta, head) => {
          const r = { start, end: start + length, prevEnd: Math.max(0, start - gapBefore), nextStart: start + length + gapAfter, headroom: 400, tailroom: 400 };
          const d = clampTrimDelta(head ? 'in' : 'out', delta, r);
          const s = head ? r.start + d : r.start;
          const e = head ? r.end : r.end + d;
          expect(e - s).toBeGreaterThanOrEqual(1);
          expect(s).toBeGreaterThanOrEqual(Math.min(r.start, r.prevEnd));
          expect(e).toBeLessThanOrEqual(Math.max(r.end, r.nextStart));
          expect(Math.abs(d)).toBeLessThanOrEqual(Math.abs(delta));
        },
      ),
    );
  });
});

describe('rippleShifts', () => {
  it('moves each clip left by the removed lengths before it', () => {
    expect(rippleShifts([0, 50, 300], [{ start: 20, end: 50 }, { start: 100, end: 180 }])).toEqual([0, 30, 110]);
  });
});
