import { describe, expect, it } from 'vitest';
import { fillClip } from '../../../src/engine/lite/fill/fillClip';
import type { GrayImage, RgbImage } from '../../../src/engine/lite/types';
import { blankMask, copyImage, paintSquare, panningClip, psnrIn, renderTexture } from './syntheticFrames';

/*
 * A window filling only some of its frames (its outputs, windowOutputs.ts) while all of them
 * serve as sources: the targets get what a whole fill gives them where every hole pixel is seen
 * in some frame, nothing is left unfilled where one is not, and the others are not touched.
 */
const W = 160;
const H = 96;
const N = 12;

/** A square moving over a still texture: every hole pixel is background in some other frame. */
function movingSquare(): { truth: RgbImage[]; frames: RgbImage[]; masks: GrayImage[] } {
  const truth = Array.from({ length: N }, () => renderTexture(W, H));
  const frames = truth.map(copyImage);
  const masks = frames.map((f, t) => {
    const m = blankMask(W, H);
    paintSquare(f, m, 10 + 11 * t, 36, 20, [240, 60, 40]);
    return m;
  });
  return { truth, frames, masks };
}

describe('fillClip targets', () => {
  it('fills only the targets, with the bytes a whole fill gives them, from all frames', () => {
    const { truth, frames, masks } = movingSquare();
    const whole = fillClip(frames, masks);
    expect(whole.report.inpaintedPixels).toBe(0);
    const part = fillClip(frames, masks, { targets: { start: 3, end: 9 } });
    expect(part.frames).toHaveLength(6);
    expect(part.masks).toHaveLength(6);
    part.frames.forEach((f, k) => {
      expect(Buffer.compare(f.data, whole.frames[3 + k].data)).toBe(0);
      expect(Buffer.compare(part.masks[k].data, whole.masks[3 + k].data)).toBe(0);
      expect(psnrIn(f, truth[3 + k], masks[3 + k].data)).toBeGreaterThan(40);
    });
    // Only the targets were copied into.
    expect(part.report.propagatedPixels).toBeLessThan(whole.report.propagatedPixels);
    expect(part.report.propagatedPixels).toBe(part.masks.reduce((n, m) => n + m.data.filter((v) => v).length, 0));
  });

  it('sources outside the targets still count: a first frame filled alone takes its background from later frames', () => {
    const { truth, frames, masks } = movingSquare();
    const first = fillClip(frames, masks, { targets: { start: 0, end: 1 } });
    expect(first.frames).toHaveLength(1);
    expect(first.report.inpaintedPixels).toBe(0);
    expect(psnrIn(first.frames[0], truth[0], masks[0].data)).toBeGreaterThan(40);
  });

  it('invents what no frame shows in a target frame, and leaves no hole in any target', () => {
    const clip = panningClip();
    const part = fillClip(clip.frames, clip.masks, { exclude: clip.exclude, targets: { start: 2, end: 5 } });
    expect(part.report.inpaintedPixels).toBeGreaterThan(0);
    for (const r of part.report.referenceFrames) {
      expect(r).toBeGreaterThanOrEqual(2);
      expect(r).toBeLessThan(5);
    }
    // Nothing of the masked objects' colours is left in the targets' holes.
    part.frames.forEach((f, k) => {
      const m = clip.masks[2 + k].data;
      for (let i = 0; i < m.length; i++) if (m[i]) expect([f.data[3 * i], f.data[3 * i + 1], f.data[3 * i + 2]]).not.toEqual([230, 40, 60]);
    });
  });

  it('refuses targets that are not a run of the frames', () => {
    const { frames, masks } = movingSquare();
    for (const targets of [
      { start: 0, end: 0 },
      { start: 5, end: 3 },
      { start: -1, end: 4 },
      { start: 2, end: N + 1 },
      { start: 1.5, end: 4 },
    ]) {
      expect(() => fillClip(frames, masks, { targets })).toThrow(/targets/);
    }
  });
});
