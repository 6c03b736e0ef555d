import { describe, expect, it } from 'vitest';
import { freshOuterPixels, outerRing } from '../../../src/engine/lite/fill/edgeGrowth';
import { seededRandom } from '../track/seededRandom';

describe('edge growth rings', () => {
  it('finds the outer ring\'s pixels not judged before from the joined pixels, as a rescan of the box would', () => {
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
      const bw = box.x1 - box.x0 + 1;
      const tried = new Uint8Array(bw * (box.y1 - box.y0 + 1));
      const judged = new Set<number>();
      let ring = outerRing(mask, w, h, box);
      for (const p of ring) {
        tried[(Math.floor(p / w) - box.y0) * bw + (p % w) - box.x0] = 1;
        judged.add(p);
      }
      for (let step = 0; step < 6 && ring.length; step++) {
        const joined = Array.from(ring).filter(() => rand() < 0.6);
        for (const p of joined) mask[p] = 255;
        ring = freshOuterPixels(mask, w, h, box, joined, tried);
        const expected = Array.from(outerRing(mask, w, h, box)).filter((p) => !judged.has(p));
        expect(Array.from(ring)).toEqual(expected);
        for (const p of ring) judged.add(p);
        // Every pixel marked tried is one judged so far, and no other.
        expect(tried.reduce((a, v) => a + v, 0)).toBe(judged.size);
      }
    }
  });
});
