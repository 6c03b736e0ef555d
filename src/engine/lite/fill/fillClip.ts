import type { GrayImage, RgbImage } from '../types';
import { throwIfAborted } from '../../util/errors';
import { featherMask } from '../../image/feather';
import type { ClipAlignment } from './alignment';
import { alignClipAtScale } from './clipAlignmentAtScale';
import { compositeFill } from './composite';
import { movingAgainstCamera } from './distractors';
import { growSoftEdges } from './edgeGrowth';
import { estimateBackground, propagateFromOtherFrames, ringAround, samplingMasks } from './propagate';
import { workingSize } from './resample';
import { sampleRgb } from './sampleRgb';
import { correctSeam, seamRing } from './seamCorrection';
import { relightShadow, shadowReach } from './shadowFinder';
import { spatialFill } from './spatialFill';
import { dilateDisk } from '../../image/diskDilation';
import { cropToBox, dilateDiskBoxed, setBox } from './boxedMasks';

/**
 * Fills the masked region of a window of frames: measure the camera motion on small copies,
 * grow the hole over the object's soft rim, copy the background from frames where it is visible
 * (temporal propagation, never from other objects or from pixels that move against the camera),
 * match it to this frame's light at the hole's border (seam correction), invent what no frame
 * shows once in one reference frame (exemplar inpainting) and carry that invention to the other
 * frames through the alignment so it holds still over time; optionally find and relight the
 * object's cast shadow. Everything but the motion runs at source resolution and touches only the
 * hole and its surroundings, so a small object in a 4K frame costs little more than in a small one.
 */
export interface FillOptions {
  /** Long side of the copies the camera motion is measured on (default 480); the fill is at source resolution. */
  maxWorkingSide?: number;
  /** The window's camera motion in source pixels, when the caller has measured it already. */
  alignment?: ClipAlignment;
  /** Source frames sampled per hole pixel during propagation (median of these). */
  maxCandidates?: number;
  /** Exemplar patch half-size. */
  patchRadius?: number;
  /**
   * Composite edge feather, in source pixels, inside the mask (default 0). Only worth setting when
   * the mask was dilated beyond the object by more than this, or object pixels blend back in.
   */
  feather?: number;
  /** Most pixels the hole may grow over a soft edge (default: about 1/100 of the long side, at least 4; 0 = off). */
  edgeGrow?: number;
  /** Per frame, pixels never to copy from: other tracked objects (see distractors.ts). */
  exclude?: (Uint8Array | null)[];
  /** Also exclude pixels that move against the camera (default true). */
  excludeMoving?: boolean;
  /** Match the copied background to the frame at the hole's border (default true). */
  seamless?: boolean;
  /** Find the cast shadow attached to each hole and relight it (default false). */
  withShadow?: boolean;
  signal?: AbortSignal;
}

export interface FillReport {
  workingWidth: number;
  workingHeight: number;
  /** Hole pixels (all frames) filled from other frames. */
  propagatedPixels: number;
  /** Hole pixels no frame showed, invented by exemplar inpainting in reference frames. */
  inpaintedPixels: number;
  /** Frames in which spatial inpainting ran (the rest received those fills by propagation). */
  referenceFrames: number[];
  /** Consecutive frame pairs judged to be a locked-off camera. */
  stillPairs: number;
  /**
   * Runs of frames aligned with each other (1 when the whole window aligned); background is only
   * carried within a run, so more runs means more of the hole left to invent.
   */
  segments: number;
  /** Pixels (all frames) the hole grew by over soft edges, and the widest growth in pixels. */
  edgePixels: number;
  edgeWidest: number;
  /** Mean |correction| (8-bit levels) the seam correction applied to copied pixels. */
  seamCorrection: number;
  /** Pixels (all frames) of cast shadow relit. */
  shadowPixels: number;
  /** Pixels (all frames) other objects or motion against the camera kept from being copied. */
  excludedPixels: number;
}

/** How deep inside a hole another frame must show background for its border pixels to be used by the seam. */
const SEAM_MARGIN = 4;

/** The default growth limit over soft edges for a frame size. */
export function defaultEdgeGrow(width: number, height: number): number {
  return Math.max(4, Math.round(Math.max(width, height) / 100));
}

