import { describe, expect, it } from 'vitest';
import { nextOuterRing, outerRing } from '../../../src/engine/lite/fill/edgeGrowth';
import { seededRandom } from '../track/seededRandom';

describe('edge growth rings', () => {
  it('finds the next outer ring from the joined pixels as a rescan of the box does', () => {
    const w = 90;
    const h = 60;
    const rand = seededRandom(7);
    for (let trial = 0; trial < 20; trial++) {
      const mask = new Uint8Array(w * h);
      // A blob touching the frame's left edge on some trials, so neighbours beyond it are skipped.
      const cx = trial % 3 === 0 ? 0 : 20 + Math.floor(rand() * 50);
      const cy = 10 + Math.floor(rand() * 40);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= 36) mask[y * w + x] = 255;
      const box = { x0: Math.max(0, cx - 14), y0: Math.max(0, cy - 14), x1: Math.min(w - 1, cx + 14), y1: Math.min(h - 1, cy + 14) };
      const seen = new Uint8Array((box.x1 - box.x0 + 1) * (box.y1 - box.y0 + 1));
      let ring = outerRing(mask, w, h, box);
      for (let step = 0; step < 6 && ring.length; step++) {
        const joined = Array.from(ring).filter(() => rand() < 0.6);
        for (const p of joined) mask[p] = 255;
        ring = nextOuterRing(mask, w, h, box, ring, joined, seen);
        expect(Array.from(ring)).toEqual(Array.from(outerRing(mask, w, h, box)));
        expect(seen.every((v) => v === 0)).toBe(true);
      }
    }
  });
});
