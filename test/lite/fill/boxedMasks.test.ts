import { describe, expect, it } from 'vitest';
import { dilateDisk } from '../../../src/engine/image/diskDilation';
import { dilateDiskBoxed, setBox } from '../../../src/engine/lite/fill/boxedMasks';
import { RING_POINTS, ringAround } from '../../../src/engine/lite/fill/propagate';
import { blockedNear } from '../../../src/engine/lite/fill/corners';
import type { GrayImage } from '../../../src/engine/lite/types';

/** A mask with a few blobs, one touching the frame's edge, so the grown box is clamped there. */
function blobs(w: number, h: number, at: [number, number, number][]): GrayImage {
  const data = new Uint8Array(w * h);
  for (const [cx, cy, r] of at) {
    for (let y = Math.max(0, cy - r); y <= Math.min(h - 1, cy + r); y++) {
      for (let x = Math.max(0, cx - r); x <= Math.min(w - 1, cx + r); x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) data[y * w + x] = 255;
    }
  }
  return { width: w, height: h, data };
}

/** ringAround's rule on whole frames: pixels 3 to 8 px (Chebyshev) from the hole, thinned to at most RING_POINTS evenly. */
function wholeFrameRing(hole: GrayImage): number[] {
  const far = blockedNear(hole, 8);
  const near = blockedNear(hole, 2);
  const all: number[] = [];
  for (let i = 0; i < far.length; i++) if (far[i] && !near[i]) all.push(i);
  const step = Math.max(1, Math.ceil(all.length / RING_POINTS));
  return all.filter((_, j) => j % step === 0);
}

describe('boxed mask operations', () => {
  const cases: [string, GrayImage][] = [
    ['one blob inside', blobs(200, 120, [[90, 60, 11]])],
    ['blobs reaching the edges', blobs(200, 120, [[2, 5, 6], [195, 110, 9], [60, 40, 3]])],
    ['a single pixel', blobs(64, 48, [[30, 20, 0]])],
    ['a hole whose ring is thinned', blobs(400, 300, [[200, 150, 120]])],
  ];

  for (const [name, mask] of cases) {
    it(`gives the whole-frame pass's bytes (${name})`, () => {
      for (const r of [0, 1, 4, 9]) {
        expect(Buffer.from(dilateDiskBoxed(mask, r)).equals(Buffer.from(dilateDisk(mask, r).data))).toBe(true);
      }
      expect(Array.from(ringAround(mask))).toEqual(wholeFrameRing(mask));
    });
  }

  it('gives empty masks for an empty mask', () => {
    const empty = { width: 40, height: 30, data: new Uint8Array(1200) };
    expect(setBox(empty.data, 40, 30, 3)).toBeNull();
    expect(dilateDiskBoxed(empty, 5).some((v) => v !== 0)).toBe(false);
  });

  it('finds the set pixels\' bounding box, grown and clamped to the frame', () => {
    const m = blobs(100, 80, [[20, 30, 2], [70, 50, 1]]);
    expect(setBox(m.data, 100, 80, 0)).toEqual({ x0: 18, y0: 28, x1: 71, y1: 51 });
    expect(setBox(m.data, 100, 80, 40)).toEqual({ x0: 0, y0: 0, x1: 99, y1: 79 });
  });
});
