import { describe, expect, it } from 'vitest';
import { dilateDisk as dilateMask } from '../../../src/engine/image/diskDilation';
import { closeTemporalGaps, unionMasks } from '../../../src/engine/lite/mask/morphology';
import { buildTrackMasks } from '../../../src/engine/lite/mask/trackMasks';
import { paintSoftMask } from '../../../src/engine/lite/mask/rasterizeBox';
import type { Box, GrayImage, RgbImage, Track } from '../../../src/engine/lite/types';
import { blankMask, copyImage, renderNoise, renderTexture } from '../fill/syntheticFrames';

const count = (m: GrayImage) => m.data.reduce((n, v) => n + (v ? 1 : 0), 0);

describe('mask morphology', () => {
  it('dilates by a disk of the given radius', () => {
    const m = blankMask(21, 21);
    m.data[10 * 21 + 10] = 255;
    const d = dilateMask(m, 3);
    // lattice points with dx² + dy² ≤ 9
    expect(count(d)).toBe(29);
    expect(d.data[10 * 21 + 13]).toBe(255);
    expect(d.data[12 * 21 + 12]).toBe(255);
    expect(d.data[13 * 21 + 12]).toBe(0);
    expect(count(dilateMask(m, 0))).toBe(1);
  });

  it('removes a pixel in frame f when it is removed in f-1 and f+1, and only then', () => {
    const a = blankMask(4, 1);
    const b = blankMask(4, 1);
    const c = blankMask(4, 1);
    a.data[1] = 255;
    c.data[1] = 255;
    a.data[2] = 255; // only before
    const [, mid] = closeTemporalGaps([a, b, c]);
    expect(Array.from(mid.data)).toEqual([0, 255, 0, 0]);
  });

  it('returns a frame with no gap as it is and never changes its inputs', () => {
    const a = blankMask(4, 1);
    const b = blankMask(4, 1);
    const c = blankMask(4, 1);
    a.data[1] = 255;
    b.data[2] = 255;
    const [, untouched] = closeTemporalGaps([a, b, c]);
    expect(untouched).toBe(b);
    c.data[1] = 255;
    const [, closed] = closeTemporalGaps([a, b, c]);
    expect(closed).not.toBe(b);
    expect(Array.from(closed.data)).toEqual([0, 255, 255, 0]);
    expect(Array.from(b.data)).toEqual([0, 0, 255, 0]);
  });

  it('unions masks', () => {
    const a = blankMask(3, 1);
    const b = blankMask(3, 1);
    a.data[0] = 255;
    b.data[2] = 200;
    expect(Array.from(unionMasks(3, 1, [a, b]).data)).toEqual([255, 0, 200]);
  });

  it('paints a soft mask into its box and rejects one of the wrong size', () => {
    const m = blankMask(10, 10);
    paintSoftMask(m, { x: 2, y: 3, width: 2, height: 2 }, Uint8Array.from([255, 0, 100, 200]));
    expect(count(m)).toBe(2);
    expect(m.data[3 * 10 + 2]).toBe(255);
    expect(m.data[4 * 10 + 3]).toBe(255);
    expect(() => paintSoftMask(m, { x: 0, y: 0, width: 3, height: 3 }, new Uint8Array(4))).toThrow(/expected 3x3/);
  });
});

/** A disc crossing a locked-off textured background; its track's boxes are generous (30% margin). */
function movingDisc(frames: number, speed: number) {
  const W = 160;
  const H = 96;
  const shown: RgbImage[] = [];
  const objects: GrayImage[] = [];
  const boxes: (Box | null)[] = [];
  for (let t = 0; t < frames; t++) {
    const f = copyImage(renderTexture(W, H));
    const m = blankMask(W, H);
    const cx = 30 + speed * t;
    const cy = 48;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 > 12 * 12) continue;
        f.data.set([250, 250, 30], 3 * (y * W + x));
        m.data[y * W + x] = 255;
      }
    }
    shown.push(f);
    objects.push(m);
    boxes.push({ x: cx - 16, y: cy - 16, width: 32, height: 32 });
  }
  const track: Track = {
    id: 1,
    label: 'ball',
    score: 0.9,
    firstFrame: 0,
    lastFrame: frames - 1,
    boxes,
    predicted: boxes.map(() => false),
  };
  return { shown, objects, track };
}

