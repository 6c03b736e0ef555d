import type { GrayImage, RgbImage } from '../types';
import { alignClip, type ClipAlignment, type PairMemo } from './alignment';
import { scaleHomography } from './homography';
import { shrinkMask, shrinkRgb, workingSize } from './resample';

/**
 * Aligns a clip on copies shrunk to at most `maxSide` pixels and returns the motion in the
 * full-size frames' pixels: camera motion is global, so a smaller picture measures it almost as
 * well, at a fraction of the cost. `small`: those copies when the caller has made them already
 * (shrinkRgb to workingSize(…, maxSide)), so that a window's masks and alignment shrink each
 * frame once. `memo`: pairs measured in earlier windows at the same size (alignClip). `masks`:
 * per frame, what to keep out of the estimate, or a function that makes it when a pair needs it.
 */
export function alignClipAtScale(frames: RgbImage[], masks: MotionMasks, maxSide: number, small?: RgbImage[], memo?: PairMemo): ClipAlignment {
  if (frames.length === 0) return alignClip([], []);
  const { width, height } = frames[0];
  const size = workingSize(width, height, maxSide);
  if (size.width === width && size.height === height) return alignClip(frames, masks, memo);
  const copies = small ?? shrunkCopies(frames, maxSide);
  // A mask is made and shrunk only where a pair is measured (alignClip asks): a pair an earlier window measured needs none.
  const found = alignClip(copies, motionMasksAt(masks, size), memo);
  const s = width / size.width;
  return { pairs: found.pairs, segment: found.segment, between: (a, b) => scaleHomography(found.between(a, b), s) };
}

/** Per frame, what to keep out of the camera motion (full-size pixels), or a function that makes it when asked. */
export type MotionMasks = readonly (GrayImage | null)[] | ((t: number) => GrayImage | null);

/** The masks at the size the motion is measured at (shrunk there when they are larger), made when asked. */
export function motionMasksAt(masks: MotionMasks, size: { width: number; height: number }): (t: number) => GrayImage | null {
  const maskAt = typeof masks === 'function' ? masks : (t: number) => masks[t];
  return (t) => {
    const m = maskAt(t);
    return m && (m.width === size.width && m.height === size.height ? m : shrinkMask(m, size.width, size.height));
  };
}

/** The frames shrunk (area filter) to at most `maxSide` pixels long: the copies motion and background evidence are measured on. */
export function shrunkCopies(frames: RgbImage[], maxSide: number): RgbImage[] {
  if (frames.length === 0) return [];
  const size = workingSize(frames[0].width, frames[0].height, maxSide);
  return frames.map((f) => shrinkRgb(f, size.width, size.height));
}
