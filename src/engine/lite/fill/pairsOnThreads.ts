// A window's camera motion measured on several threads with alignClip's bytes. Each pair's motion
// starts from the pair before it (a camera's inertia is its best guess under zoom and roll), so the
// pairs form one chain and were measured on the calling thread alone while the fill's workers
// waited (about 4 s of the 96-frame 1080p clip). Here the window's unmeasured pairs are cut into
// runs, one per thread; every run but the first starts from no previous motion, a guess. The
// calling thread then walks the runs in order and measures again, from the true previous motion,
// each pair of a run until one comes out the same to the bit as the guess (samePairMotion): every
// later pair of the run then starts from the same motion as in the one-thread chain, so it is
// that chain's. On real footage about two pairs in three come out the same without their previous
// motion, so a run costs the calling thread one or two pairs.
import type { Box, RgbImage } from '../types';
import { measurePairChain, samePairMotion, type PairMemo, type PairMotion } from './alignment';
import { motionMasksAt } from './clipAlignmentAtScale';
import { boxesImage } from './distractors';
import type { FillThreads } from './fillThreads';
import type { FillWindow, FillWindowTransfer } from './fillWindow';

/** Fewer unmeasured pairs than this per thread and the split does not pay for the pairs measured twice. */
const MIN_RUN = 6;

/**
 * Measures every pair of the window that `memo` does not hold yet, into `memo` (pair t − 1 → t of
 * the window at memo.start + t − 1), on the small copies the window holds (its frames when it has
 * none). `boxes`: per window frame, every object's box (source pixels). alignClipAtScale with the
 * same memo then composes the window's motion from it, as it would have measured it.
 */
export async function measurePairsOnThreads(
  opened: { window: FillWindow; transfer: FillWindowTransfer },
  boxes: (Box | null)[][],
  memo: PairMemo,
  threads: FillThreads,
): Promise<void> {
  const { window, transfer } = opened;
  const missing: number[] = [];
  for (let t = 1; t < window.count; t++) if (!memo.pairs.has(memo.start + t - 1)) missing.push(t);
  // One run of missing pairs (the window's tail after the pairs it shares with the last) is the
  // case windows give; anything else is left to alignClip.
  if (!missing.length || missing[missing.length - 1] - missing[0] + 1 !== missing.length) return;
  const runs = Math.min(threads.count + 1, Math.floor(missing.length / MIN_RUN));
  if (runs < 2) return;
  const from = missing[0];
  const chains = Array.from({ length: runs }, (_, k) => ({
    from: from + Math.round((k * missing.length) / runs),
    to: from + Math.round(((k + 1) * missing.length) / runs),
  }));
  const previous = from > 1 ? memo.pairs.get(memo.start + from - 2)!.homography : null;
  const measured = await threads.run(window, transfer, 'pairChain', { chains, boxes, previous }, { start: 0, end: runs });
  const small: RgbImage[] = window.small ?? window.frames;
  const maskAt = motionMasksAt((t) => boxesImage(boxes[t], window.width, window.height, 0), small[0]);
  let before: PairMotion | null = null;
  chains.forEach(({ from: start }, k) => {
    const run = measured[k];
    // The first run started from the true previous motion; a later one is checked pair by pair.
    let agreed = k === 0;
    run.forEach((guess, j) => {
      let m = guess;
      if (!agreed) {
        const t = start + j;
        m = measurePairChain(small, maskAt, t, t + 1, before!.homography)[0];
        agreed = samePairMotion(m, guess);
      }
      memo.pairs.set(memo.start + start + j - 1, m);
      before = m;
    });
  });
}
