import { describe, expect, it } from 'vitest';
import { fillClip, fillClipOnThreads, type FillOptions } from '../../../src/engine/lite/fill/fillClip';
import { createFillThreads } from '../../../src/engine/lite/fill/fillThreads';
import { createFillWindowPool, type FillWindowPool } from '../../../src/engine/lite/fill/fillWindow';
import { OutputBuffers } from '../../../src/engine/lite/fill/outputBuffers';
import { panningClip } from './syntheticFrames';

/*
 * Consecutive windows fill in the same buffers: a window filled in buffers a different window
 * left behind (a shadow, exclusions, pixels left to invent all written there) gives the bytes it
 * gives in new buffers, and the buffers are taken again only by a window of the same shape.
 */

/** The pool, counting how often it handed buffers back out. */
function countingPool(): FillWindowPool & { reused: number } {
  const pool = createFillWindowPool();
  const counted = {
    reused: 0,
    take: (shape: string) => {
      const b = pool.take(shape);
      if (b) counted.reused++;
      return b;
    },
    give: pool.give,
    clear: pool.clear,
  };
  return counted;
}

describe('the fill window pool', () => {
  it.each([
    ['default', {}],
    ['with shadows and a feather', { withShadow: true, feather: 2 }],
  ] as [string, FillOptions][])('a window filled in reused buffers gives the bytes of new ones (%s)', (_name, extra) => {
    const first = panningClip(0);
    const second = panningClip(1);
    const fresh = fillClip(second.frames, second.masks, { exclude: second.exclude, ...extra });
    const pool = countingPool();
    fillClip(first.frames, first.masks, { exclude: first.exclude, ...extra, pool });
    const reused = fillClip(second.frames, second.masks, { exclude: second.exclude, ...extra, pool });
    expect(pool.reused).toBe(1);
    expect(reused.report).toEqual(fresh.report);
    reused.frames.forEach((f, t) => expect(Buffer.compare(f.data, fresh.frames[t].data)).toBe(0));
    reused.masks.forEach((m, t) => expect(Buffer.compare(m.data, fresh.masks[t].data)).toBe(0));
  });

  it('a window with frames that have no hole, after one whose holes covered a third of each frame, gives the bytes of new buffers', () => {
    const first = panningClip(0);
    // Every buffer of the first window written over a wide area: large holes, so large grown
    // holes, exclusions, fills and pixels left to invent.
    for (const m of first.masks) for (let y = 20; y < 90; y++) m.data.fill(255, y * m.width + 20, y * m.width + 120);
    const second = panningClip(1);
    for (const t of [2, 3, 4]) second.masks[t].data.fill(0);
    for (const extra of [{}, { targets: { start: 3, end: 7 } }, { withShadow: true }] as FillOptions[]) {
      const fresh = fillClip(second.frames, second.masks, { exclude: second.exclude, ...extra });
      const pool = countingPool();
      fillClip(first.frames, first.masks, { exclude: first.exclude, ...extra, targets: undefined, pool });
      const reused = fillClip(second.frames, second.masks, { exclude: second.exclude, ...extra, pool });
      expect(pool.reused).toBe(1);
      expect(reused.report).toEqual(fresh.report);
      reused.frames.forEach((f, t) => expect(Buffer.compare(f.data, fresh.frames[t].data), `frame ${t} with ${JSON.stringify(extra)}`).toBe(0));
      reused.masks.forEach((m, t) => expect(Buffer.compare(m.data, fresh.masks[t].data)).toBe(0));
    }
  });

  it('hands buffers only to a window of the same shape and kind', () => {
    const clip = panningClip(0);
    const pool = countingPool();
    fillClip(clip.frames, clip.masks, { pool });
    fillClip(clip.frames.slice(0, 5), clip.masks.slice(0, 5), { pool }); // fewer frames
    fillClip(clip.frames.slice(0, 5), clip.masks.slice(0, 5), { pool, withShadow: true }); // shadow buffers too
    expect(pool.reused).toBe(0);
    fillClip(clip.frames.slice(0, 5), clip.masks.slice(0, 5), { pool, withShadow: true });
    expect(pool.reused).toBe(1);
    pool.clear();
    fillClip(clip.frames.slice(0, 5), clip.masks.slice(0, 5), { pool, withShadow: true });
    expect(pool.reused).toBe(1);
  });

  it('reuses shared buffers across windows on threads', async () => {
    const threads = createFillThreads(1);
    try {
      await threads.whenReady();
      const first = panningClip(0);
      const second = panningClip(1);
      const fresh = fillClip(second.frames, second.masks, { exclude: second.exclude });
      const pool = countingPool();
      await fillClipOnThreads(first.frames, first.masks, { exclude: first.exclude, pool }, threads);
      const reused = await fillClipOnThreads(second.frames, second.masks, { exclude: second.exclude, pool }, threads);
      expect(pool.reused).toBe(1);
      reused.frames.forEach((f, t) => expect(Buffer.compare(f.data, fresh.frames[t].data)).toBe(0));
    } finally {
      threads.dispose();
    }
  }, 60_000);
});

describe('lent output buffers (OutputBuffers)', () => {
  it('lends whole buffers, takes back only its own, once each, and lends them again by size', () => {
    const lend = new OutputBuffers();
    const a = lend.take(1000);
    const b = lend.take(1000);
    expect(a.buffer).not.toBe(b.buffer);
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    lend.give(a);
    lend.give(a); // twice: still one free buffer, never lent to two frames
    lend.give(new Uint8Array(new SharedArrayBuffer(1000))); // not lent here
    lend.give(new Uint8Array(1000));
    expect(lend.freeCount).toBe(1);
    expect(lend.take(500).buffer).not.toBe(a.buffer); // another size
    expect(lend.take(1000).buffer).toBe(a.buffer);
    expect(lend.take(1000).buffer).not.toBe(a.buffer); // lent out again already
    lend.give(b);
    lend.clear();
    expect(lend.freeCount).toBe(0);
  });

  it('a fill into lent buffers, on threads or not, gives the bytes of new ones, also when they held an earlier window', async () => {
    const threads = createFillThreads(1);
    try {
      await threads.whenReady();
      const first = panningClip(0);
      const second = panningClip(1);
      const fresh = fillClip(second.frames, second.masks, { exclude: second.exclude, feather: 2 });
      const lend = new OutputBuffers();
      for (const run of ['threads', 'here'] as const) {
        const fill = (clip: typeof first) =>
          run === 'threads'
            ? fillClipOnThreads(clip.frames, clip.masks, { exclude: clip.exclude, feather: 2, outputs: lend }, threads)
            : Promise.resolve(fillClip(clip.frames, clip.masks, { exclude: clip.exclude, feather: 2, outputs: lend }));
        const earlier = await fill(first);
        // The earlier window's outputs go back (as the encoder hands them back), to be lent again.
        for (const f of [...earlier.frames, ...earlier.masks]) lend.give(f.data);
        expect(lend.freeCount).toBe(2 * first.frames.length);
        const reused = await fill(second);
        expect(lend.freeCount, run).toBe(2 * (first.frames.length - second.frames.length));
        reused.frames.forEach((f, t) => expect(Buffer.compare(f.data, fresh.frames[t].data), `${run}: frame ${t}`).toBe(0));
        reused.masks.forEach((m, t) => expect(Buffer.compare(m.data, fresh.masks[t].data), `${run}: mask ${t}`).toBe(0));
        for (const f of [...reused.frames, ...reused.masks]) lend.give(f.data);
      }
    } finally {
      threads.dispose();
    }
  }, 60_000);
});
