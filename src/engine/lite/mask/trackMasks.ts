import type { Box, GrayImage, RgbImage, Track } from '../types';
import type { ClipAlignment } from '../fill/alignment';
import { alignClipAtScale } from '../fill/clipAlignmentAtScale';
import { foregroundInBox } from './backgroundEvidence';
import { closeTemporalGaps, dilateMask } from './morphology';
import { paintBox, paintSoftMask } from './rasterizeBox';

/**
 * Per-frame removal masks (source resolution, 0 keep / 255 remove) for the chosen tracks: each box
 * is narrowed to the object by a segmenter's soft mask and/or background evidence, grown by the
 * user's margin, and gaps of one frame are closed. The result is binary; feathering belongs to the
 * composite (featherMask), not to the hole the fill must cover.
 */
export interface TrackMaskOptions {
  /** Margin grown around the object, in source pixels. */
  dilate?: number;
  /** Narrow boxes by comparing with the background other frames show (default true). */
  useBackgroundEvidence?: boolean;
  /** A segmenter's soft mask for a track in a frame (covering `box`, as Detection.mask), when there is one. */
  softMask?: (track: Track, frame: number) => { box: Box; mask: Uint8Array } | undefined;
  /** Camera alignment of `frames`, when the caller already has it (else measured here on a small copy). */
  alignment?: ClipAlignment;
}

export function buildTrackMasks(frames: RgbImage[], tracks: Track[], options: TrackMaskOptions = {}): GrayImage[] {
  const n = frames.length;
  for (const t of tracks) {
    if (t.boxes.length !== n) throw new Error(`track ${t.id} has ${t.boxes.length} boxes for ${n} frames`);
  }
  const blank = (f: number): GrayImage => ({
    width: frames[f].width,
    height: frames[f].height,
    data: new Uint8Array(frames[f].width * frames[f].height),
  });
  // Every chosen object's box, per frame: pixels that must not vote as background.
  const occupied = frames.map((_, f) => {
    const m = blank(f);
    for (const t of tracks) {
      const b = t.boxes[f];
      if (b) paintBox(m, b);
    }
    return m;
  });
  const useEvidence = (options.useBackgroundEvidence ?? true) && n >= 4;
  const alignment = useEvidence ? (options.alignment ?? alignClipAtScale(frames, occupied, 480)) : null;
  const masks = frames.map((_, f) => {
    const m = blank(f);
    for (const t of tracks) {
      const box = t.boxes[f];
      if (!box) continue;
      const soft = options.softMask?.(t, f);
      if (soft) paintSoftMask(m, soft.box, soft.mask);
      const ev = alignment ? foregroundInBox(frames, occupied, alignment, f, box) : null;
      if (ev) {
        for (let v = 0; v < ev.height; v++) {
          const row = (ev.y0 + v) * m.width + ev.x0;
          for (let u = 0; u < ev.width; u++) if (ev.fg[v * ev.width + u]) m.data[row + u] = 255;
        }
      } else if (!soft) paintBox(m, box);
    }
    return m;
  });
  const grown = masks.map((m) => dilateMask(m, options.dilate ?? 4));
  return closeTemporalGaps(grown);
}
