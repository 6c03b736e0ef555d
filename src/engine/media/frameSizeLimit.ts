import { LacunaError } from '../util/errors';

/**
 * The largest picture Lacuna takes: 16384 pixels a side (ffmpeg's own limit for most image and
 * intermediate codecs) and 8192x8192 in area. A frame is held several times over while it is
 * filled (a Lite window holds dozens), so a 20000x20000 picture would exhaust memory long after
 * the work started; a header announcing such a size is more often damaged than true. Checked
 * at probe, so the error comes before any work, with the size named.
 */
export const MAX_FRAME_SIDE = 16384;
export const MAX_FRAME_PIXELS = 8192 * 8192;

export function checkFrameSize(path: string, width: number, height: number): void {
  if (width <= MAX_FRAME_SIDE && height <= MAX_FRAME_SIDE && width * height <= MAX_FRAME_PIXELS) return;
  throw new LacunaError(
    'UNSUPPORTED',
    `${path} is ${width}x${height}: larger than Lacuna works with (at most ${MAX_FRAME_SIDE} pixels a side and ${Math.round(MAX_FRAME_PIXELS / 1e6)} megapixels)`,
    'Scale it down first (ffmpeg -i in -vf scale=-2:4320 out), or re-export it if that size is a damaged header.',
  );
}