export function fillClip(
  frames: RgbImage[],
  masks: GrayImage[],
  options: FillOptions = {},
): { frames: RgbImage[]; report: FillReport; masks: GrayImage[] } {
  if (frames.length !== masks.length) throw new Error(`fillClip: ${frames.length} frames but ${masks.length} masks`);
  if (frames.length === 0) throw new Error('fillClip: no frames');
  const { width, height } = frames[0];
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    const m = masks[i];
    if (f.width !== width || f.height !== height || m.width !== width || m.height !== height) {
      throw new Error(`fillClip: frame ${i} or its mask is not ${width}x${height}`);
    }
  }
  const side = options.maxWorkingSide ?? 480;
  const size = workingSize(width, height, side);
  throwIfAborted(options.signal, 'the fill');
  const alignment = options.alignment ?? alignClipAtScale(frames, masks, side);
  throwIfAborted(options.signal, 'the fill');

  const moving = options.excludeMoving === false ? null : movingAgainstCamera(frames, masks, alignment);
  const exclude = frames.map((_, t) => orMasks(options.exclude?.[t] ?? null, moving?.[t] ?? null));
  let excludedPixels = 0;
  for (const e of exclude) if (e) for (let i = 0; i < e.length; i++) excludedPixels += e[i];

  const grow = options.edgeGrow ?? defaultEdgeGrow(width, height);
  const edges = growSoftEdges(frames, masks, exclude, alignment, grow);
  const holes = edges.holes;
  throwIfAborted(options.signal, 'the fill');
  // Shadows first: another frame's shadow is not background either.
  let shadowPixels = 0;
  const shadows = frames.map((frame, t) => {
    if (!options.withShadow) return null;
    throwIfAborted(options.signal, 'the fill');
    const near = nearHole(holes[t], shadowReach(holes[t]));
    if (near.length === 0) return null;
    const est = estimateBackground(frames, samplingMasks(holes, exclude), alignment, t, near, ringAround(holes[t]));
    const relit = { width, height, data: Uint8Array.from(frame.data) };
    const mask = relightShadow({ frame, hole: holes[t], idx: near, values: est.values, count: est.count }, relit);
    if (!mask) return null;
    for (let i = 0; i < mask.length; i++) shadowPixels += mask[i];
    return { mask, relit };
  });
  const notBackground = exclude.map((e, t) => orMasks(e, shadows[t]?.mask ?? null));
  // Other frames' grown holes (rims included) are not background; nor are other objects.
  const prop = propagateFromOtherFrames(frames, holes, alignment, {
    maxCandidates: options.maxCandidates ?? 5,
    // No fallback: what moves against the camera is invented past rather than copied.
    exclude: notBackground,
  });
  const filled = prop.frames;
  const remaining = prop.remaining;
  const strict = samplingMasks(holes, notBackground);

  let seamSum = 0;
  let seamFrames = 0;
  if (options.seamless ?? true) {
    // The border is sampled only from frames that also show a band inside it, so the border's
    // estimate comes from the same frames as the fill next to it (else the difference measured
    // would be between two other frames' light, not the fill's and this frame's).
    const seamExclusion = strict.map((m, t) => {
      const d = dilateDiskBoxed({ width, height, data: m }, SEAM_MARGIN);
      const e = notBackground[t];
      if (e) for (let i = 0; i < d.length; i++) d[i] |= e[i];
      return d;
    });
    for (let t = 0; t < frames.length; t++) {
      throwIfAborted(options.signal, 'the fill');
      const ring = seamRing(holes[t]);
      if (ring.length === 0) continue;
      const est = estimateBackground(frames, seamExclusion, alignment, t, ring, ringAround(holes[t]));
      const apply = new Uint8Array(width * height);
      const hd = holes[t].data;
      const rem = remaining[t];
      for (let i = 0; i < apply.length; i++) if (hd[i] && !rem[i]) apply[i] = 1;
      seamSum += correctSeam({ frame: frames[t], filled: filled[t], hole: holes[t], ring, ringValues: est.values, ringCount: est.count, apply });
      seamFrames++;
    }
  }

  const left = remaining.map(countSet);
  const referenceFrames: number[] = [];
  let inpaintedPixels = 0;
  for (;;) {
    throwIfAborted(options.signal, 'the fill');
    // Reference: the frame with the most unseen pixels, so one invention serves as many frames as possible.
    let r = -1;
    for (let t = 0; t < left.length; t++) if (left[t] > 0 && (r < 0 || left[t] > left[r])) r = t;
    if (r < 0) break;
    referenceFrames.push(r);
    inpaintedPixels += spatialFill(filled[r], remaining[r], options.patchRadius ?? 4, notBackground[r]);
    remaining[r].fill(0);
    left[r] = 0;
    const blocked = carryBlocked(notBackground[r], holes[r]);
    for (let t = 0; t < filled.length; t++) {
      if (left[t] === 0 || alignment.segment[t] !== alignment.segment[r]) continue;
      left[t] -= copyThroughAlignment(filled[r], filled[t], remaining[t], alignment.between(t, r), blocked);
    }
  }

  // What changed per frame: the grown hole, and the relit shadow beside it.
  const changed = holes.map((h) => ({ width: h.width, height: h.height, data: Uint8Array.from(h.data) }));
  for (let t = 0; t < frames.length; t++) {
    const sh = shadows[t];
    if (!sh) continue;
    const d = filled[t].data;
    const r = sh.relit.data;
    for (let i = 0; i < sh.mask.length; i++) {
      if (!sh.mask[i]) continue;
      changed[t].data[i] = 255;
      d[3 * i] = r[3 * i];
      d[3 * i + 1] = r[3 * i + 1];
      d[3 * i + 2] = r[3 * i + 2];
    }
  }

  const out = frames.map((src, t) => compositeFill(src, filled[t], featherMask(changed[t], options.feather ?? 0)));
  let edgePixels = 0;
  for (const a of edges.added) edgePixels += a;
  return {
    frames: out,
    masks: changed,
    report: {
      workingWidth: size.width,
      workingHeight: size.height,
      propagatedPixels: prop.filledPixels,
      inpaintedPixels,
      referenceFrames,
      stillPairs: alignment.pairs.filter((p) => p.still).length,
      segments: alignment.segment.length ? alignment.segment[alignment.segment.length - 1] + 1 : 0,
      edgePixels,
      edgeWidest: edges.widest,
      seamCorrection: seamFrames ? seamSum / seamFrames : 0,
      shadowPixels,
      excludedPixels,
    },
  };
}

