import { afterAll, describe, expect, it } from 'vitest';
import { fillClip, fillClipOnThreads, type FillOptions } from '../../../src/engine/lite/fill/fillClip';
import { createFillThreads } from '../../../src/engine/lite/fill/fillThreads';
import { panningClip } from './syntheticFrames';

/*
 * The fill on worker threads gives the same bytes as on one thread: a panning clip with every
 * stage at work (soft edges, an excluded passer-by, a cast shadow, background no frame shows).
 */
const pools = [createFillThreads(1), createFillThreads(2)];
afterAll(() => pools.forEach((p) => p.dispose()));

describe('the fill on threads', () => {
  it.each([
    ['default', {}],
    ['with shadows and a feather', { withShadow: true, feather: 2 }],
    ['without growth or seam', { edgeGrow: 0, seamless: false, excludeMoving: false }],
    ['on some of the frames', { targets: { start: 2, end: 7 }, withShadow: true }],
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
