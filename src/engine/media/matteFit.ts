import { LacunaError } from '../util/errors';
import type { MediaInfo } from './types';

/** Aspect ratios closer than this (relative) are the same shape: 1920x1080 and 1280x720, or 853x480 and 854x480. */
const SAME_SHAPE = 0.01;

/**
 * Checks that a matte given for a clip has the clip's shape, both as shown (rotation and pixel
 * aspect applied), before any work: a matte is drawn on the picture, so one of another shape
 * would be stretched onto the wrong pixels (a 320x180 matte on a phone clip shown upright as
 * 180x320). The same shape at another size is scaled, and the returned warning says so; another
 * shape is refused, with the likely reason when it is the clip's size turned on its side.
 */
export function checkMatteFits(matte: MediaInfo, clip: MediaInfo): string[] {
  const m = matte.video;
  const c = clip.video;
  if (!m) throw new LacunaError('BAD_ARGUMENT', `the matte ${matte.path} has no picture`, 'Give a video, an image sequence or an image, white where to remove.');
  if (!c) return [];
  const [mw, mh, cw, ch] = [m.displayWidth, m.displayHeight, c.displayWidth, c.displayHeight];
  if (mw === cw && mh === ch) return [];
  const shape = (w: number, h: number) => w / h;
  if (Math.abs(shape(mw, mh) - shape(cw, ch)) / shape(cw, ch) <= SAME_SHAPE) {
    return [`the matte is ${mw}x${mh} and the clip ${cw}x${ch}: the matte is scaled to the clip's size (same shape)`];
  }
  const turned = mw === ch && mh === cw;
  throw new LacunaError(
    'BAD_ARGUMENT',
    `the matte is ${mw}x${mh} but the clip is ${cw}x${ch}${c.rotation ? ` as shown (it is rotated ${c.rotation}°)` : ''}: a matte must have the clip's shape`,
    turned
      ? `The matte is the clip's picture on its side: draw it on the upright picture (${cw}x${ch}), as players and editors show the clip.`
      : `Export the matte at ${cw}x${ch} (or the same shape at another size).`,
  );
}
