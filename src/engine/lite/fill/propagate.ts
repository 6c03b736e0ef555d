import type { GrayImage, RgbImage } from '../types';
import type { ClipAlignment } from './alignment';
import { sampleRgb } from './sampleRgb';

/**
 * Temporal propagation: a hole pixel in frame t is filled with what the same scene point looks like
 * in other frames where it is not hidden, found through the camera alignment. Nearest frames come
 * first (least lighting change, least alignment drift) and the per-channel median of up to
 * `maxCandidates` samples rejects a sample spoiled by a shadow or a mistracked frame. On a
 * locked-off shot the samples are the very same background pixels, so the fill is exact.
 */
export interface PropagationResult {
  /** Copies of the frames with every reachable hole pixel filled. */
  frames: RgbImage[];
  /** Per frame, 1 where no other frame showed the background (left for spatial inpainting). */
  remaining: Uint8Array[];
  filledPixels: number;
  remainingPixels: number;
}

export function propagateFromOtherFrames(
  frames: RgbImage[],
  holes: GrayImage[],
  alignment: ClipAlignment,
  options: { maxCandidates?: number; maxDistance?: number } = {},
): PropagationResult {
  const k = Math.max(1, options.maxCandidates ?? 5);
  const maxDistance = options.maxDistance ?? frames.length;
  const out: RgbImage[] = [];
  const remaining: Uint8Array[] = [];
  let filledPixels = 0;
  let remainingPixels = 0;
  for (let t = 0; t < frames.length; t++) {
    const { width: w, height: h } = frames[t];
    const hole = holes[t].data;
    const pixels: number[] = [];
    for (let i = 0; i < w * h; i++) if (hole[i]) pixels.push(i);
    const idx = Int32Array.from(pixels);
    const n = idx.length;
    const cand = new Uint8Array(n * k * 3);
    const count = new Uint8Array(n);
    let open = n; // pixels still short of k candidates
    for (let d = 1; d <= maxDistance && open > 0; d++) {
      for (const s of [t - d, t + d]) {
        if (s < 0 || s >= frames.length || open === 0 || alignment.segment[s] !== alignment.segment[t]) continue;
        open -= sampleFrom(frames[s], holes[s], alignment.between(t, s), w, idx, cand, count, k);
      }
    }
    const data = Uint8Array.from(frames[t].data);
    const rest = new Uint8Array(w * h);
    const vals = new Uint8Array(k);
    for (let j = 0; j < n; j++) {
      const c = count[j];
      const p = idx[j];
      if (c === 0) {
        rest[p] = 1;
        remainingPixels++;
        continue;
      }
      filledPixels++;
      for (let ch = 0; ch < 3; ch++) {
        for (let m = 0; m < c; m++) vals[m] = cand[(j * k + m) * 3 + ch];
        data[p * 3 + ch] = medianOf(vals, c);
      }
    }
    out.push({ width: w, height: h, data });
    remaining.push(rest);
  }
  return { frames: out, remaining, filledPixels, remainingPixels };
}

/**
 * Adds one candidate from frame `src` to every listed pixel that still needs one and whose mapped
 * position has all four bilinear neighbours visible there. Returns how many pixels became full.
 */
function sampleFrom(
  src: RgbImage,
  srcHole: GrayImage,
  h: Float64Array,
  w: number,
  idx: Int32Array,
  cand: Uint8Array,
  count: Uint8Array,
  k: number,
): number {
  const sw = src.width;
  const sh = src.height;
  const sd = src.data;
  const hd = srcHole.data;
  let completed = 0;
  for (let j = 0; j < idx.length; j++) {
    if (count[j] >= k) continue;
    const x = idx[j] % w;
    const y = (idx[j] - x) / w;
    const z = h[6] * x + h[7] * y + h[8];
    const qx = (h[0] * x + h[1] * y + h[2]) / z;
    const qy = (h[3] * x + h[4] * y + h[5]) / z;
    if (!(qx >= 0 && qy >= 0 && qx <= sw - 1 && qy <= sh - 1)) continue;
    const o = (j * k + count[j]) * 3;
    if (!sampleRgb(sd, hd, sw, sh, qx, qy, cand, o)) continue;
    if (++count[j] === k) completed++;
  }
  return completed;
}

/** Median of the first n values (mean of the middle two when n is even); sorts them in place. */
function medianOf(v: Uint8Array, n: number): number {
  for (let i = 1; i < n; i++) {
    const x = v[i];
    let j = i - 1;
    while (j >= 0 && v[j] > x) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
  return n & 1 ? v[n >> 1] : (v[(n >> 1) - 1] + v[n >> 1] + 1) >> 1;
}
