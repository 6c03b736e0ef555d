import { describe, expect, it } from 'vitest';
import { splitShadowClause } from '../../../src/engine/lite/expression';
import { boxesMask } from '../../../src/engine/lite/fill/distractors';
import { fillClip } from '../../../src/engine/lite/fill/fillClip';
import type { GrayImage, RgbImage } from '../../../src/engine/lite/types';
import { blankMask, copyImage, psnrIn, renderTexture } from './syntheticFrames';

/*
 * The fill's second pass on synthetic clips with exact truth: soft edges past a binary matte, a
 * background whose light changes over time, an unmasked object passing where the fill copies
 * from, and a cast shadow beside the object.
 */
const W = 160;
const H = 96;
const N = 8;

/** A disc of colour `rgb` at (cx, cy), radius r, composited with an anti-aliased/blurred rim `soft` px wide. */
function paintSoftDisc(frame: RgbImage, cx: number, cy: number, r: number, soft: number, rgb: number[], core: GrayImage): void {
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const d = Math.hypot(x - cx, y - cy);
      const a = Math.max(0, Math.min(1, (r + soft - d) / (2 * soft)));
      if (a <= 0) continue;
      const i = y * W + x;
      for (let c = 0; c < 3; c++) frame.data[3 * i + c] = Math.round(frame.data[3 * i + c] * (1 - a) + rgb[c] * a);
      if (a >= 0.5) core.data[i] = 255;
    }
  }
}

function grown(m: GrayImage, r: number): Uint8Array {
  const out = new Uint8Array(m.data.length);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    if (!m.data[y * W + x]) continue;
    for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) {
      const yy = y + dy;
      const xx = x + dx;
      if (yy >= 0 && yy < H && xx >= 0 && xx < W) out[yy * W + xx] = 1;
    }
  }
  return out;
}

function meanPsnr(out: RgbImage[], truth: RgbImage[], regions: Uint8Array[]): number {
  return out.reduce((s, o, t) => s + Math.min(99, psnrIn(o, truth[t], regions[t])), 0) / out.length;
}

