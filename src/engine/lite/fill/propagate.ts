import quickselect from 'quickselect';
import { insertionSort } from '../../util/insertionSort';
import type { GrayImage, RgbImage } from '../types';
import type { ClipAlignment } from './alignment';
import { cropToBox, setBox, type Box } from './boxedMasks';
import { blockedNear } from './corners';
import { sampleRgb } from './sampleRgb';

/**
 * Temporal propagation: a hole pixel in frame t is filled with what the same scene point looks like
 * in other frames where it is not hidden, found through the camera alignment. Nearest frames come
 * first (least lighting change, least alignment drift) and the per-channel median of up to
 * `maxCandidates` samples rejects a sample spoiled by a shadow or a mistracked frame. On a
 * locked-off shot the samples are the very same background pixels, so the fill is exact.
 * Exposure drift (phones re-expose continuously) is matched per source frame: each channel is
 * scaled by the ratio of the hole's surroundings in the two frames, so a fill taken from a
 * brighter frame does not show as a brighter patch.
 */
export interface PropagationResult {
  /** Copies of the frames with every reachable hole pixel filled. */
  frames: RgbImage[];
  /** Per frame, 1 where no other frame showed the background (left for spatial inpainting). */
  remaining: Uint8Array[];
  filledPixels: number;
  remainingPixels: number;
}

export interface PropagationOptions {
  maxCandidates?: number;
  maxDistance?: number;
  /**
   * Per frame, pixels that may not be copied from besides the hole (other objects, pixels moving
   * against the camera: see distractors.ts). With `fallbackExclude`, a pixel no frame shows past
   * them is tried again with those instead (so a false alarm costs a sample, not a fill).
   */
  exclude?: (Uint8Array | null)[];
  fallbackExclude?: (Uint8Array | null)[];
}

/** Hole ∪ extra exclusions as one sampling mask per frame (non-zero = not background). */
export function samplingMasks(holes: GrayImage[], extra: (Uint8Array | null)[] | undefined): Uint8Array[] {
  return holes.map((h, t) => {
    const e = extra?.[t];
    if (!e) return h.data;
    const out = new Uint8Array(h.data.length);
    for (let i = 0; i < out.length; i++) out[i] = h.data[i] | e[i];
    return out;
  });
}

/**
 * The background other frames show at pixels `idx` of frame t: the per-channel median of up to
 * k samples, nearest frames first, each exposure-matched on `ring` (visible pixels around the hole;
 * given as a function, it is worked out only if a gain is measured: the seam's gains are mostly
 * propagation's, kept).
 * count[j] = 0 where no frame shows pixel j.
 */
export function estimateBackground(
  frames: RgbImage[],
  exclusion: Uint8Array[],
  alignment: ClipAlignment,
  t: number,
  idx: Int32Array,
  ring: Int32Array | (() => Int32Array),
  options: {
    maxCandidates?: number;
    maxDistance?: number;
    /**
     * Exposure gains per source frame, kept across calls that share `t`, `exclusion` and `ring`
     * (edge growth asks ring after ring): the gain depends on those only, so it is measured once.
     */
    gains?: Map<number, Float64Array | null>;
  } = {},
): { values: Uint8Array; count: Uint8Array } {
  const k = Math.max(1, options.maxCandidates ?? 5);
  const maxDistance = options.maxDistance ?? frames.length;
  const w = frames[t].width;
  const n = idx.length;
  const cand = new Uint8Array(n * k * 3);
  const count = new Uint8Array(n);
  // The pixels still open (positions into idx), each with its column and row, worked out once
  // rather than for every source frame it is tried in, and its run along its row.
  let open: OpenPixels = { live: new Int32Array(n), xs: new Int32Array(n), ys: new Int32Array(n), runs: new Int32Array(n) };
  for (let j = 0; j < n; j++) {
    const x = idx[j] % w;
    open.live[j] = j;
    open.xs[j] = x;
    open.ys[j] = (idx[j] - x) / w;
  }
  runEnds(idx, open.live, open.runs, w);
  let left = n;
  for (let d = 1; d <= maxDistance && left > 0; d++) {
    for (const s of [t - d, t + d]) {
      if (s < 0 || s >= frames.length || left === 0 || alignment.segment[s] !== alignment.segment[t]) continue;
      const hm = alignment.between(t, s);
      // Measured only once a sample is taken from s: far frames often give none (the pixels
      // still open are those hidden everywhere), and the gain costs a pass over the ring.
      const gainOf = (): Float64Array | null => {
        let gain = options.gains?.get(s);
        if (gain === undefined) {
          if (typeof ring === 'function') ring = ring();
          gain = exposureGain(frames[t], frames[s], exclusion[s], hm, ring);
          options.gains?.set(s, gain);
        }
        return gain;
      };
      left -= sampleFrom(frames[s], exclusion[s], hm, open, cand, count, k, gainOf);
      // Behind an object that stays put, a few pixels stay open through every frame of the window
      // while the rest fill from the nearest: the full ones are dropped from the list (and from
      // its runs) once they are a quarter of it, not passed over in every frame still to try.
      if (left < open.live.length * 0.75) open = stillOpen(open, idx, count, k, left, w);
    }
  }
  const values = new Uint8Array(n * 3);
  const vals = new Uint8Array(k);
  for (let j = 0; j < n; j++) {
    const c = count[j];
    if (c === 0) continue;
    if (c === 5) {
      // Nearly every pixel: read the five samples where they lie instead of copying them out first.
      for (let ch = 0, o = j * k * 3; ch < 3; ch++, o++) values[j * 3 + ch] = median5(cand[o], cand[o + 3], cand[o + 6], cand[o + 9], cand[o + 12]);
      continue;
    }
    for (let ch = 0; ch < 3; ch++) {
      for (let m = 0; m < c; m++) vals[m] = cand[(j * k + m) * 3 + ch];
      values[j * 3 + ch] = medianOf(vals, c);
    }
  }
  return { values, count };
}

