import { describe, expect, it } from 'vitest';
import { dilateDisk } from '../../../src/engine/image/diskDilation';
import { dilateDiskBoxed, mergeBoxes, orDilatedDiskWithin, setBox, type Box } from '../../../src/engine/lite/fill/boxedMasks';
import { seamReach } from '../../../src/engine/lite/fill/fillStages';
import type { FillWindow } from '../../../src/engine/lite/fill/fillWindow';
import type { ClipAlignment } from '../../../src/engine/lite/fill/alignment';
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

  it('dilates inside the given regions exactly as over the whole frame', () => {
    const mask = blobs(200, 120, [[2, 5, 6], [195, 110, 9], [60, 40, 3], [120, 70, 14]]);
    const regions: Box[] = [
      { x0: 0, y0: 0, x1: 20, y1: 20 },
      { x0: 50, y0: 30, x1: 130, y1: 80 },
      { x0: 100, y0: 60, x1: 199, y1: 119 },
    ];
    const inside = (i: number) => regions.some((b) => i % 200 >= b.x0 && i % 200 <= b.x1 && Math.floor(i / 200) >= b.y0 && Math.floor(i / 200) <= b.y1);
    for (const r of [0, 1, 4, 9]) {
      const whole = dilateDisk(mask, r).data;
      const prior = new Uint8Array(200 * 120).map((_, i) => (i % 37 === 0 ? 1 : 0));
      const out = Uint8Array.from(prior);
      orDilatedDiskWithin(mask, r, out, regions);
      // Outside the regions a pixel is left as it was, or (where a merged box covers it) dilated too.
      for (let i = 0; i < out.length; i++) {
        if (inside(i) || out[i] !== prior[i]) expect(out[i]).toBe(prior[i] | whole[i]);
      }
      expect(out[3 * 200 + 199]).toBe(prior[3 * 200 + 199]);
    }
  });

  it('merges overlapping and touching boxes until none overlap', () => {
    const merged = mergeBoxes([
      { x0: 0, y0: 0, x1: 10, y1: 10 },
      { x0: 30, y0: 30, x1: 40, y1: 40 },
      { x0: 11, y0: 5, x1: 20, y1: 8 },
      { x0: 19, y0: 8, x1: 31, y1: 30 },
      { x0: 100, y0: 100, x1: 101, y1: 101 },
    ]);
    expect(merged).toEqual([
      { x0: 0, y0: 0, x1: 40, y1: 40 },
      { x0: 100, y0: 100, x1: 101, y1: 101 },
    ]);
  });
});

describe('seamReach', () => {
  /** A window of `count` frames whose camera moves by (dx, dy) a frame with a slight zoom; one segment unless `cut`. */
  function window(count: number, dx: number, dy: number, cut?: number): FillWindow {
    const zoom = 1.002;
    const alignment: ClipAlignment = {
      // Frame t's pixel (x, y) is where the scene point lies; in frame s it is shifted and scaled.
      between: (from, to) => {
        const k = zoom ** (to - from);
        return Float64Array.from([k, 0, dx * (to - from), 0, k, dy * (to - from), 0, 0, 1]);
      },
      segment: Int32Array.from({ length: count }, (_, t) => (cut !== undefined && t >= cut ? 1 : 0)),
      pairs: [],
    };
    return { width: 320, height: 200, count, alignment } as unknown as FillWindow;
  }

  it('covers every pixel another frame of the segment reads around its hole, mapped into this frame', () => {
    const w = window(8, 6.5, -2.25, 6);
    const boxes = Array.from({ length: 8 }, (_, t) => (t === 3 ? null : { x0: 100 + 4 * t, y0: 80, x1: 130 + 4 * t, y1: 104 }));
    const s = 2;
    const reach = seamReach(w, s, boxes)!;
    expect(reach.length).toBeGreaterThan(0);
    const covered = (x: number, y: number) => reach.some((b) => x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1);
    for (let t = 0; t < 6; t++) {
      const b = boxes[t];
      if (!b || t === s) continue;
      const h = w.alignment.between(t, s);
      // The seam ring, the exposure ring and the sampler's support: up to 11 px past the box.
      for (let y = b.y0 - 11; y <= b.y1 + 11; y++) {
        for (let x = b.x0 - 11; x <= b.x1 + 11; x++) {
          const qx = h[0] * x + h[1] * y + h[2];
          const qy = h[3] * x + h[4] * y + h[5];
          if (qx < 0 || qy < 0 || qx > 319 || qy > 199) continue;
          for (const [u, v] of [[Math.floor(qx) - 1, Math.floor(qy) - 1], [Math.floor(qx) + 2, Math.floor(qy) + 2]]) {
            if (u >= 0 && v >= 0 && u < 320 && v < 200) expect(covered(u, v)).toBe(true);
          }
        }
      }
    }
    // Frames past the cut never sample this one; none of their boxes is in its reach.
    const beyond = seamReach(window(8, 6.5, -2.25, 6), s, boxes.map((b, t) => (t < 6 ? null : b)));
    expect(beyond).toEqual([]);
  });

  it('gives up (the exclusion everywhere) when a corner does not map', () => {
    const w = window(3, 0, 0);
    (w.alignment as { between: ClipAlignment['between'] }).between = () => Float64Array.from([1, 0, 0, 0, 1, 0, 0.01, 0, -1]);
    expect(seamReach(w, 0, [null, { x0: 10, y0: 10, x1: 20, y1: 20 }, null])).toBeNull();
  });
});