describe('buildTrackMasks', () => {
  it('narrows a box to the moving object by background evidence, then grows it by the margin', () => {
    const { shown, objects, track } = movingDisc(8, 10);
    const masks = buildTrackMasks(shown, [track], { dilate: 2 });
    for (let t = 0; t < masks.length; t++) {
      let missed = 0;
      for (let i = 0; i < objects[t].data.length; i++) if (objects[t].data[i] && !masks[t].data[i]) missed++;
      expect(missed, `frame ${t}: object pixels left`).toBe(0);
      // The disc has r = 12 (≈450 px); the box is 32x32 = 1024 px; the disc grown by 2 is ≈615 px.
      expect(count(masks[t]), `frame ${t}`).toBeLessThan(750);
    }
  });

  it('keeps the whole box (plus margin) when the object never moves: no evidence', () => {
    const { shown, track } = movingDisc(6, 0);
    const masks = buildTrackMasks(shown, [track], { dilate: 0 });
    for (const m of masks) expect(count(m)).toBe(32 * 32);
  });

  it('uses a segmenter soft mask when given, and bridges a missed frame', () => {
    const { shown, track } = movingDisc(5, 0);
    track.boxes[2] = null; // detector missed frame 2
    const soft = new Uint8Array(32 * 32).fill(255, 0, 32 * 16); // top half only
    const masks = buildTrackMasks(shown, [track], {
      dilate: 0,
      useBackgroundEvidence: false,
      softMask: (_t, f) => (track.boxes[f] ? { box: track.boxes[f]!, mask: soft } : undefined),
    });
    expect(count(masks[0])).toBe(32 * 16);
    expect(count(masks[2])).toBe(32 * 16); // removed in frames 1 and 3, so removed in 2
  });

  it('rejects tracks whose length does not match the clip', () => {
    const { shown, track } = movingDisc(4, 5);
    expect(() => buildTrackMasks(shown.slice(0, 3), [track])).toThrow(/4 boxes for 3 frames/);
  });
});

/**
 * A disc with a thin tail (3 px wide, 14 px long, 12 px of it beyond the box) hanging below it, moving slowly over broadband
 * texture; the track's boxes cover the disc only, as a detector's box cuts off a bird's tail.
 * `slow`: the object moves so little that its tail covers the same place in most other frames.
 */
function tailedDisc(frames: number, speed: number, extra?: (f: RgbImage, t: number) => void) {
  const W = 200;
  const H = 120;
  const shown: RgbImage[] = [];
  const tails: GrayImage[] = [];
  const boxes: (Box | null)[] = [];
  for (let t = 0; t < frames; t++) {
    const f = renderNoise(W, H, 0, 0);
    const tail = blankMask(W, H);
    const cx = 40 + speed * t;
    const cy = 40;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const inDisc = (x - cx) ** 2 + (y - cy) ** 2 <= 14 * 14;
        const inTail = Math.abs(x - cx) <= 1 && y > cy + 14 && y <= cy + 14 + 14;
        if (!inDisc && !inTail) continue;
        f.data.set([20, 20, 30], 3 * (y * W + x));
        if (inTail) tail.data[y * W + x] = 255;
      }
    }
    extra?.(f, t);
    shown.push(f);
    tails.push(tail);
    boxes.push({ x: cx - 16, y: cy - 16, width: 32, height: 32 });
  }
  const track: Track = { id: 1, label: 'bird', score: 0.9, firstFrame: 0, lastFrame: frames - 1, boxes, predicted: boxes.map(() => false) };
  return { shown, tails, track };
}

describe('buildTrackMasks beyond the box', () => {
  it.each([
    ['moving', 12],
    ['slow (its tail sits where it sat in other frames)', 3],
  ])('adds a thin part the box cut off (%s)', (_name, speed) => {
    const { shown, tails, track } = tailedDisc(10, speed);
    // A margin of 2, as the removal always grows its mask a little: where the tail meets the box, a
    // pixel or two may have no background evidence, and the growth bridges them without adding them.
    const masks = buildTrackMasks(shown, [track], { dilate: 2 });
    for (let t = 0; t < masks.length; t++) {
      let left = 0;
      let tailPixels = 0;
      for (let i = 0; i < tails[t].data.length; i++) {
        if (!tails[t].data[i]) continue;
        tailPixels++;
        if (!masks[t].data[i]) left++;
      }
      expect(tailPixels).toBe(42);
      expect(left, `frame ${t}: tail pixels left`).toBe(0);
    }
  });

  it('does not spread into a large changing region that touches the object (growth is capped)', () => {
    // A light turned on beside the object in every other frame: it differs from the median, touches
    // the object, and is far larger than any thin part.
    const { shown, track } = tailedDisc(10, 12, (f, t) => {
      if (t % 2) return;
      const cx = 40 + 12 * t;
      for (let y = 10; y < 70; y++) for (let x = cx + 14; x < Math.min(200, cx + 40); x++) f.data.set([250, 250, 250], 3 * (y * 200 + x));
    });
    const masks = buildTrackMasks(shown, [track], { dilate: 0 });
    for (let t = 0; t < masks.length; t += 2) {
      // Nothing right of the box (x ≥ cx + 16) may be removed.
      const cx = 40 + 12 * t;
      let outside = 0;
      for (let y = 0; y < 120; y++) for (let x = cx + 17; x < 200; x++) if (masks[t].data[y * 200 + x]) outside++;
      expect(outside, `frame ${t}`).toBe(0);
    }
  });
});