/**
 * Indices of the set pixels of a mask, ascending. Counted and listed on the set pixels' bounding
 * box, row by row (a hole is a few percent of a frame, and two whole-frame scans per frame and
 * stage were most of this).
 */
export function setPixels(mask: GrayImage): Int32Array {
  const { width: w, data } = mask;
  const box = setBox(data, w, mask.height, 0);
  if (!box) return new Int32Array(0);
  let n = 0;
  for (let y = box.y0; y <= box.y1; y++) for (let i = y * w + box.x0, end = y * w + box.x1; i <= end; i++) if (data[i]) n++;
  const out = new Int32Array(n);
  n = 0;
  for (let y = box.y0; y <= box.y1; y++) for (let i = y * w + box.x0, end = y * w + box.x1; i <= end; i++) if (data[i]) out[n++] = i;
  return out;
}

export function propagateFromOtherFrames(
  frames: RgbImage[],
  holes: GrayImage[],
  alignment: ClipAlignment,
  options: PropagationOptions = {},
): PropagationResult {
  const strict = samplingMasks(holes, options.exclude);
  const loose = options.exclude && options.fallbackExclude ? samplingMasks(holes, options.fallbackExclude) : null;
  const out: RgbImage[] = [];
  const remaining: Uint8Array[] = [];
  let filledPixels = 0;
  let remainingPixels = 0;
  for (let t = 0; t < frames.length; t++) {
    const { width: w, height: h } = frames[t];
    const frame = { data: new Uint8Array(w * h * 3), rest: new Uint8Array(w * h) };
    const n = propagateFrame(frames, holes[t], t, strict, loose, alignment, options, frame);
    out.push({ width: w, height: h, data: frame.data });
    remaining.push(frame.rest);
    filledPixels += n.filled;
    remainingPixels += n.remaining;
  }
  return { frames: out, remaining, filledPixels, remainingPixels };
}

/**
 * One frame of propagateFromOtherFrames: frame t with its hole filled from the other frames goes
 * to `out.data` (RGB), and 1 to `out.rest` (zeroed) where no frame shows the background. `strict`
 * and `loose` are every frame's sampling masks (samplingMasks).
 */
