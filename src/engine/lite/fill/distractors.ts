import type { Box, GrayImage, RgbImage } from '../types';
import { insertionSort } from '../../util/insertionSort';
import type { ClipAlignment } from './alignment';

/**
 * Distractors: pixels the fill must not copy as background although no mask covers them. Two
 * kinds: every other tracked object (the detector saw it: a second bird, a passer-by), and any
 * pixel that moves against the camera, found without a detector: frame s at p disagrees with both
 * its neighbours s−1 and s+1 at the same scene point (background stays put once the camera motion
 * is taken out; a thing that moves does not). The test runs on a grid a few pixels apart (the
 * alignment is global, so a coarse look suffices) and marks whole cells, grown by one.
 */

/**
 * Every box in `boxes` painted (1, rounded outward, grown by `pad` px) into a w x h mask, or null
 * when there is none. `into`: the mask's buffer (zeroed here first) instead of a new one.
 */
export function boxesMask(boxes: (Box | null)[], w: number, h: number, pad: number, into?: Uint8Array): Uint8Array | null {
  into?.fill(0);
  let out: Uint8Array | null = null;
  for (const b of boxes) {
    if (!b) continue;
    out ??= into ?? new Uint8Array(w * h);
    const x0 = Math.max(0, Math.floor(b.x - pad));
    const y0 = Math.max(0, Math.floor(b.y - pad));
    const x1 = Math.min(w, Math.ceil(b.x + b.width + pad));
    const y1 = Math.min(h, Math.ceil(b.y + b.height + pad));
    for (let y = y0; y < y1; y++) out.fill(1, y * w + x0, y * w + x1);
  }
  return out;
}

/** boxesMask as an image (null: no box). */
export function boxesImage(boxes: (Box | null)[], w: number, h: number, pad: number): GrayImage | null {
  const data = boxesMask(boxes, w, h, pad);
  return data && { width: w, height: h, data };
}

/** Frames either side a pixel is compared with. */
const REACH = 3;

/**
 * Per frame, 1 where the picture moves against the camera (at source resolution), or null for a
 * frame with nothing moving. A grid point of frame t is moving when it differs from the median of
 * the same scene point in the frames around it (up to REACH either side, aligned): a thing that
 * passes shows in a few of them, the background in most, so even the flat inside of a slow object
 * is caught, which comparing neighbours alone misses (it overlaps itself). Hole pixels are ignored
 * (they are excluded anyway).
 */
export function movingAgainstCamera(frames: RgbImage[], holes: GrayImage[], alignment: ClipAlignment): (Uint8Array | null)[] {
  return frames.map((_, t) => movingAgainstCameraAt(frames, holes, alignment, t));
}

/**
 * movingAgainstCamera for frame t alone; with `out`, the moving pixels are set to 1 in it (other
 * values left as they are: a frame's other exclusions take the moving ones on top) and `out` is
 * returned, or null when nothing moves.
 */