describe('fill, second pass', () => {
  it('grows the hole over a soft edge the binary matte leaves out, and says how much', () => {
    const truth = Array.from({ length: N }, () => renderTexture(W, H));
    const frames = truth.map(copyImage);
    const masks = frames.map((f, t) => {
      const m = blankMask(W, H);
      paintSoftDisc(f, 30 + 14 * t, 48, 12, 3, [250, 250, 40], m);
      return m;
    });
    const ring = masks.map((m) => grown(m, 4));
    const tight = fillClip(frames, masks, { edgeGrow: 0 });
    const auto = fillClip(frames, masks);
    expect(auto.report.edgePixels).toBeGreaterThan(0);
    expect(auto.report.edgeWidest).toBeLessThanOrEqual(4);
    expect(meanPsnr(auto.frames, truth, ring)).toBeGreaterThan(meanPsnr(tight.frames, truth, ring) + 10);
    expect(meanPsnr(auto.frames, truth, ring)).toBeGreaterThan(38);
    // The returned masks hold what changed: nothing outside them did.
    for (let t = 0; t < N; t++) {
      for (let i = 0; i < W * H; i++) if (!auto.masks[t].data[i]) expect(auto.frames[t].data[3 * i]).toBe(frames[t].data[3 * i]);
    }
  });

  it('matches copied background to the light of this frame around the hole, which other frames do not share', () => {
    // Background: texture under a broad dimming centred on each frame's hole (a cloud's shadow over it).
    const light = (x: number, y: number, t: number) => 1 - 0.2 * Math.exp(-((x - 30 - 14 * t) ** 2 + (y - 48) ** 2) / 35 ** 2);
    const truth = Array.from({ length: N }, (_, t) => {
      const f = renderTexture(W, H);
      for (let i = 0; i < W * H; i++) for (let c = 0; c < 3; c++) f.data[3 * i + c] = Math.round(f.data[3 * i + c] * light(i % W, Math.floor(i / W), t));
      return f;
    });
    const frames = truth.map(copyImage);
    const masks = frames.map((f, t) => {
      const m = blankMask(W, H);
      for (let y = 34; y < 62; y++) for (let x = 20 + 14 * t; x < 40 + 14 * t; x++) {
        m.data[y * W + x] = 255;
        f.data.set([255, 0, 255], 3 * (y * W + x));
      }
      return m;
    });
    const holes = masks.map((m) => m.data);
    const plain = fillClip(frames, masks, { seamless: false, edgeGrow: 0 });
    const seamless = fillClip(frames, masks, { edgeGrow: 0 });
    expect(seamless.report.seamCorrection).toBeGreaterThan(0.5);
    expect(meanPsnr(seamless.frames, truth, holes)).toBeGreaterThan(meanPsnr(plain.frames, truth, holes) + 3);
  });

  /** A blue object to remove moving right, and a red one not to copy, placed per frame by `redAt`. */
  function distractorClip(redAt: (t: number) => number) {
    const truth = Array.from({ length: N }, () => renderTexture(W, H));
    const frames = truth.map(copyImage);
    const boxes: { x: number; y: number; width: number; height: number }[] = [];
    const masks = frames.map((f, t) => {
      const m = blankMask(W, H);
      for (let y = 30; y < 60; y++) for (let x = 40 + 6 * t; x < 70 + 6 * t; x++) {
        m.data[y * W + x] = 255;
        f.data.set([0, 0, 255], 3 * (y * W + x));
      }
      const dx = redAt(t);
      boxes.push({ x: dx, y: 30, width: 30, height: 30 });
      for (let y = 30; y < 60; y++) for (let x = Math.max(0, dx); x < Math.min(W, dx + 30); x++) if (!m.data[y * W + x]) f.data.set([255, 0, 0], 3 * (y * W + x));
      return m;
    });
    const red = (out: RgbImage[]) => out.reduce((s, o, t) => s + masks[t].data.reduce((n: number, v, i) => n + (v && o.data[3 * i] > 200 && o.data[3 * i + 1] < 60 ? 1 : 0), 0), 0);
    return { frames, masks, boxes, red };
  }

  it('never copies another tracked object, even one that lingers where the background is taken from', () => {
    // The red one sits at the blue one's later places early on and at its early places later.
    const c = distractorClip((t) => (t < N / 2 ? 80 - 8 * t : 40 + 8 * (t - N / 2)));
    const none = fillClip(c.frames, c.masks, { excludeMoving: false, edgeGrow: 0, seamless: false });
    const tracked = fillClip(c.frames, c.masks, { exclude: c.boxes.map((b) => boxesMask([b], W, H, 1)), edgeGrow: 0, seamless: false });
    expect(c.red(none.frames)).toBeGreaterThan(50);
    expect(c.red(tracked.frames)).toBeLessThan(c.red(none.frames) / 10);
  });

  it('keeps an untracked object that moves against the camera out of the samples', () => {
    // The red one crosses fast, right to left, through where the blue one's background shows.
    const c = distractorClip((t) => 130 - 12 * t);
    const none = fillClip(c.frames, c.masks, { excludeMoving: false, edgeGrow: 0, seamless: false });
    const moving = fillClip(c.frames, c.masks, { edgeGrow: 0, seamless: false });
    expect(moving.report.excludedPixels).toBeGreaterThan(0);
    expect(c.red(moving.frames)).toBeLessThan(c.red(none.frames) / 4);
  });

  it('relights a cast shadow attached to the object with --with-shadow, and leaves it by default', () => {
    const truth = Array.from({ length: N }, () => renderTexture(W, H));
    const frames = truth.map(copyImage);
    const shadowAt: Uint8Array[] = [];
    const masks = frames.map((f, t) => {
      const m = blankMask(W, H);
      const x0 = 20 + 12 * t;
      const s = new Uint8Array(W * H);
      // Shadow: the silhouette offset down-right, darkened to 55 %, with a 2-px soft edge.
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
        const inside = Math.min(x - (x0 + 8), x0 + 8 + 24 - x, y - 44, 44 + 30 - y);
        if (inside <= -2) continue;
        const k = 1 - 0.45 * Math.min(1, (inside + 2) / 4);
        for (let c = 0; c < 3; c++) f.data[3 * (y * W + x) + c] = Math.round(f.data[3 * (y * W + x) + c] * k);
        s[y * W + x] = 1;
      }
      for (let y = 30; y < 60; y++) for (let x = x0; x < x0 + 24; x++) {
        m.data[y * W + x] = 255;
        s[y * W + x] = 0;
        f.data.set([40, 200, 90], 3 * (y * W + x));
      }
      shadowAt.push(s);
      return m;
    });
    const plain = fillClip(frames, masks);
    const shadow = fillClip(frames, masks, { withShadow: true });
    expect(plain.report.shadowPixels).toBe(0);
    expect(shadow.report.shadowPixels).toBeGreaterThan(N * 200);
    const before = meanPsnr(plain.frames, truth, shadowAt);
    const after = meanPsnr(shadow.frames, truth, shadowAt);
    expect(before).toBeLessThan(20);
    expect(after).toBeGreaterThan(before + 10);
  });
});

describe('splitShadowClause', () => {
  it('takes "and its shadow" (and its kin) off the words', () => {
    expect(splitShadowClause('remove the dog and its shadow')).toEqual({ text: 'remove the dog', withShadow: true });
    expect(splitShadowClause('both birds with their shadows')).toEqual({ text: 'both birds', withShadow: true });
    expect(splitShadowClause('the man on the left, and his shadow too')).toEqual({ text: 'the man on the left', withShadow: true });
    expect(splitShadowClause('remove the bird on the left')).toEqual({ text: 'remove the bird on the left', withShadow: false });
    expect(splitShadowClause("the dog's shadow").withShadow).toBe(false);
  });
});
