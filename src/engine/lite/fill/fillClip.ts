import type { GrayImage, RgbImage } from '../types';
import { throwIfAborted } from '../../util/errors';
import { featherMask } from '../../image/feather';
import { alignClip } from './alignment';
import { compositeFill } from './composite';
import { propagateFromOtherFrames } from './propagate';
import { shrinkMask, shrinkRgb, workingSize } from './resample';
import { sampleRgb } from './sampleRgb';
import { spatialFill } from './spatialFill';

/**
 * Fills the masked region of a window of frames: align the frames (camera motion), copy the
 * background from frames where it is visible (temporal propagation), invent what no frame shows
 * once in one reference frame (exemplar inpainting) and carry that invention to the other frames
 * through the alignment so it holds still over time, then composite at source resolution with
 * only masked pixels replaced.
 */
export interface FillOptions {
  /** Long side of the working resolution (fill is computed there, composited at source size). */
  maxWorkingSide?: number;
  /** Source frames sampled per hole pixel during propagation (median of these). */
  maxCandidates?: number;
  /** Exemplar patch half-size at working resolution. */
  patchRadius?: number;
  /**
   * Composite edge feather, in source pixels, inside the mask (default 0). Only worth setting when
   * the mask was dilated beyond the object by more than this, or object pixels blend back in.
   */
  feather?: number;
  signal?: AbortSignal;
}

export interface FillReport {
  workingWidth: number;
  workingHeight: number;
  /** Hole pixels (working resolution, all frames) filled from other frames. */
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
}

export function fillClip(
  frames: RgbImage[],
  masks: GrayImage[],
  options: FillOptions = {},
): { frames: RgbImage[]; report: FillReport } {
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
  const size = workingSize(width, height, options.maxWorkingSide ?? 960);
  const work = frames.map((f) => shrinkRgb(f, size.width, size.height));
  const holes = masks.map((m) => shrinkMask(m, size.width, size.height));

  throwIfAborted(options.signal, 'the fill');
  const alignment = alignClip(work, holes);
  throwIfAborted(options.signal, 'the fill');
  const prop = propagateFromOtherFrames(work, holes, alignment, { maxCandidates: options.maxCandidates ?? 5 });
  const filled = prop.frames;
  const remaining = prop.remaining;
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
    inpaintedPixels += spatialFill(filled[r], remaining[r], options.patchRadius ?? 4);
    remaining[r].fill(0);
    left[r] = 0;
    for (let t = 0; t < filled.length; t++) {
      if (left[t] === 0 || alignment.segment[t] !== alignment.segment[r]) continue;
      left[t] -= copyThroughAlignment(filled[r], filled[t], remaining[t], alignment.between(t, r));
    }
  }

  const out = frames.map((src, t) => compositeFill(src, filled[t], featherMask(masks[t], options.feather ?? 0)));
  return {
    frames: out,
    report: {
      workingWidth: size.width,
      workingHeight: size.height,
      propagatedPixels: prop.filledPixels,
      inpaintedPixels,
      referenceFrames,
      stillPairs: alignment.pairs.filter((p) => p.still).length,
      segments: alignment.segment.length ? alignment.segment[alignment.segment.length - 1] + 1 : 0,
    },
  };
}

function countSet(m: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < m.length; i++) n += m[i];
  return n;
}

/** Fills `todo` pixels of `dst` from the (fully known) reference frame via h (dst → ref); returns how many. */
function copyThroughAlignment(ref: RgbImage, dst: RgbImage, todo: Uint8Array, h: Float64Array): number {
  const w = dst.width;
  let done = 0;
  for (let i = 0; i < todo.length; i++) {
    if (!todo[i]) continue;
    const x = i % w;
    const y = (i - x) / w;
    const z = h[6] * x + h[7] * y + h[8];
    const qx = (h[0] * x + h[1] * y + h[2]) / z;
    const qy = (h[3] * x + h[4] * y + h[5]) / z;
    if (!sampleRgb(ref.data, null, ref.width, ref.height, qx, qy, dst.data, 3 * i)) continue;
    todo[i] = 0;
    done++;
  }
  return done;
}
