import { insertionSort } from '../../util/insertionSort';
import type { Box, GrayImage, RgbImage } from '../types';
import type { ClipAlignment } from '../fill/alignment';
import { boxBounds } from './rasterizeBox';

/**
 * Which pixels around an object's box are the object: those that differ from the background the
 * other frames show at the same scene point (after camera alignment). Two corrections to a
 * detector's box come from this:
 *  - inside the box, background (sky between a bird's wings) is kept: removing only what differs
 *    keeps more real picture and leaves less to invent;
 *  - outside the box, the object's thin parts that the detector cut off (a bird's tail, an
 *    antenna, a raised hand) are added, by growing from the object into connected pixels that
 *    clearly differ from the background, within a margin around the box and with a cap on the
 *    area added, so that a misaligned background never floods the mask.
 * Inside the box the evidence is only trusted when it is clear: enough frames saw the background
 * there, and the object neither fills the whole box (it never moved: no evidence) nor almost none
 * of it (it matches the background: no contrast).
 */
export interface EvidenceOptions {
  /** Other frames sampled for the background median. */
  samples?: number;
  /** Max per-channel difference (0..255) still counted as background. */
  threshold?: number;
  /** How far beyond the box the object may extend, as a share of the box's longer side (default 0.5; 0 = never). */
  reach?: number;
  /** Most area the growth may add, as a share of the object's area inside the box (default 0.5). */
  maxGrowth?: number;
}

/** A foreground mask over a rectangle of the frame (1 = object), row-major. */
export interface ForegroundRegion {
  x0: number;
  y0: number;
  width: number;
  height: number;
  fg: Uint8Array;
}

/**
 * Outside the box a pixel joins the object only when its difference stands out from how much the
 * background samples themselves disagree there (edges of fine texture under a slightly wrong
 * alignment disagree a lot): difference > SPREAD_FACTOR x their robust spread.
 */
const SPREAD_FACTOR = 3;
/**
 * Outside the box a pixel must also differ by this multiple of the in-box threshold: the thin parts
 * worth chasing are contrasty (a dark tail on a bright blind), while faint differences there are
 * mostly texture edges the alignment left a pixel off, which would grow the mask along them.
 */
const GROWTH_CONTRAST = 1.5;
/** Largest gap (share of the box's longer side, at least 3 px) across which growth still connects. */
const BRIDGE = 0.05;

/**
 * Returns the object's pixels in and around the box (the whole box where the evidence inside it is
 * unclear), or null when too few frames can show the background (the caller keeps the box).
 * `occupied[s]` marks pixels of frame s that are not background (every object's box there), so
 * they never vote.
 */
export function foregroundInBox(
  frames: RgbImage[],
  occupied: GrayImage[],
  alignment: ClipAlignment,
  f: number,
  box: Box,
  options: EvidenceOptions = {},
): ForegroundRegion | null {
  const { width: w, height: h } = frames[f];
  const b = boxBounds(box, w, h);
  if (b.x1 - b.x0 < 2 || b.y1 - b.y0 < 2) return null;
  const threshold = options.threshold ?? 30;
  const sources = backgroundSources(frames.length, alignment, f, options.samples ?? 9);
  if (sources.length < 3) return null;
  const margin = Math.round((options.reach ?? 0.5) * Math.max(b.x1 - b.x0, b.y1 - b.y0));
  const x0 = Math.max(0, b.x0 - margin);
  const y0 = Math.max(0, b.y0 - margin);
  const rw = Math.min(w, b.x1 + margin) - x0;
  const rh = Math.min(h, b.y1 + margin) - y0;
  const { diff, spreadAt, known } = compareWithBackground(frames, occupied, alignment, f, sources, { x0, y0, width: rw, height: rh });

  const n = rw * rh;
  const fg = new Uint8Array(n);
  const inBox = (j: number) => {
    const x = x0 + (j % rw);
    const y = y0 + Math.floor(j / rw);
    return x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1;
  };
  let boxArea = 0;
  let boxKnown = 0;
  let boxFg = 0;
  for (let j = 0; j < n; j++) {
    if (!inBox(j)) continue;
    boxArea++;
    if (!known[j]) {
      fg[j] = 1; // no background seen: assume object (removing too much is the safe error)
      boxFg++;
      continue;
    }
    boxKnown++;
    if (diff[j] > threshold) {
      fg[j] = 1;
      boxFg++;
    }
  }
  // Inside the box the evidence is only trusted when it is clear; otherwise the whole box goes, and
  // the object's parts outside it are still looked for.
  const share = boxFg / boxArea;
  if (boxKnown < 0.7 * boxArea || share < 0.05 || share > 0.95) {
    for (let j = 0; j < n; j++) fg[j] = inBox(j) ? 1 : 0;
    boxFg = boxArea;
  } else {
    fillEnclosed(fg, rw, b.x0 - x0, b.y0 - y0, b.x1 - x0, b.y1 - y0);
  }
  if (margin > 0) {
    const candidate = new Uint8Array(n);
    for (let j = 0; j < n; j++) {
      if (!inBox(j) && known[j] && diff[j] > GROWTH_CONTRAST * threshold && diff[j] > SPREAD_FACTOR * spreadAt(j)) candidate[j] = 1;
    }
    const bridge = Math.max(3, Math.round(BRIDGE * Math.max(b.x1 - b.x0, b.y1 - b.y0)));
    growInto(fg, candidate, rw, rh, Math.round((options.maxGrowth ?? 0.5) * boxFg), bridge);
  }
  return { x0, y0, width: rw, height: rh, fg };
}

