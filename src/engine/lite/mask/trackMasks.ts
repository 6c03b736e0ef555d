import type { Box, GrayImage, RgbImage, Track } from '../types';
import type { ClipAlignment } from '../fill/alignment';
import { alignClipAtScale } from '../fill/clipAlignmentAtScale';
import { foregroundInBox, type ForegroundRegion } from './backgroundEvidence';
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

function paintRegion(into: GrayImage, r: ForegroundRegion): void {
  for (let v = 0; v < r.height; v++) {
    const row = (r.y0 + v) * into.width + r.x0;
    for (let u = 0; u < r.width; u++) if (r.fg[v * r.width + u]) into.data[row + u] = 255;
  }
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
  const evidence = (notBackground: GrayImage[]) =>
    frames.map((_, f) => tracks.map((t) => (alignment && t.boxes[f] ? foregroundInBox(frames, notBackground, alignment, f, t.boxes[f]!) : null)));
  let found = evidence(occupied);
  if (alignment) {
    // A slow object's parts outside its boxes (a tail) sit in the same place in many other frames
    // and would vote for themselves as background; a second look with the parts the first one
    // found marked as not-background sees past them.
    const seen = frames.map((_, f) => {
      const m = { ...occupied[f], data: Uint8Array.from(occupied[f].data) };
      for (const r of found[f]) if (r) paintRegion(m, r);
      return dilateMask(m, 1);
    });
    found = evidence(seen);
  }
  const masks = frames.map((_, f) => {
    const m = blank(f);
    tracks.forEach((t, k) => {
      const box = t.boxes[f];
      if (!box) return;
      const soft = options.softMask?.(t, f);
      if (soft) paintSoftMask(m, soft.box, soft.mask);
      const ev = found[f][k];
      if (ev) paintRegion(m, ev);
      else if (!soft) paintBox(m, box);
    });
    return m;
  });
  const grown = masks.map((m) => dilateMask(m, options.dilate ?? 4));
  return closeTemporalGaps(grown);
}
