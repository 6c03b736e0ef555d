/**
 * The colour of a tracked object over the clip, for selectTracks' `colourOf`: pixels from a few
 * frames spread over the track, so one badly lit or motion-blurred frame can't decide it. Without
 * a segmentation mask only the middle of each box is read: a detector's box is a rectangle around
 * a shape, and its corners and edges are mostly background.
 */
import type { RgbImage, Track } from '../types';
import { ColourTally, type DominantColour } from './colourName';

export interface TrackColourOptions {
  /** Frames to sample at most, evenly over the frames the object was detected in (default 8). */
  maxFrames?: number;
  /** The object's soft mask for a frame (Detection.mask layout, over the rounded box), if segmented. */
  maskAt?: (frame: number) => Uint8Array | undefined;
  /** Share of the box's width and height read when there is no mask (default 0.6: the central 60%). */
  coreShare?: number;
}

/** Frames (indices) the track was detected in, evenly thinned to at most `max`. */
export function sampleFrames(track: Track, max: number): number[] {
  const detected: number[] = [];
  for (let f = 0; f < track.boxes.length; f++) if (track.boxes[f] && !track.predicted[f]) detected.push(f);
  if (detected.length <= max) return detected;
  const picked: number[] = [];
  for (let k = 0; k < max; k++) picked.push(detected[Math.floor(((k + 0.5) * detected.length) / max)]);
  return picked;
}

/**
 * The track's dominant colour from the frames `frameAt` can still supply (it may return undefined
 * for frames no longer held); null when no sampled frame was available.
 */
export function trackColour(
  track: Track,
  frameAt: (frame: number) => RgbImage | undefined,
  options: TrackColourOptions = {},
): DominantColour | null {
  const coreShare = options.coreShare ?? 0.6;
  if (!(coreShare > 0 && coreShare <= 1)) throw new Error(`coreShare must be in (0, 1], got ${coreShare}`);
  const tally = new ColourTally();
  for (const f of sampleFrames(track, options.maxFrames ?? 8)) {
    const image = frameAt(f);
    const box = track.boxes[f];
    if (!image || !box) continue;
    const mask = options.maskAt?.(f);
    if (mask) {
      tally.add(image, { box, mask });
    } else {
      const w = box.width * coreShare;
      const h = box.height * coreShare;
      tally.add(image, { box: { x: box.x + (box.width - w) / 2, y: box.y + (box.height - h) / 2, width: w, height: h } });
    }
  }
  return tally.result();
}