/** Frames spread over the segment (distant frames are where a slow object has moved away). */
function backgroundSources(count: number, alignment: ClipAlignment, f: number, samples: number): number[] {
  const want = Math.min(count - 1, samples);
  const sources: number[] = [];
  if (want < 3) return sources;
  for (let k = 0; k < want; k++) {
    const s = Math.round((k * (count - 1)) / Math.max(1, want - 1));
    if (s !== f && !sources.includes(s) && alignment.segment[s] === alignment.segment[f]) sources.push(s);
  }
  return sources;
}

/**
 * Per pixel of the rectangle: the largest per-channel difference between frame f and the median of
 * the background samples, whether at least three samples were seen, and (asked per pixel) the
 * samples' robust spread (1.4826 x median absolute deviation, largest channel). The spread is
 * only read where a pixel outside the box differs clearly, a few percent of the region, so it is
 * worked out there from the samples kept, not for every pixel with the medians.
 */
function compareWithBackground(
  frames: RgbImage[],
  occupied: GrayImage[],
  alignment: ClipAlignment,
  f: number,
  sources: number[],
  rect: { x0: number; y0: number; width: number; height: number },
): { diff: Float32Array; spreadAt: (j: number) => number; known: Uint8Array } {
  const { width: w, height: h } = frames[f];
  const { x0, y0, width: rw, height: rh } = rect;
  const n = rw * rh;
  const k = sources.length;
  const samples = new Uint8Array(n * k * 3);
  const count = new Uint8Array(n);
  for (const s of sources) {
    const hm = alignment.between(f, s);
    const sd = frames[s].data;
    const occ = occupied[s].data;
    for (let v = 0; v < rh; v++) {
      const y = y0 + v;
      for (let u = 0; u < rw; u++) {
        const x = x0 + u;
        const z = hm[6] * x + hm[7] * y + hm[8];
        const qx = Math.round((hm[0] * x + hm[1] * y + hm[2]) / z);
        const qy = Math.round((hm[3] * x + hm[4] * y + hm[5]) / z);
        if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
        const q = qy * w + qx;
        if (occ[q]) continue;
        const j = v * rw + u;
        const o = (j * k + count[j]) * 3;
        samples[o] = sd[3 * q];
        samples[o + 1] = sd[3 * q + 1];
        samples[o + 2] = sd[3 * q + 2];
        count[j]++;
      }
    }
  }
  const diff = new Float32Array(n);
  const known = new Uint8Array(n);
  const medians = new Uint8Array(n * 3);
  const fd = frames[f].data;
  // Samples and their deviations are whole levels (bytes), so their medians are too: the same
  // figures as in floats, without float sorts (this loop was most of the evidence stage).
  const vals = new Uint8Array(k);
  const dev = new Uint8Array(k);
  const channel = (j: number, ch: number, c: number) => {
    for (let m = 0; m < c; m++) vals[m] = samples[(j * k + m) * 3 + ch];
  };
  for (let j = 0; j < n; j++) {
    const c = count[j];
    if (c < 3) continue;
    known[j] = 1;
    const p = (y0 + Math.floor(j / rw)) * w + x0 + (j % rw);
    let most = 0;
    for (let ch = 0; ch < 3; ch++) {
      channel(j, ch, c);
      const med = upperMedian(vals, c);
      medians[3 * j + ch] = med;
      const d = Math.abs(fd[3 * p + ch] - med);
      if (d > most) most = d;
    }
    diff[j] = most;
  }
  const spreadAt = (j: number): number => {
    const c = count[j];
    if (c < 3) return 0;
    let widest = 0;
    for (let ch = 0; ch < 3; ch++) {
      channel(j, ch, c);
      const med = medians[3 * j + ch];
      for (let m = 0; m < c; m++) dev[m] = Math.abs(vals[m] - med);
      const mad = upperMedian(dev, c);
      if (mad > widest) widest = mad;
    }
    // As a Float32Array held it when every pixel's spread was kept: the comparisons see the same value.
    return Math.fround(1.4826 * widest);
  };
  return { diff, spreadAt, known };
}