export function propagateFrame(
  frames: RgbImage[],
  hole: GrayImage,
  t: number,
  strict: Uint8Array[],
  loose: Uint8Array[] | null,
  alignment: ClipAlignment,
  options: Pick<PropagationOptions, 'maxCandidates' | 'maxDistance'> & {
    /** Frame t's pixels that are not background (other objects, its cast shadow): left out of the exposure ring. */
    ringExclude?: Uint8Array;
    /** Where the exposure gains measured go (by source frame), as estimateBackground's option. */
    gains?: Map<number, Float64Array | null>;
  },
  out: { data: Uint8Array; rest: Uint8Array },
): { filled: number; remaining: number; box: Box | null } {
  const idx = setPixels(hole);
  const ring = idx.length > 0 ? visibleRing(hole, options.ringExclude) : new Int32Array(0);
  const est = estimateBackground(frames, strict, alignment, t, idx, ring, options);
  if (loose) {
    // Pixels only excluded frames showed: take them from those, rather than inventing them.
    const again = idx.filter((_, j) => est.count[j] === 0);
    if (again.length) {
      // Its own gains: they are measured against the loose exclusion (the map holds the strict one's).
      const { gains: _strict, ...looseOptions } = options;
      const more = estimateBackground(frames, loose, alignment, t, again, ring, looseOptions);
      for (let j = 0, a = 0; j < idx.length && a < again.length; j++) {
        if (idx[j] !== again[a]) continue;
        est.count[j] = more.count[a];
        est.values.set(more.values.subarray(3 * a, 3 * a + 3), 3 * j);
        a++;
      }
    }
  }
  const data = out.data;
  data.set(frames[t].data);
  const rest = out.rest;
  let filled = 0;
  let remaining = 0;
  for (let j = 0; j < idx.length; j++) {
    const p = idx[j];
    if (est.count[j] === 0) {
      rest[p] = 1;
      remaining++;
      continue;
    }
    filled++;
    data[p * 3] = est.values[j * 3];
    data[p * 3 + 1] = est.values[j * 3 + 1];
    data[p * 3 + 2] = est.values[j * 3 + 2];
  }
  return { filled, remaining, box: boxOf(idx, frames[t].width) };
}

/** The inclusive bounding box of pixels `idx` (ascending) of a w-wide frame; null when there are none. */
function boxOf(idx: Int32Array, w: number): Box | null {
  if (idx.length === 0) return null;
  let x0 = w;
  let x1 = -1;
  for (let j = 0; j < idx.length; j++) {
    const x = idx[j] % w;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
  }
  return { x0, y0: Math.floor(idx[0] / w), x1, y1: Math.floor(idx[idx.length - 1] / w) };
}

/**
 * ringAround(hole) without the pixels `exclude` marks: the exposure gain compares this frame's
 * background with another's, and a ring pixel under this frame's own cast shadow or another
 * object would pull the gain towards that darkness, darkening the whole fill.
 */
export function visibleRing(hole: GrayImage, exclude?: Uint8Array): Int32Array {
  const ring = ringAround(hole);
  return exclude ? ring.filter((p) => !exclude[p]) : ring;
}

/** Longest run sampleFrom tests as a whole: the box test stops paying once the mapped run spans many rows. */
const RUN = 32;

/**
 * Into runs[p], for each position p of `live` (ascending positions into idx), the end (exclusive)
 * of its run: the pixels from p on that follow it one by one along its row, at most RUN of them,
 * so runs[p] is p's run only where p starts one.
 */
function runEnds(idx: Int32Array, live: Int32Array, runs: Int32Array, w: number): void {
  const n = live.length;
  for (let p = 0; p < n; ) {
    let e = p + 1;
    while (e < n && e - p < RUN && idx[live[e]] === idx[live[e - 1]] + 1 && idx[live[e]] % w !== 0) e++;
    for (let m = p; m < e; m++) runs[m] = e;
    p = e;
  }
}

/** The pixels still open (per estimateBackground), of which there are `left`: those with fewer than k samples. */
interface OpenPixels {
  /** Positions into idx. */
  live: Int32Array;
  xs: Int32Array;
  ys: Int32Array;
  /** runEnds over live. */
  runs: Int32Array;
}

/** `open` without its full pixels, its runs formed again. */
function stillOpen(open: OpenPixels, idx: Int32Array, count: Uint8Array, k: number, left: number, w: number): OpenPixels {
  const out = { live: new Int32Array(left), xs: new Int32Array(left), ys: new Int32Array(left), runs: new Int32Array(left) };
  for (let p = 0, q = 0; p < open.live.length; p++) {
    const j = open.live[p];
    if (count[j] >= k) continue;
    out.live[q] = j;
    out.xs[q] = open.xs[p];
    out.ys[q] = open.ys[p];
    q++;
  }
  runEnds(idx, out.live, out.runs, w);
  return out;
}

