// From the mask head's soft output to the composite's alpha at source resolution:
//   1. temporal smoothing: each frame's soft mask becomes (prev + 2 cur + next) / 4, so a pixel
//      that the head is unsure about for one frame does not blink in and out (which shows as a
//      flash of the object, or of the fill);
//   2. upsampling to the source size (bilinear on the soft values, so edges follow the head's
//      contour instead of its 8x8 latent blocks), then the decision at 0.5;
//   3. the user's dilation (grow by N source pixels: shadows, motion blur, halos) and feathering
//      (soften the edge inside the dilated mask), the Lite engine's rules (image/). Feathering treats
//      the frame's edge as inside the mask (an object cut by the edge stays removed up to it).
// Outside the resulting alpha (0) the source pixels are copied bit-exact by compositeFill.
import type { Region } from '../../image/bilinear';
import { dilateDisk } from '../../image/diskDilation';
import { featherMask } from '../../image/feather';
import type { GrayImage } from '../../image/grayImage';
import { thresholdBilinear } from '../../image/thresholdBilinear';

/** The mask head's value above which a pixel is removed. */
export const MASK_THRESHOLD = 0.5;

/** Smooths soft masks over time with one frame of look-ahead; the clip's ends repeat their frame. */
export class TemporalMaskSmoother {
  private prev: Float32Array | undefined;
  private cur: Float32Array | undefined;

  /** Adds the next frame's mask; returns the smoothed mask of the frame before it (none for the first). */
  push(mask: Float32Array): Float32Array | undefined {
    const out = this.cur ? this.smooth(this.prev ?? this.cur, this.cur, mask) : undefined;
    this.prev = this.cur;
    this.cur = mask;
    return out;
  }

  /** The last frame's smoothed mask, at the end of the clip. */
  flush(): Float32Array | undefined {
    if (!this.cur) return undefined;
    const out = this.smooth(this.prev ?? this.cur, this.cur, this.cur);
    this.prev = this.cur = undefined;
    return out;
  }

  private smooth(a: Float32Array, b: Float32Array, c: Float32Array): Float32Array {
    const out = new Float32Array(b.length);
    for (let i = 0; i < b.length; i++) out[i] = 0.25 * a[i] + 0.5 * b[i] + 0.25 * c[i];
    return out;
  }
}

export interface MatteOptions {
  readonly dilate: number;
  readonly feather: number;
}

/** A rectangle in source pixels the matte must stay inside (a picked object's grown box). */
export interface MatteBound {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Zeroes `alpha` (width wide) outside the union of `bounds`, within `region`; returns the region
 * that still holds non-zero alpha (undefined when none). The bounds are how objects picked in a
 * Find preview limit LGVI's composite: it cannot change a pixel outside them.
 */
export function boundMatte(alpha: Uint8Array, width: number, height: number, region: Region, bounds: readonly MatteBound[]): Region | undefined {
  const rects = bounds.map((b) => ({
    x0: Math.max(0, Math.floor(b.x)),
    y0: Math.max(0, Math.floor(b.y)),
    x1: Math.min(width, Math.ceil(b.x + b.width)),
    y1: Math.min(height, Math.ceil(b.y + b.height)),
  }));
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = region.y; y < region.y + region.height; y++) {
    for (let x = region.x; x < region.x + region.width; x++) {
      const i = y * width + x;
      if (alpha[i] === 0) continue;
      if (!rects.some((r) => x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1)) {
        alpha[i] = 0;
        continue;
      }
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? undefined : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

export interface SourceMatte {
  /** Composite alpha at source size: 0 keeps the source byte for byte, 255 takes the fill. */
  readonly alpha: GrayImage;
  /** Fraction of the frame the head marked (after smoothing, before dilation). */
  readonly coverage: number;
  /** Where alpha may be non-zero (everything outside is 0); undefined when the matte is empty. */
  readonly region: Region | undefined;
}

/** The region-sized working buffers, reused from frame to frame (sourceMatte is synchronous). */
let buffers = { binary: new Uint8Array(0), grown: new Uint8Array(0) };
function regionBuffers(area: number): typeof buffers {
  if (buffers.binary.length < area) buffers = { binary: new Uint8Array(area), grown: new Uint8Array(area) };
  return buffers;
}

/** Bounding box of the mask values at or above the threshold, in mask pixels; undefined if none. */
function markedBox(mask: Float32Array, width: number, height: number): { x0: number; y0: number; x1: number; y1: number } | undefined {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (mask[y * width + x] < MASK_THRESHOLD) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? undefined : { x0, y0, x1, y1 };
}

/** [lo, hi) of source pixels whose bilinear taps may touch mask pixels [m0, m1], grown by `margin`, clamped. */
function sourceSpan(m0: number, m1: number, maskLen: number, len: number, margin: number): [number, number] {
  const scale = len / maskLen;
  // A source pixel reads mask pixels floor(u) and floor(u) + 1 with u = (x + 0.5) / scale - 0.5.
  const lo = Math.floor((m0 - 1 + 0.5) * scale - 0.5) - margin;
  const hi = Math.ceil((m1 + 1 + 0.5) * scale - 0.5) + 1 + margin;
  return [Math.max(0, lo), Math.min(len, hi)];
}

/**
 * The source-size alpha for one frame's (smoothed) soft mask. Only the part of the frame the mask
 * can reach (its marked box, plus dilation and feather) is resampled and processed: a bird in a
 * 4K frame costs the bird's area, not the frame's.
 */
export function sourceMatte(mask: Float32Array, maskWidth: number, maskHeight: number, width: number, height: number, options: MatteOptions): SourceMatte {
  const alpha = new Uint8Array(width * height);
  const box = markedBox(mask, maskWidth, maskHeight);
  if (!box) return { alpha: { width, height, data: alpha }, coverage: 0, region: undefined };
  // One more pixel than the dilation: a crop edge inside the frame then lies outside the grown
  // mask, so the feather's distances (to the nearest unmarked pixel) are the full frame's.
  const margin = Math.max(0, Math.floor(options.dilate)) + 1;
  const [x0, x1] = sourceSpan(box.x0, box.x1, maskWidth, width, margin);
  const [y0, y1] = sourceSpan(box.y0, box.y1, maskHeight, height, margin);
  const region: Region = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  const area = region.width * region.height;
  const buffers = regionBuffers(area);
  const marked = thresholdBilinear(mask, maskWidth, maskHeight, width, height, region, MASK_THRESHOLD, buffers.binary);
  const binary = { width: region.width, height: region.height, data: buffers.binary.subarray(0, area) };
  const grown = dilateDisk(binary, options.dilate, buffers.grown.subarray(0, area));
  const crop = featherMask(grown, options.feather, buffers.binary.subarray(0, area));
  for (let y = 0; y < region.height; y++) alpha.set(crop.data.subarray(y * region.width, (y + 1) * region.width), (y0 + y) * width + x0);
  return { alpha: { width, height, data: alpha }, coverage: marked / (width * height), region };
}
