import type { Box, GrayImage, RgbImage, Track } from '../types';
import type { ClipAlignment } from '../fill/alignment';
import { alignClipAtScale, shrunkCopies } from '../fill/clipAlignmentAtScale';
import { dilateDiskBoxed } from '../fill/boxedMasks';
import { scaleHomography } from '../fill/homography';
import { workingSize } from '../fill/resample';
import { foregroundInBox, type ForegroundRegion } from './backgroundEvidence';
import { dilateDisk } from '../../image/diskDilation';
import { closeTemporalGaps } from './morphology';
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
  /** `frames` shrunk to at most EVIDENCE_SIDE long (shrunkCopies), when the caller has them: each 1080p shrink costs tens of ms. */
  smallFrames?: RgbImage[];
  /** The background evidence, when the caller has gathered it (on threads: evidenceOnThreads.ts); null: none. */
  evidence?: TrackEvidence | null;
}

/** Background evidence per frame and track (regions[f][k]), in the small copies' pixels (`scale` = copy / source). */
export interface TrackEvidence {
  regions: (ForegroundRegion | null)[][];
  scale: number;
}

/**
 * Long side of the frames background evidence is gathered on. The per-pixel medians over several
 * frames cost in proportion to the area around each object; at 1080p that area is eleven times
 * two-birds', while the mask's edge only needs to be right to within the dilation margin. The
 * camera motion is measured at this size too, so one set of copies serves both.
 */
export const EVIDENCE_SIDE = 480;

/** Paints a region found at `scale` x the mask's resolution into the mask (each pixel takes the region pixel under its centre). */
function paintRegion(into: GrayImage, r: ForegroundRegion, scale = 1): void {
  const x0 = Math.floor(r.x0 / scale);
  const y0 = Math.floor(r.y0 / scale);
  const x1 = Math.min(into.width, Math.ceil((r.x0 + r.width) / scale));
  const y1 = Math.min(into.height, Math.ceil((r.y0 + r.height) / scale));
  for (let y = y0; y < y1; y++) {
    const v = Math.floor((y + 0.5) * scale) - r.y0;
    if (v < 0 || v >= r.height) continue;
    for (let x = x0; x < x1; x++) {
      const u = Math.floor((x + 0.5) * scale) - r.x0;
      if (u >= 0 && u < r.width && r.fg[v * r.width + u]) into.data[y * into.width + x] = 255;
    }
  }
}

/** Pixels a track's mask is grown by when the options do not say. */
export const DEFAULT_TRACK_DILATE = 4;

function scaleBox(b: Box, s: number): Box {
  return { x: b.x * s, y: b.y * s, width: b.width * s, height: b.height * s };
}

/**
 * Frame f's mask before it is grown: each track's person matte (softMask), else the object's
 * pixels the background evidence found, else its box, painted into `m` (zeroed).
 */
export function paintFrameMask<T extends Pick<Track, 'boxes'>>(m: GrayImage, tracks: readonly T[], f: number, found: TrackEvidence | null, softMask?: (track: T, frame: number) => { box: Box; mask: Uint8Array } | undefined): void {
  tracks.forEach((t, k) => {
    const box = t.boxes[f];
    if (!box) return;
    const soft = softMask?.(t, f);
    if (soft) paintSoftMask(m, soft.box, soft.mask);
    const ev = found?.regions[f][k];
    if (ev) paintRegion(m, ev, found!.scale);
    else if (!soft) paintBox(m, box);
  });
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
  const found = options.evidence !== undefined ? options.evidence : usesEvidence(options, n) ? evidenceFor(frames, tracks, options.alignment, options.smallFrames) : null;
  const masks = frames.map((_, f) => {
    const m = blank(f);
    paintFrameMask(m, tracks, f, found, options.softMask);
    return m;
  });
  // On the mask's bounding box: the same bytes as a whole-frame dilation, a fraction of a 1080p frame's work.
  const grown = masks.map((m) => ({ width: m.width, height: m.height, data: dilateDiskBoxed(m, options.dilate ?? DEFAULT_TRACK_DILATE) }));
  return closeTemporalGaps(grown);
}

/** Whether masks of `frames` frames are narrowed by background evidence (it needs a few frames to vote). */
export function usesEvidence(options: Pick<TrackMaskOptions, 'useBackgroundEvidence'>, frames: number): boolean {
  return (options.useBackgroundEvidence ?? true) && frames >= 4;
}

/** The tracks' boxes at the small copies' scale, per track and frame. */
export function evidenceBoxes(tracks: Track[], scale: number): (Box | null)[][] {
  return tracks.map((t) => t.boxes.map((b) => b && scaleBox(b, scale)));
}

/** Every chosen object's box, per frame, at the small size: pixels that must not vote as background. */
export function occupiedMasks(boxes: (Box | null)[][], size: { width: number; height: number }, frames: number): GrayImage[] {
  return Array.from({ length: frames }, (_, f) => {
    const m = { width: size.width, height: size.height, data: new Uint8Array(size.width * size.height) };
    for (const bs of boxes) if (bs[f]) paintBox(m, bs[f]!);
    return m;
  });
}

/**
 * What may not vote in the second look: a slow object's parts outside its boxes (a tail) sit in the
 * same place in many other frames and would vote for themselves as background, so the parts the
 * first look found are marked as not-background too (grown by a pixel).
 */
export function seenMasks(occupied: GrayImage[], first: (ForegroundRegion | null)[][]): GrayImage[] {
  return occupied.map((o, f) => {
    const m = { ...o, data: Uint8Array.from(o.data) };
    for (const r of first[f]) if (r) paintRegion(m, r);
    return dilateDisk(m, 1);
  });
}

/**
 * Background evidence for every track in every frame, on copies at most EVIDENCE_SIDE long;
 * regions are in those copies' pixels (`scale` = copy / source).
 */
function evidenceFor(frames: RgbImage[], tracks: Track[], sourceAlignment: ClipAlignment | undefined, given: RgbImage[] | undefined): TrackEvidence {
  const { width, height } = frames[0];
  const size = workingSize(width, height, EVIDENCE_SIDE);
  const scale = size.width / width;
  const small = given && given[0]?.width === size.width && given[0].height === size.height ? given : shrunkCopies(frames, EVIDENCE_SIDE);
  const boxes = evidenceBoxes(tracks, scale);
  const occupied = occupiedMasks(boxes, size, small.length);
  const alignment = sourceAlignment ? scaledAlignment(sourceAlignment, scale) : alignClipAtScale(small, occupied, EVIDENCE_SIDE);
  const look = (notBackground: GrayImage[]) =>
    small.map((_, f) => boxes.map((bs) => (bs[f] ? foregroundInBox(small, notBackground, alignment, f, bs[f]!) : null)));
  return { regions: look(seenMasks(occupied, look(occupied))), scale };
}

/** The source frames' camera motion in the pixels of copies `scale` times their size. */
export function scaledAlignment(alignment: ClipAlignment, scale: number): ClipAlignment {
  return { ...alignment, between: (a: number, b: number) => scaleHomography(alignment.between(a, b), scale) };
}
