import { afterAll, describe, expect, it } from 'vitest';
import { samePairMotion, type PairMemo } from '../../../src/engine/lite/fill/alignment';
import { alignClipAtScale } from '../../../src/engine/lite/fill/clipAlignmentAtScale';
import { boxesImage } from '../../../src/engine/lite/fill/distractors';
import { createFillThreads } from '../../../src/engine/lite/fill/fillThreads';
import { openFillWindow } from '../../../src/engine/lite/fill/fillWindow';
import { measurePairsOnThreads } from '../../../src/engine/lite/fill/pairsOnThreads';
import { workingSize } from '../../../src/engine/lite/fill/resample';
import type { Box } from '../../../src/engine/lite/types';
import { renderTexture } from './syntheticFrames';

/*
 * A window's pairs measured in runs on two threads, each run but the first from no previous motion
 * and then checked, give alignClip's chain to the bit: on a pan that speeds up and zooms (where the
 * previous motion is the guess that wins) and with the pairs an earlier window measured.
 */
const SIDE = 480;
const W = 640;
const H = 360;

function zoomingPan(count: number) {
  const frames = Array.from({ length: count }, (_, t) =>
    renderTexture(W, H, (x, y, p) => {
      const s = 1 + 0.02 * t;
      p[0] = (x - W / 2) * s + W / 2 + 3 * t + 0.3 * t * t;
      p[1] = (y - H / 2) * s + H / 2 + 0.5 * t;
    }),
  );
  // An object's box, kept out of the motion.
  const boxes: (Box | null)[][] = frames.map((_, t) => [{ x: 100 + 6 * t, y: 120, width: 80, height: 90 }]);
  return { frames, boxes };
}

const threads = createFillThreads(1);
afterAll(() => threads.dispose());

async function threaded(frames: ReturnType<typeof zoomingPan>['frames'], boxes: (Box | null)[][], memo: PairMemo) {
  const opened = openFillWindow(frames, { shared: true, small: workingSize(W, H, SIDE) });
  await threads.run(opened.window, opened.transfer, 'shrink', undefined);
  await measurePairsOnThreads(opened, boxes, memo, threads);
  return opened;
}

describe('pairs on threads', () => {
  const { frames, boxes } = zoomingPan(20);
  const occupied = (t: number) => boxesImage(boxes[t], W, H, 0);
  const one = alignClipAtScale(frames, occupied, SIDE);

  it('give the one-thread chain to the bit, the motion composed from them the same', async () => {
    await threads.whenReady();
    const before = threads.framesOnThreads;
    const memo: PairMemo = { pairs: new Map(), start: 0 };
    const opened = await threaded(frames, boxes, memo);
    expect(threads.framesOnThreads - before).toBeGreaterThan(1); // the shrink's frames and a run of pairs
    expect(memo.pairs.size).toBe(19);
    one.pairs.forEach((p, i) => expect(samePairMotion(memo.pairs.get(i)!, p), `pair ${i}`).toBe(true));
    // The second run (from frame 10) guessed its first pair wrong without the previous motion
    // (else the check that mends a guess is not tested here).
    const guessed = alignClipAtScale(frames.slice(10, 12), (t) => occupied(t + 10), SIDE);
    expect(samePairMotion(guessed.pairs[0], one.pairs[10])).toBe(false);
    const small = opened.window.small!;
    const composed = alignClipAtScale(frames, () => null, SIDE, small, memo);
    for (let a = 0; a < frames.length; a++) expect(Array.from(composed.between(a, 0))).toEqual(Array.from(one.between(a, 0)));
  }, 60_000);

  it('measure only what an earlier window left, from the pair before it', async () => {
    // This window starts at clip frame 3; the earlier one measured its first 3 pairs.
    const memo: PairMemo = { pairs: new Map(one.pairs.slice(3, 6).map((p, i) => [3 + i, p])), start: 3 };
    const later = alignClipAtScale(frames.slice(3), (t) => occupied(t + 3), SIDE, undefined, { pairs: new Map(memo.pairs), start: 3 });
    await threaded(frames.slice(3), boxes.slice(3), memo);
    expect(memo.pairs.size).toBe(16);
    later.pairs.forEach((p, i) => expect(samePairMotion(memo.pairs.get(3 + i)!, p), `pair ${3 + i}`).toBe(true));
  }, 60_000);

  it('leave a window with too few pairs to split to alignClip', async () => {
    const memo: PairMemo = { pairs: new Map(), start: 0 };
    await threaded(frames.slice(0, 8), boxes.slice(0, 8), memo);
    expect(memo.pairs.size).toBe(0);
  });
});