/**
 * Whether every pixel x0..x1 of row y, mapped by h into src (w' x h', mask `hole`), lands where
 * sampleRgb refuses it: the pixels map onto the segment between the run's ends (a homography
 * keeps lines straight where z keeps its sign), so when the box around that segment, a pixel wider
 * each side than rounding can reach, lies inside the frame and wholly under the mask, each
 * pixel's 2x2 core touches the mask. False means "test them one by one", never "keep them".
 */
export function runMasked(h: Float64Array, x0: number, x1: number, y: number, hole: Uint8Array, sw: number, sh: number): boolean {
  const za = h[6] * x0 + h[7] * y + h[8];
  const zb = h[6] * x1 + h[7] * y + h[8];
  if (!(za > 0 && zb > 0)) return false;
  const ax = (h[0] * x0 + h[1] * y + h[2]) / za;
  const ay = (h[3] * x0 + h[4] * y + h[5]) / za;
  const bx = (h[0] * x1 + h[1] * y + h[2]) / zb;
  const by = (h[3] * x1 + h[4] * y + h[5]) / zb;
  const left = Math.floor(Math.min(ax, bx)) - 1;
  const right = Math.floor(Math.max(ax, bx)) + 1;
  const top = Math.floor(Math.min(ay, by)) - 1;
  const bottom = Math.floor(Math.max(ay, by)) + 1;
  if (!(left >= 0 && top >= 0 && right < sw && bottom < sh)) return false;
  for (let r = top; r <= bottom; r++) {
    const row = r * sw;
    for (let i = row + left; i <= row + right; i++) if (!hole[i]) return false;
  }
  return true;
}

/**
 * Adds one candidate from frame `src` to every listed pixel that still needs one and whose mapped
 * position has all four bilinear neighbours visible there, scaled by src's exposure gain (asked
 * for at the first sample). Returns how many pixels became full. A run (runEnds) that maps wholly
 * under src's mask is passed over at once: behind an object that stays put, most pixels are
 * hidden in the frames nearest theirs, and one box test settles a run of them.
 */
function sampleFrom(
  src: RgbImage,
  srcHole: Uint8Array,
  h: Float64Array,
  open: OpenPixels,
  cand: Uint8Array,
  count: Uint8Array,
  k: number,
  gainOf: () => Float64Array | null,
): number {
  const sw = src.width;
  const sh = src.height;
  const sd = src.data;
  const hd = srcHole;
  const { live, xs, ys, runs } = open;
  let completed = 0;
  let gain: Float64Array | null | undefined;
  for (let p = 0; p < live.length; ) {
    const end = runs[p];
    if (end - p >= 4) {
      const x = xs[p];
      if (runMasked(h, x, x + end - p - 1, ys[p], hd, sw, sh)) {
        p = end;
        continue;
      }
    }
    for (; p < end; p++) {
      const j = live[p];
      if (count[j] >= k) continue;
      const x = xs[p];
      const y = ys[p];
      const z = h[6] * x + h[7] * y + h[8];
      const qx = (h[0] * x + h[1] * y + h[2]) / z;
      const qy = (h[3] * x + h[4] * y + h[5]) / z;
      if (!(qx >= 0 && qy >= 0 && qx <= sw - 1 && qy <= sh - 1)) continue;
      const o = (j * k + count[j]) * 3;
      if (!sampleRgb(sd, hd, sw, sh, qx, qy, cand, o)) continue;
      if (gain === undefined) gain = gainOf();
      if (gain) {
        for (let ch = 0; ch < 3; ch++) {
          const v = Math.round(cand[o + ch] * gain[ch]);
          cand[o + ch] = v > 255 ? 255 : v;
        }
      }
      if (++count[j] === k) completed++;
    }
  }
  return completed;
}

/**
 * Median of the first n values (mean of the middle two, rounded up, when n is even); may reorder
 * them. Three and five values (the counts nearly every pixel has) go through the classic
 * selection networks (Devillard's opt_med3 / opt_med5: 3 and 7 compare-swaps), the rest through
 * an insertion sort: the same value either way, taken once per pixel and channel.
 */