export function movingAgainstCameraAt(frames: RgbImage[], holes: GrayImage[], alignment: ClipAlignment, t: number, out?: Uint8Array): Uint8Array | null {
  const n = frames.length;
  if (n < 3) return null;
  const { width: w, height: h } = frames[0];
  const cell = Math.max(2, Math.round(Math.max(w, h) / 240));
  const gw = Math.ceil(w / cell);
  const gh = Math.ceil(h / cell);
  // Bytes, as the samples are: the sort shared with the fill's medians then sees one array type
  // (V8 compiles its element access for one kind instead of dispatching on two).
  const vals = [new Uint8Array(2 * REACH), new Uint8Array(2 * REACH), new Uint8Array(2 * REACH)];
  const a = frames[t].data;
  const maps: { m: Float64Array; d: Uint8Array; hole: Uint8Array }[] = [];
  for (let s = Math.max(0, t - REACH); s <= Math.min(n - 1, t + REACH); s++) {
    if (s !== t && alignment.segment[s] === alignment.segment[t]) maps.push({ m: alignment.between(t, s), d: frames[s].data, hole: holes[s].data });
  }
  // The samples are gathered one source frame at a time (each grid point's in the maps' order, as
  // a per-point loop takes them): a sweep over one frame's rows at a time instead of all six
  // frames' at once, which the cache follows (the per-point order took three times as long in a
  // real window as on one frame).
  const points = gw * gh;
  const slots = maps.length;
  const samples = new Uint8Array(points * slots * 3);
  const count = new Uint8Array(points);
  const ht = holes[t].data;
  for (const { m, d, hole } of maps) {
    for (let gy = 0, g = 0; gy < gh; gy++) {
      const y = Math.min(h - 1, gy * cell + (cell >> 1));
      for (let gx = 0; gx < gw; gx++, g++) {
        const x = Math.min(w - 1, gx * cell + (cell >> 1));
        if (ht[y * w + x]) continue;
        const z = m[6] * x + m[7] * y + m[8];
        const qx = Math.round((m[0] * x + m[1] * y + m[2]) / z);
        const qy = Math.round((m[3] * x + m[4] * y + m[5]) / z);
        if (qx < 0 || qy < 0 || qx >= w || qy >= h || hole[qy * w + qx]) continue;
        const q = 3 * (qy * w + qx);
        const o = (g * slots + count[g]++) * 3;
        samples[o] = d[q];
        samples[o + 1] = d[q + 1];
        samples[o + 2] = d[q + 2];
      }
    }
  }
  const diff = new Float32Array(points).fill(NaN);
  // The differences are exact in float32 (a byte less a byte or a half), so a typed array sorts them as numbers do.
  const seen = new Float32Array(points);
  let seenCount = 0;
  for (let gy = 0, g = 0; gy < gh; gy++) {
    const y = Math.min(h - 1, gy * cell + (cell >> 1));
    for (let gx = 0; gx < gw; gx++, g++) {
      const x = Math.min(w - 1, gx * cell + (cell >> 1));
      const k = count[g];
      if (k < 2) continue;
      // Colour, not luma: a red thing on a green field of the same brightness still differs.
      let v = 0;
      for (let c = 0; c < 3; c++) {
        let med: number;
        const o = g * slots * 3 + c;
        if (k === 6) {
          // Every frame around showed the point (nearly every point): a sorting network on locals.
          med = 0.5 * middlePairSumOf6(samples[o], samples[o + 3], samples[o + 6], samples[o + 9], samples[o + 12], samples[o + 15]);
        } else {
          // In place on the first k (at most 2·REACH): no subarray per point and channel, and no general sort.
          const sorted = vals[c];
          for (let j = 0, q = o; j < k; j++, q += 3) sorted[j] = samples[q];
          insertionSort(sorted, k);
          med = k & 1 ? sorted[k >> 1] : 0.5 * (sorted[(k >> 1) - 1] + sorted[k >> 1]);
        }
        v = Math.max(v, Math.abs(a[3 * (y * w + x) + c] - med));
      }
      diff[g] = v;
      seen[seenCount++] = v;
    }
  }
  if (seenCount === 0) return null;
  // The clip's own noise and alignment error: a high share of points differ by about this much.
  const threshold = Math.max(16, 6 * halfLevelRank(seen.subarray(0, seenCount), seenCount >> 1));
  const moving = new Uint8Array(gw * gh);
  let any = false;
  for (let c = 0; c < moving.length; c++) {
    if (diff[c] > threshold) {
      moving[c] = 1;
      any = true;
    }
  }
  if (!any) return null;
  out ??= new Uint8Array(w * h);
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      let on = false;
      for (let dy = -1; dy <= 1 && !on; dy++) for (let dx = -1; dx <= 1 && !on; dx++) {
        const yy = gy + dy;
        const xx = gx + dx;
        if (yy >= 0 && yy < gh && xx >= 0 && xx < gw && moving[yy * gw + xx]) on = true;
      }
      if (!on) continue;
      const y1 = Math.min(h, (gy + 1) * cell);
      const x0 = gx * cell;
      const x1 = Math.min(w, (gx + 1) * cell);
      for (let y = gy * cell; y < y1; y++) out.fill(1, y * w + x0, y * w + x1);
    }
  }
  return out;
}

/**
 * The sum of the two middle values (ranks 2 and 3) of six: twice their median. Bose and Nelson's
 * twelve compare-swaps (as min and max) on locals, for the moving-pixel check's six neighbours of a
 * grid point, where an insertion sort's unpredictable branches were most of the check's time.
 */
export function middlePairSumOf6(a: number, b: number, c: number, d: number, e: number, f: number): number {
  let t: number;
  t = b;
  b = t < c ? t : c;
  c = t < c ? c : t;
  t = a;
  a = t < c ? t : c;
  c = t < c ? c : t;
  t = a;
  a = t < b ? t : b;
  b = t < b ? b : t;
  t = e;
  e = t < f ? t : f;
  f = t < f ? f : t;
  t = d;
  d = t < f ? t : f;
  f = t < f ? f : t;
  t = d;
  d = t < e ? t : e;
  e = t < e ? e : t;
  t = a;
  a = t < d ? t : d;
  d = t < d ? d : t;
  t = b;
  b = t < e ? t : e;
  e = t < e ? e : t;
  t = c;
  c = t < f ? t : f;
  f = t < f ? f : t;
  t = c;
  c = t < e ? t : e;
  e = t < e ? e : t;
  t = b;
  b = t < d ? t : d;
  d = t < d ? d : t;
  t = c;
  c = t < d ? t : d;
  d = t < d ? d : t;
  return c + d;
}

/**
 * The value of rank `rank` (0-based, ascending) of `values`, each a whole or half level from 0 to
 * 255 (a byte less a byte's median): what sorting them and reading index `rank` gives, counted in
 * 511 bins instead of a sort of the frame's tens of thousands of grid points.
 */
export function halfLevelRank(values: Float32Array, rank: number): number {
  const bins = new Uint32Array(511);
  for (let i = 0; i < values.length; i++) bins[values[i] * 2]++;
  for (let b = 0, seenSoFar = 0; b < bins.length; b++) {
    seenSoFar += bins[b];
    if (seenSoFar > rank) return b / 2;
  }
  throw new Error(`halfLevelRank: rank ${rank} of ${values.length} values`);
}
