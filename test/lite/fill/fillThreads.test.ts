import { afterAll, describe, expect, it } from 'vitest';
import { boxesMask } from '../../../src/engine/lite/fill/distractors';
import { fillClip, fillClipOnThreads, type FillOptions } from '../../../src/engine/lite/fill/fillClip';
import { createFillThreads } from '../../../src/engine/lite/fill/fillThreads';
import type { GrayImage, RgbImage } from '../../../src/engine/lite/types';
import { blankMask, paintSquare, renderTexture } from './syntheticFrames';

/*
 * The fill on worker threads gives the same bytes as on one thread: a panning clip with every
 * stage at work (soft edges, an excluded passer-by, a cast shadow, background no frame shows).
 */
const W = 192;
const H = 108;
const N = 9;

function panningClip(): { frames: RgbImage[]; masks: GrayImage[]; exclude: (Uint8Array | null)[] } {
  const frames: RgbImage[] = [];
  const masks: GrayImage[] = [];
  const exclude: (Uint8Array | null)[] = [];
  for (let t = 0; t < N; t++) {
    const f = renderTexture(W, H, (x, y, p) => {
      p[0] = x + 2.3 * t;
      p[1] = y + 0.4 * t;
    });
    const m = blankMask(W, H);
    // The object, with a dark offset shadow below it and a soft rim.
    const x0 = 30 + 9 * t;
    for (let y = 52; y < 70; y++) for (let x = x0 + 4; x < x0 + 26; x++) for (let c = 0; c < 3; c++) f.data[3 * (y * W + x) + c] = Math.round(f.data[3 * (y * W + x) + c] * 0.55);
    paintSquare(f, m, x0, 30, 22, [230, 40, 60]);
    for (let x = x0 - 1; x < x0 + 23; x++) f.data.set([200, 90, 90], 3 * (29 * W + x));
    // An object fixed in the scene (it moves with the pan), so no frame sees behind it: invented.
    paintSquare(f, m, Math.round(150 - 2.3 * t), Math.round(20 - 0.4 * t), 12, [20, 20, 220]);
    // A passer-by going the other way, not masked: excluded as another tracked object.
    const px = 160 - 11 * t;
    paintSquare(f, blankMask(W, H), px, 75, 14, [250, 250, 250]);
    frames.push(f);
    masks.push(m);
    exclude.push(boxesMask([{ x: px, y: 75, width: 14, height: 14 }], W, H, 1));
  }
  return { frames, masks, exclude };
}

const pools = [createFillThreads(1), createFillThreads(2)];
afterAll(() => pools.forEach((p) => p.dispose()));

describe('the fill on threads', () => {
  it.each([
    ['default', {}],
    ['with shadows and a feather', { withShadow: true, feather: 2 }],
    ['without growth or seam', { edgeGrow: 0, seamless: false, excludeMoving: false }],
  ] as [string, FillOptions][])('gives the same frames, masks and report as one thread (%s)', async (_name, extra) => {
    const clip = panningClip();
    const options: FillOptions = { exclude: clip.exclude, ...extra };
    const one = fillClip(clip.frames, clip.masks, options);
    expect(one.report.propagatedPixels).toBeGreaterThan(0);
    expect(one.report.inpaintedPixels).toBeGreaterThan(0);
    expect(one.report.excludedPixels).toBeGreaterThan(0);
    if (extra.withShadow) expect(one.report.shadowPixels).toBeGreaterThan(0);
    if (extra.edgeGrow === undefined) expect(one.report.edgePixels).toBeGreaterThan(0);
    for (const pool of pools) {
      await pool.whenReady();
      const before = pool.framesOnThreads;
      const threaded = await fillClipOnThreads(clip.frames, clip.masks, options, pool);
      expect(pool.framesOnThreads).toBeGreaterThan(before); // the workers did take frames
      expect(threaded.report).toEqual(one.report);
      threaded.frames.forEach((f, t) => expect(Buffer.compare(f.data, one.frames[t].data)).toBe(0));
      threaded.masks.forEach((m, t) => expect(Buffer.compare(m.data, one.masks[t].data)).toBe(0));
    }
  }, 60_000);

  it('stops with the cancel between stages', async () => {
    const clip = panningClip();
    const abort = new AbortController();
    abort.abort();
    await expect(fillClipOnThreads(clip.frames, clip.masks, { signal: abort.signal }, pools[0])).rejects.toThrow(/cancel/i);
  });

  it('refuses work after dispose()', async () => {
    const pool = createFillThreads(1);
    pool.dispose();
    const clip = panningClip();
    await expect(fillClipOnThreads(clip.frames, clip.masks, {}, pool)).rejects.toThrow(/dispose/);
  });
});
