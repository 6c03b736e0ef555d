import type { GrayImage, RgbImage } from '../types';
import { alignClip, type ClipAlignment } from './alignment';
import { scaleHomography } from './homography';
import { shrinkMask, shrinkRgb, workingSize } from './resample';

/**
 * Aligns a clip on copies shrunk to at most `maxSide` pixels and returns the motion in the
 * full-size frames' pixels: camera motion is global, so a smaller picture measures it almost as
 * well, at a fraction of the cost.
 */
export function alignClipAtScale(frames: RgbImage[], masks: (GrayImage | null)[], maxSide: number): ClipAlignment {
  if (frames.length === 0) return alignClip([], []);
  const { width, height } = frames[0];
  const size = workingSize(width, height, maxSide);
  if (size.width === width && size.height === height) return alignClip(frames, masks);
  const small = alignClip(
    frames.map((f) => shrinkRgb(f, size.width, size.height)),
    masks.map((m) => (m ? shrinkMask(m, size.width, size.height) : null)),
  );
  const s = width / size.width;
  return { pairs: small.pairs, segment: small.segment, between: (a, b) => scaleHomography(small.between(a, b), s) };
}