function orMasks(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (!a || !b) return a ?? b;
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] | b[i] ? 1 : 0;
  return out;
}

/** Pixels within `reach` of the hole and outside it (its bounding box only, so a large frame costs little). */
function nearHole(hole: GrayImage, reach: number): Int32Array {
  const { width: w, height: h } = hole;
  const box = setBox(hole.data, w, h, reach + 1);
  if (!box) return new Int32Array(0);
  const { width: bw, height: bh, data: crop } = cropToBox(hole.data, w, box);
  const grown = dilateDisk({ width: bw, height: bh, data: crop }, reach).data;
  const out: number[] = [];
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) if (grown[y * bw + x] && !crop[y * bw + x]) out.push((y + box.y0) * w + x + box.x0);
  return Int32Array.from(out);
}

function countSet(m: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < m.length; i++) n += m[i];
  return n;
}

/** What a reference frame may not pass on: its excluded pixels outside its (now filled) hole. */
function carryBlocked(excluded: Uint8Array | null, hole: GrayImage): Uint8Array | null {
  if (!excluded) return null;
  const out = new Uint8Array(excluded.length);
  const hd = hole.data;
  for (let i = 0; i < out.length; i++) if (excluded[i] && !hd[i]) out[i] = 1;
  return out;
}

/** Fills `todo` pixels of `dst` from the (fully known) reference frame via h (dst → ref), never from `blocked`; returns how many. */
function copyThroughAlignment(ref: RgbImage, dst: RgbImage, todo: Uint8Array, h: Float64Array, blocked: Uint8Array | null): number {
  const w = dst.width;
  let done = 0;
  for (let i = 0; i < todo.length; i++) {
    if (!todo[i]) continue;
    const x = i % w;
    const y = (i - x) / w;
    const z = h[6] * x + h[7] * y + h[8];
    const qx = (h[0] * x + h[1] * y + h[2]) / z;
    const qy = (h[3] * x + h[4] * y + h[5]) / z;
    if (!sampleRgb(ref.data, blocked, ref.width, ref.height, qx, qy, dst.data, 3 * i)) continue;
    todo[i] = 0;
    done++;
  }
  return done;
}