export function medianOf(v: Uint8Array, n: number): number {
  if (n === 5) return median5(v[0], v[1], v[2], v[3], v[4]);
  if (n === 3) {
    const a = v[0];
    const b = v[1];
    const c = v[2];
    return a > b ? (b > c ? b : a > c ? c : a) : a > c ? a : b > c ? c : b;
  }
  if (n === 1) return v[0];
  insertionSort(v, n);
  return n & 1 ? v[n >> 1] : (v[(n >> 1) - 1] + v[n >> 1] + 1) >> 1;
}

/** The median of five values: opt_med5, keeping of each compare-swap only the side a later step reads. */
function median5(a: number, b: number, c: number, d: number, e: number): number {
  let t: number;
  if (a > b) {
    t = a;
    a = b;
    b = t;
  }
  if (d > e) {
    t = d;
    d = e;
    e = t;
  }
  if (a > d) d = a;
  if (b > e) b = e;
  if (b > c) {
    t = b;
    b = c;
    c = t;
  }
  if (c > d) c = d;
  return b > c ? b : c;
}

/**
 * Most pixels of ringAround. An exposure gain is a median of ratios over them, measured for every
 * pair of frames a stage samples (the fill's largest cost after sampling itself at 4000); a
 * thousand evenly spread ratios give the median to well under the 1% the gain ignores.
 */
export const RING_POINTS = 1000;

/**
 * Visible pixels 3 to 8 px from the hole (at most RING_POINTS of them, evenly thinned): where
 * exposure is compared. Not the hole's immediate border: an object's soft rim lies there, in this
 * frame only.
 */
export function ringAround(hole: GrayImage): Int32Array {
  // On the hole's bounding box (grown past the farthest reach): the same pixels, in the same
  // raster order, as whole-frame passes, without two frame-sized buffers per call.
  const { width: w, height: h, data } = hole;
  const box = setBox(data, w, h, 9);
  if (!box) return new Int32Array(0);
  const crop = cropToBox(data, w, box);
  const far = blockedNear(crop, 8);
  const near = blockedNear(crop, 2);
  const all: number[] = [];
  for (let y = 0, j = 0; y < crop.height; y++) {
    for (let x = 0; x < crop.width; x++, j++) if (far[j] && !near[j]) all.push((y + box.y0) * w + x + box.x0);
  }
  const step = Math.max(1, Math.ceil(all.length / RING_POINTS));
  const out = new Int32Array(Math.ceil(all.length / step));
  for (let j = 0; j < out.length; j++) out[j] = all[j * step];
  return out;
}

const px = new Uint8Array(3);

/**
 * Per-channel gain that maps frame `src`'s exposure onto frame `dst`'s: the median ratio over the
 * ring around dst's hole and the same scene points in src (a median, so a few ring pixels that
 * differ for another reason, a rim or a passer-by, do not tint the fill); null when it is within
 * 1% of 1 (nothing to correct, so exact copies stay exact) or too few points compare.
 */
function exposureGain(dst: RgbImage, src: RgbImage, srcHole: Uint8Array, h: Float64Array, ring: Int32Array): Float64Array | null {
  const w = dst.width;
  const ratios = [new Float32Array(ring.length), new Float32Array(ring.length), new Float32Array(ring.length)];
  let n = 0;
  for (let j = 0; j < ring.length; j++) {
    const i = ring[j];
    const x = i % w;
    const y = (i - x) / w;
    const z = h[6] * x + h[7] * y + h[8];
    if (!sampleRgb(src.data, srcHole, src.width, src.height, (h[0] * x + h[1] * y + h[2]) / z, (h[3] * x + h[4] * y + h[5]) / z, px, 0)) continue;
    for (let c = 0; c < 3; c++) ratios[c][n] = (dst.data[3 * i + c] + 1) / (px[c] + 1);
    n++;
  }
  if (n < 50) return null;
  const g = new Float64Array(3);
  for (let c = 0; c < 3; c++) {
    // The value a sort would put at the middle, selected (quickselect: thousands of frame pairs
    // a clip, each three medians of up to RING_POINTS ratios; a typed-array sort took 3x longer).
    const r = ratios[c].subarray(0, n);
    quickselect(r as unknown as number[], n >> 1); // typed as arrays, works on any indexable array
    g[c] = r[n >> 1];
  }
  if (Math.abs(g[0] - 1) < 0.01 && Math.abs(g[1] - 1) < 0.01 && Math.abs(g[2] - 1) < 0.01) return null;
  for (let c = 0; c < 3; c++) g[c] = Math.min(1.5, Math.max(0.67, g[c]));
  return g;
}
