import { alignClipAtScale } from '../fill/clipAlignmentAtScale';
import type { ClipAlignment, PairMemo } from '../fill/alignment';
import type { OpenedWindow } from '../fill/fillClip';
import type { FillThreads } from '../fill/fillThreads';
import { setWindowAlignment } from '../fill/fillWindow';
import type { Box, GrayImage, RgbImage, Track } from '../types';
import { boxesImage } from '../fill/distractors';
import { measurePairsOnThreads } from '../fill/pairsOnThreads';
import { workingSize } from '../fill/resample';
import { buildTrackMasks, DEFAULT_TRACK_DILATE, EVIDENCE_SIDE, evidenceBoxes, occupiedMasks, seenMasks, usesEvidence, type TrackEvidence, type TrackMaskOptions } from './trackMasks';

/**
 * A window's masks and camera motion with their per-frame work on the fill's threads: the frames
 * are shrunk there (into the window the fill then uses), the motion is measured on those copies
 * there and here (pairsOnThreads.ts: each pair starts from the previous pair's motion), and each of the
 * background evidence's two looks, the masks' painting and growing and the closing of their gaps
 * run frame by frame there. The same bytes as shrunkCopies, alignClipAtScale and buildTrackMasks
 * on one thread; at 1080p these were most of a window's one-thread time outside the fill. The
 * masks painted there are the window's own buffers: whatever outlives the window copies them.
 */
export async function trackMasksOnThreads(
  opened: OpenedWindow,
  frames: RgbImage[],
  tracks: Track[],
  /** Per frame, every object's box (source pixels; kept out of the motion estimate). */
  occupied: (Box | null)[][],
  alignSide: number,
  options: Pick<TrackMaskOptions, 'dilate' | 'useBackgroundEvidence' | 'softMask'>,
  threads: FillThreads,
  /** Pair motions earlier windows measured (alignClip). */
  memo?: PairMemo,
): Promise<{ masks: GrayImage[]; alignment: ClipAlignment }> {
  const { window, transfer } = opened;
  if (!window.evidenceMask) throw new Error('trackMasksOnThreads: the window was opened without a small size');
  if (window.small) await threads.run(window, transfer, 'shrink', undefined);
  const small = window.small ?? window.frames;
  // The pairs are measured on the threads too; the motion is then composed from them here.
  const pairs = memo ?? { pairs: new Map(), start: 0 };
  await measurePairsOnThreads(opened, occupied, pairs, threads);
  const { width, height } = frames[0];
  const alignment = alignClipAtScale(frames, (t) => boxesImage(occupied[t], width, height, 0), alignSide, small, pairs);
  setWindowAlignment(opened, alignment);
  let evidence: TrackEvidence | undefined;
  // The evidence is measured at EVIDENCE_SIDE; copies of another size leave it to buildTrackMasks.
  const evidenceSize = workingSize(frames[0].width, frames[0].height, EVIDENCE_SIDE);
  if (usesEvidence(options, frames.length) && small[0].width === evidenceSize.width && small[0].height === evidenceSize.height) {
    const scale = small[0].width / frames[0].width;
    const boxes = evidenceBoxes(tracks, scale);
    const look = async (notBackground: GrayImage[]) => {
      notBackground.forEach((m, f) => window.evidenceMask![f].set(m.data));
      return (await threads.run(window, transfer, 'evidence', { boxes })).map((r) => r.regions);
    };
    const notVoting = occupiedMasks(boxes, small[0], frames.length);
    evidence = { regions: await look(seenMasks(notVoting, await look(notVoting))), scale };
  }
  if (!options.softMask && (evidence || !usesEvidence(options, frames.length))) {
    // Painted and grown frame by frame on the threads, into the window's masks (their gaps closed
    // from the grown masks in its scratch): buildTrackMasks' bytes.
    const params = { tracks: tracks.map((t) => ({ boxes: t.boxes })), evidence: evidence ?? null, dilate: options.dilate ?? DEFAULT_TRACK_DILATE };
    await threads.run(window, transfer, 'paintMask', params);
    await threads.run(window, transfer, 'closeGaps', undefined);
    return { masks: window.masks, alignment };
  }
  const masks = buildTrackMasks(frames, tracks, { ...options, alignment, smallFrames: small, ...(evidence && { evidence }) });
  return { masks, alignment };
}