/**
 * The upper median of the first n values (the middle one of an odd count): may reorder them.
 * Nine values (the usual count: one sample from each source frame) go through a selection
 * network of 19 compare-swaps on locals, the rest through an insertion sort.
 */
export function upperMedian(v: Uint8Array, n: number): number {
  if (n !== 9) {
    insertionSort(v, n);
    return v[n >> 1];
  }
  let p0 = v[0];
  let p1 = v[1];
  let p2 = v[2];
  let p3 = v[3];
  let p4 = v[4];
  let p5 = v[5];
  let p6 = v[6];
  let p7 = v[7];
  let p8 = v[8];
  let t: number;
  // Paeth's median-of-9 network (as in Devillard's opt_med9): after it, p4 is the median.
  if (p1 > p2) { t = p1; p1 = p2; p2 = t; }
  if (p4 > p5) { t = p4; p4 = p5; p5 = t; }
  if (p7 > p8) { t = p7; p7 = p8; p8 = t; }
  if (p0 > p1) { t = p0; p0 = p1; p1 = t; }
  if (p3 > p4) { t = p3; p3 = p4; p4 = t; }
  if (p6 > p7) { t = p6; p6 = p7; p7 = t; }
  if (p1 > p2) { t = p1; p1 = p2; p2 = t; }
  if (p4 > p5) { t = p4; p4 = p5; p5 = t; }
  if (p7 > p8) { t = p7; p7 = p8; p8 = t; }
  if (p0 > p3) p3 = p0;
  if (p5 > p8) p5 = p8;
  if (p4 > p7) { t = p4; p4 = p7; p7 = t; }
  if (p3 > p6) p6 = p3;
  if (p1 > p4) p4 = p1;
  if (p2 > p5) p2 = p5;
  if (p4 > p7) p4 = p7;
  if (p4 > p2) { t = p4; p4 = p2; p2 = t; }
  if (p6 > p4) p4 = p6;
  if (p4 > p2) p4 = p2;
  return p4;
}

/**
 * Sets the background pixels inside the box [bx0, bx1) x [by0, by1) that no path of background
 * pixels connects to the box's edge: holes in the object (a dark bird over a dark slat gap).
 */
function fillEnclosed(fg: Uint8Array, rw: number, bx0: number, by0: number, bx1: number, by1: number): void {
  const reached = new Uint8Array(fg.length);
  const stack: number[] = [];
  const push = (x: number, y: number) => {
    const j = y * rw + x;
    if (!fg[j] && !reached[j]) {
      reached[j] = 1;
      stack.push(j);
    }
  };
  for (let x = bx0; x < bx1; x++) {
    push(x, by0);
    push(x, by1 - 1);
  }
  for (let y = by0; y < by1; y++) {
    push(bx0, y);
    push(bx1 - 1, y);
  }
  while (stack.length) {
    const j = stack.pop()!;
    const x = j % rw;
    const y = (j - x) / rw;
    if (x > bx0) push(x - 1, y);
    if (x < bx1 - 1) push(x + 1, y);
    if (y > by0) push(x, y - 1);
    if (y < by1 - 1) push(x, y + 1);
  }
  for (let y = by0; y < by1; y++) for (let x = bx0; x < bx1; x++) if (!reached[y * rw + x]) fg[y * rw + x] = 1;
}

/**
 * Adds to `fg` the candidate pixels connected to it through candidates, where a gap of up to
 * `bridge` pixels still connects: a thin part crossing background of its own colour (a dark tail
 * over a dark slat gap) shows as a dotted line of differences, not an unbroken one. When the
 * growth would add more than `cap` pixels it is abandoned: such a spread is background the
 * alignment could not explain, not a thin part of the object.
 */
function growInto(fg: Uint8Array, candidate: Uint8Array, rw: number, rh: number, cap: number, bridge: number): void {
  const added: number[] = [];
  const stack: number[] = [];
  for (let j = 0; j < fg.length; j++) if (fg[j]) stack.push(j);
  const seen = Uint8Array.from(fg);
  while (stack.length) {
    const j = stack.pop()!;
    const x = j % rw;
    const y = (j - x) / rw;
    for (let dy = -bridge; dy <= bridge; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= rh) continue;
      for (let dx = -bridge; dx <= bridge; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= rw) continue;
        const q = yy * rw + xx;
        if (seen[q] || !candidate[q]) continue;
        seen[q] = 1;
        added.push(q);
        if (added.length > cap) return;
        stack.push(q);
      }
    }
  }
  for (const q of added) fg[q] = 1;
}
