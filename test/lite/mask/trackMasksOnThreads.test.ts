import { afterAll, describe, expect, it } from 'vitest';
import { alignClipAtScale, shrunkCopies } from '../../../src/engine/lite/fill/clipAlignmentAtScale';
import { boxesMask } from '../../../src/engine/lite/fill/distractors';
import { createFillThreads } from '../../../src/engine/lite/fill/fillThreads';
import { createFillWindowPool, openFillWindow } from '../../../src/engine/lite/fill/fillWindow';
import { workingSize } from '../../../src/engine/lite/fill/resample';
import { buildTrackMasks } from '../../../src/engine/lite/mask/trackMasks';
import { trackMasksOnThreads } from '../../../src/engine/lite/mask/trackMasksOnThreads';
import type { Box, GrayImage, RgbImage, Track } from '../../../src/engine/lite/types';
import { renderTexture } from '../fill/syntheticFrames';

/*
 * A window's masks with their per-frame work (shrinking, the evidence's two looks) on the fill's
 * threads give the bytes and the camera motion of the one-thread path, on frames larger than the
 * small copies and on frames that are their own small copies.
 */
const SIDE = 480;

/** A textured locked-off clip with a disc crossing it (no box in frame 3); its track's boxes are generous, so evidence narrows them. */
function discClip(width: number, height: number, frames: number): { frames: RgbImage[]; track: Track } {
  const shown: RgbImage[] = [];
  const boxes: (Box | null)[] = [];
  const r = Math.round(height / 8);
  for (let t = 0; t < frames; t++) {
    const f = renderTexture(width, height);
    const cx = Math.round(width * 0.2 + t * width * 0.06);
    const cy = Math.round(height / 2);
    for (let y = cy - r; y <= cy + r; y++) for (let x = cx - r; x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) f.data.set([250, 240, 30], 3 * (y * width + x));
    shown.push(f);
    const half = Math.round(1.4 * r);
    boxes.push(t === 3 ? null : { x: cx - half, y: cy - half, width: 2 * half, height: 2 * half });
  }
  return { frames: shown, track: { id: 1, label: 'ball', score: 0.9, firstFrame: 0, lastFrame: frames - 1, boxes, predicted: boxes.map(() => false) } };
}

/** discClip with its boxes as masks, its small copies and its motion (the one-thread path's inputs). */
function measuredDiscClip(width: number, height: number) {
  const { frames, track } = discClip(width, height, 8);
  const occupied: (GrayImage | null)[] = frames.map((_, f) => {
    const m = boxesMask([track.boxes[f]], width, height, 0);
    return m && { width, height, data: m };
  });
  const small = shrunkCopies(frames, SIDE);
  const boxes = frames.map((_, f) => [track.boxes[f]]);
  return { frames, track, occupied, boxes, small, alignment: alignClipAtScale(frames, occupied, SIDE, small) };
}

const threads = createFillThreads(1);
afterAll(() => threads.dispose());

describe('track masks on threads', () => {
  it.each([
    ['shrunk copies', 720, 400],
    ['frames that are their own small copies', 320, 180],
  ])('give the one-thread masks and motion (%s)', async (_name, width, height) => {
    await threads.whenReady();
    const { frames, track, boxes, small, alignment } = measuredDiscClip(width, height);
    const one = buildTrackMasks(frames, [track], { dilate: 3, alignment, smallFrames: small });
    const opened = openFillWindow(frames, { shared: true, pool: createFillWindowPool(), small: workingSize(width, height, SIDE) });
    expect(Boolean(opened.window.small)).toBe(width > SIDE);
    const before = threads.framesOnThreads;
    const threaded = await trackMasksOnThreads(opened, frames, [track], boxes, SIDE, { dilate: 3 }, threads);
    expect(threads.framesOnThreads).toBeGreaterThan(before);
    threaded.masks.forEach((m, t) => expect(Buffer.compare(m.data, one[t].data), `frame ${t}`).toBe(0));
    for (let a = 0; a < frames.length; a++) expect(Array.from(threaded.alignment.between(a, 0))).toEqual(Array.from(alignment.between(a, 0)));
    // The window the fill goes on to use holds the same motion.
    expect(Array.from(opened.window.alignment.between(5, 1))).toEqual(Array.from(alignment.between(5, 1)));
    // Evidence did narrow the generous boxes (so its threaded path ran).
    const box = track.boxes[0]!;
    const set = one[0].data.reduce((n, v) => n + (v ? 1 : 0), 0);
    expect(set).toBeLessThan(0.9 * box.width * box.height);
    expect(set).toBeGreaterThan(0);
  }, 60_000);

  it('paint boxes without evidence into a reused window, the gap of the frame without a box closed, as on one thread', async () => {
    await threads.whenReady();
    const width = 720;
    const height = 400;
    const { frames, track, boxes, small, alignment } = measuredDiscClip(width, height);
    const options = { dilate: 2, useBackgroundEvidence: false };
    const one = buildTrackMasks(frames, [track], { ...options, alignment, smallFrames: small });
    // Frame 3 has no box: its mask is what frames 2 and 4 share.
    expect(one[3].data.some((v) => v)).toBe(true);
    // A window whose buffers a previous window left full of marks.
    const pool = createFillWindowPool();
    const shape = { shared: true, pool, small: workingSize(width, height, SIDE) };
    const dirty = openFillWindow(frames, shape);
    for (let t = 0; t < frames.length; t++) {
      dirty.window.masks[t].data.fill(255);
      dirty.window.scratch[t].fill(255);
    }
    pool.give(dirty.transfer);
    const opened = openFillWindow(frames, shape);
    expect(opened.transfer.buffers).toBe(dirty.transfer.buffers);
    const threaded = await trackMasksOnThreads(opened, frames, [track], boxes, SIDE, options, threads);
    threaded.masks.forEach((m, t) => expect(Buffer.compare(m.data, one[t].data), `frame ${t}`).toBe(0));
  }, 60_000);

  it('makes the motion\'s masks only for the pairs it measures, given them as a function', () => {
    const width = 720;
    const height = 400;
    const { frames, occupied, small, alignment } = measuredDiscClip(width, height);
    // Pairs 0 → 1 … 3 → 4 measured by an earlier window; this one measures 4 → 5 … 6 → 7.
    const memo = { pairs: new Map(alignment.pairs.slice(0, 4).map((p, i) => [i, p])), start: 0 };
    const asked: number[] = [];
    const lazy = alignClipAtScale(frames, (t) => (asked.push(t), occupied[t]), SIDE, small, memo);
    expect([...new Set(asked)].sort((a, b) => a - b)).toEqual([4, 5, 6, 7]);
    for (let a = 0; a < frames.length; a++) expect(Array.from(lazy.between(a, 0))).toEqual(Array.from(alignment.between(a, 0)));
  });

  it('refuses a window opened without a small size', async () => {
    const { frames, track } = discClip(320, 180, 4);
    const opened = openFillWindow(frames, { shared: true });
    await expect(trackMasksOnThreads(opened, frames, [track], frames.map(() => []), SIDE, {}, threads)).rejects.toThrow(/small size/);
  });
});
