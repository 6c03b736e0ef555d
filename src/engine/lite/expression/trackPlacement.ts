/**
 * Where a track is and how big it is, over the whole clip: the facts qualifiers are judged on.
 * "The left bird" is the one that is left over the clip, not in one frame, so positions and sizes
 * are means over the frames the track is seen, each frame weighted by how visible the object is:
 * the share of its box inside the frame (an object half off-screen says less about where it is),
 * halved where the tracker predicted the box to bridge a gap rather than detected it.
 */
import type { Track } from '../types';

/** Weight of a predicted (not detected) box relative to a detected one. */
const PREDICTED_WEIGHT = 0.5;

export interface TrackPlacement {
  track: Track;
  /** Mean centre as fractions of the frame (0 = left/top edge, 1 = right/bottom edge). */
  cx: number;
  cy: number;
  /** Mean visible box area as a fraction of the frame's area. */
  area: number;
  /** Sum of the frame weights: how much of the clip the object is clearly seen in, in frames. */
  visibility: number;
}

/** The track's placement, or null when it is never visible inside the frame. */
export function placeTrack(track: Track, frameWidth: number, frameHeight: number): TrackPlacement | null {
  if (!(frameWidth > 0 && frameHeight > 0)) throw new Error(`frame size must be positive, got ${frameWidth}x${frameHeight}`);
  let weightSum = 0;
  let cxSum = 0;
  let cySum = 0;
  let areaSum = 0;
  for (let f = 0; f < track.boxes.length; f++) {
    const box = track.boxes[f];
    if (!box || !(box.width > 0 && box.height > 0)) continue;
    const x0 = Math.max(0, box.x);
    const y0 = Math.max(0, box.y);
    const x1 = Math.min(frameWidth, box.x + box.width);
    const y1 = Math.min(frameHeight, box.y + box.height);
    if (x1 <= x0 || y1 <= y0) continue;
    const visibleArea = (x1 - x0) * (y1 - y0);
    const weight = (visibleArea / (box.width * box.height)) * (track.predicted[f] ? PREDICTED_WEIGHT : 1);
    weightSum += weight;
    cxSum += weight * ((x0 + x1) / 2 / frameWidth);
    cySum += weight * ((y0 + y1) / 2 / frameHeight);
    areaSum += weight * (visibleArea / (frameWidth * frameHeight));
  }
  if (weightSum <= 0) return null;
  return { track, cx: cxSum / weightSum, cy: cySum / weightSum, area: areaSum / weightSum, visibility: weightSum };
}
