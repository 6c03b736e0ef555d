import { describe, expect, it } from 'vitest';
import { correctSeam, seamRing } from '../../../src/engine/lite/fill/seamCorrection';
import type { GrayImage, RgbImage } from '../../../src/engine/lite/types';
import { blankMask, copyImage, renderTexture } from './syntheticFrames';

/*
 * The seam correction on its own: background copied from a frame 10 levels brighter than this one
 * is brought to this frame's light from its border, the detail it copied is kept, and pixels it
 * is told to skip (invented ones) and pixels outside the hole are left as they are.
 */
const W = 120;
const H = 80;

function disc(cx: number, cy: number, r: number): GrayImage {
  const m = blankMask(W, H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (Math.hypot(x - cx, y - cy) <= r) m.data[y * W + x] = 255;
  return m;
}

function brighter(img: RgbImage, by: number): RgbImage {
  return { ...img, data: img.data.map((v) => Math.min(255, v + by)) };
}

describe('correctSeam', () => {
  it('matches copied background to the frame at the border, keeps its detail, and leaves skipped and outside pixels alone', () => {
    const frame = renderTexture(W, H);
    const source = brighter(frame, 10); // the frame the background was copied from, 10 levels brighter
    const hole = disc(60, 40, 14);
    const filled = copyImage(frame);
    for (let i = 0; i < W * H; i++) if (hole.data[i]) for (let c = 0; c < 3; c++) filled.data[3 * i + c] = source.data[3 * i + c];
    const ring = seamRing(hole);
    expect(ring.length).toBeGreaterThan(0);
    const ringValues = new Uint8Array(ring.length * 3);
    ring.forEach((p, j) => ringValues.set(source.data.subarray(3 * p, 3 * p + 3), 3 * j));
    const ringCount = new Uint8Array(ring.length).fill(1);
    // One hole pixel was invented (no frame showed it): it is not corrected.
    const skip = new Uint8Array(W * H);
    const invented = 40 * W + 60;
    skip[invented] = 1;
    const before = Uint8Array.from(filled.data);
    const mean = correctSeam({ frame, filled, hole, ring, ringValues, ringCount, skip });
    // 10 levels, less the quarter-level shrink that keeps exact fills exact (clamped texels aside).
    expect(mean).toBeGreaterThan(8.5);
    expect(mean).toBeLessThan(10);
    let worst = 0;
    for (let i = 0; i < W * H; i++) {
      for (let c = 0; c < 3; c++) {
        const k = 3 * i + c;
        if (!hole.data[i] || i === invented) expect(filled.data[k]).toBe(before[k]);
        else if (source.data[k] < 255) worst = Math.max(worst, Math.abs(filled.data[k] - frame.data[k]));
      }
    }
    // The copied texture, brought back to this frame's light: within a level or so everywhere.
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('changes nothing where the copied background already matches the border', () => {
    const frame = renderTexture(W, H);
    const hole = disc(50, 30, 10);
    const filled = copyImage(frame);
    const ring = seamRing(hole);
    const ringValues = new Uint8Array(ring.length * 3);
    ring.forEach((p, j) => ringValues.set(frame.data.subarray(3 * p, 3 * p + 3), 3 * j));
    const mean = correctSeam({ frame, filled, hole, ring, ringValues, ringCount: new Uint8Array(ring.length).fill(1), skip: new Uint8Array(W * H) });
    expect(mean).toBe(0);
    expect(Buffer.compare(filled.data, frame.data)).toBe(0);
  });
});
