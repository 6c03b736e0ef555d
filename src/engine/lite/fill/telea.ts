import type { RgbImage } from '../types';

/**
 * Telea's inpainting (A. Telea, "An image inpainting technique based on the fast marching method",
 * J. Graphics Tools 9(1), 2004), written from the paper. The fast marching method visits hole
 * pixels in order of their distance T from the hole's edge; each is set to a weighted average of
 * the known pixels within `radius`, each extrapolated by its gradient, weighted by direction
 * (alignment with the normal ∇T), distance and level-set proximity. It is the per-frame spatial
 * baseline of the quality benchmark: smooth and fast, but it smears texture and flickers in video.
 */

const KNOWN = 0;
const BAND = 1;
const INSIDE = 2;

/** Fills `hole` (1 = fill) in `img` in place. */
export function teleaInpaint(img: RgbImage, hole: Uint8Array, radius = 5): void {
  const { width: w, height: h, data } = img;
  const flag = new Uint8Array(w * h);
  const T = new Float32Array(w * h);
  const heap = new MinHeap(w * h);
  for (let i = 0; i < w * h; i++) {
    if (hole[i]) {
      flag[i] = INSIDE;
      T[i] = 1e6;
    }
  }
  // The narrow band starts as the known pixels touching the hole, at T = 0.
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (flag[i] !== KNOWN) continue;
      if (
        (x > 0 && flag[i - 1] === INSIDE) ||
        (x < w - 1 && flag[i + 1] === INSIDE) ||
        (y > 0 && flag[i - w] === INSIDE) ||
        (y < h - 1 && flag[i + w] === INSIDE)
      ) {
        flag[i] = BAND;
        heap.push(i, 0);
      }
    }
  }
  const nbr = [-1, 1, -w, w];
  while (heap.size > 0) {
    const i = heap.pop();
    if (flag[i] === KNOWN) continue;
    flag[i] = KNOWN;
    const x = i % w;
    const y = (i - x) / w;
    for (let k = 0; k < 4; k++) {
      const nx = x + (k === 0 ? -1 : k === 1 ? 1 : 0);
      const ny = y + (k === 2 ? -1 : k === 3 ? 1 : 0);
      if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
      const j = i + nbr[k];
      if (flag[j] !== INSIDE) continue;
      T[j] = Math.min(
        solve(nx - 1, ny, nx, ny - 1, w, h, flag, T),
        solve(nx + 1, ny, nx, ny - 1, w, h, flag, T),
        solve(nx - 1, ny, nx, ny + 1, w, h, flag, T),
        solve(nx + 1, ny, nx, ny + 1, w, h, flag, T),
      );
      inpaintPixel(nx, ny, w, h, radius, flag, T, data);
      flag[j] = BAND;
      heap.push(j, T[j]);
    }
  }
}

/** The paper's eikonal update from two adjacent neighbours (one along x, one along y). */
function solve(x1: number, y1: number, x2: number, y2: number, w: number, h: number, flag: Uint8Array, T: Float32Array): number {
  const in1 = x1 >= 0 && y1 >= 0 && x1 < w && y1 < h && flag[y1 * w + x1] !== INSIDE;
  const in2 = x2 >= 0 && y2 >= 0 && x2 < w && y2 < h && flag[y2 * w + x2] !== INSIDE;
  const t1 = in1 ? T[y1 * w + x1] : 1e6;
  const t2 = in2 ? T[y2 * w + x2] : 1e6;
  if (in1 && in2) {
    const r = Math.sqrt(2 - (t1 - t2) * (t1 - t2));
    let s = (t1 + t2 - r) / 2;
    if (s >= t1 && s >= t2) return s;
    s += r;
    if (s >= t1 && s >= t2) return s;
    return 1e6;
  }
  if (in1) return 1 + t1;
  if (in2) return 1 + t2;
  return 1e6;
}

function inpaintPixel(
  x: number,
  y: number,
  w: number,
  h: number,
  radius: number,
  flag: Uint8Array,
  T: Float32Array,
  data: Uint8Array,
): void {
  const i = y * w + x;
  const gT = gradientOf(T, x, y, w, h, flag);
  const gTx = gT[0];
  const gTy = gT[1];
  let ws = 0;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  // Range of the known values in the window: the extrapolated average is clamped into it, because
  // the first-order term, fed by pixels that were themselves filled, otherwise overshoots into
  // black/white streaks across textured holes.
  let lo0 = 255;
  let lo1 = 255;
  let lo2 = 255;
  let hi0 = 0;
  let hi1 = 0;
  let hi2 = 0;
  const r2 = radius * radius;
  for (let yy = Math.max(0, y - radius); yy <= Math.min(h - 1, y + radius); yy++) {
    for (let xx = Math.max(0, x - radius); xx <= Math.min(w - 1, x + radius); xx++) {
      const j = yy * w + xx;
      if (flag[j] === INSIDE || j === i) continue;
      const rx = x - xx;
      const ry = y - yy;
      const d2 = rx * rx + ry * ry;
      if (d2 > r2) continue;
      const len = Math.sqrt(d2);
      let dir = Math.abs(rx * gTx + ry * gTy) / len;
      if (dir < 1e-6) dir = 1e-6;
      const dst = 1 / d2;
      const lev = 1 / (1 + Math.abs(T[j] - T[i]));
      const wt = dir * dst * lev;
      const j3 = 3 * j;
      if (data[j3] < lo0) lo0 = data[j3];
      if (data[j3] > hi0) hi0 = data[j3];
      if (data[j3 + 1] < lo1) lo1 = data[j3 + 1];
      if (data[j3 + 1] > hi1) hi1 = data[j3 + 1];
      if (data[j3 + 2] < lo2) lo2 = data[j3 + 2];
      if (data[j3 + 2] > hi2) hi2 = data[j3 + 2];
      // First-order extrapolation from the known pixel: I(q) + ∇I(q) · (p - q).
      for (let ch = 0; ch < 3; ch++) {
        const gx = channelGradient(data, xx, yy, w, h, flag, ch, true);
        const gy = channelGradient(data, xx, yy, w, h, flag, ch, false);
        const v = data[3 * j + ch] + gx * rx + gy * ry;
        if (ch === 0) s0 += wt * v;
        else if (ch === 1) s1 += wt * v;
        else s2 += wt * v;
      }
      ws += wt;
    }
  }
  if (ws <= 0) return;
  data[3 * i] = clampByte(Math.min(hi0, Math.max(lo0, s0 / ws)));
  data[3 * i + 1] = clampByte(Math.min(hi1, Math.max(lo1, s1 / ws)));
  data[3 * i + 2] = clampByte(Math.min(hi2, Math.max(lo2, s2 / ws)));
}

const gradScratch = new Float64Array(2);

/** ∇T at (x, y) from neighbours that already have a distance (central difference when both sides do). */
function gradientOf(T: Float32Array, x: number, y: number, w: number, h: number, flag: Uint8Array): Float64Array {
  const i = y * w + x;
  const okL = x > 0 && flag[i - 1] !== INSIDE;
  const okR = x < w - 1 && flag[i + 1] !== INSIDE;
  const okU = y > 0 && flag[i - w] !== INSIDE;
  const okD = y < h - 1 && flag[i + w] !== INSIDE;
  gradScratch[0] = okL && okR ? (T[i + 1] - T[i - 1]) / 2 : okR ? T[i + 1] - T[i] : okL ? T[i] - T[i - 1] : 0;
  gradScratch[1] = okU && okD ? (T[i + w] - T[i - w]) / 2 : okD ? T[i + w] - T[i] : okU ? T[i] - T[i - w] : 0;
  return gradScratch;
}

function channelGradient(
  data: Uint8Array,
  x: number,
  y: number,
  w: number,
  h: number,
  flag: Uint8Array,
  ch: number,
  alongX: boolean,
): number {
  const i = y * w + x;
  const step = alongX ? 1 : w;
  // Only finalised (KNOWN) neighbours: differencing against pixels still in the band, themselves
  // extrapolated, feeds extrapolation back into itself and overshoots into streaks.
  const hasPrev = alongX ? x > 0 && flag[i - 1] === KNOWN : y > 0 && flag[i - w] === KNOWN;
  const hasNext = alongX ? x < w - 1 && flag[i + 1] === KNOWN : y < h - 1 && flag[i + w] === KNOWN;
  if (hasPrev && hasNext) return (data[3 * (i + step) + ch] - data[3 * (i - step) + ch]) / 2;
  if (hasNext) return data[3 * (i + step) + ch] - data[3 * i + ch];
  if (hasPrev) return data[3 * i + ch] - data[3 * (i - step) + ch];
  return 0;
}

function clampByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}

/** Binary min-heap of pixel indices keyed by T (stale entries are skipped by the caller). */
class MinHeap {
  private idx: Int32Array;
  private key: Float32Array;
  size = 0;
  constructor(capacity: number) {
    this.idx = new Int32Array(capacity * 2 + 16);
    this.key = new Float32Array(capacity * 2 + 16);
  }
  push(i: number, k: number): void {
    let n = this.size++;
    while (n > 0) {
      const p = (n - 1) >> 1;
      if (this.key[p] <= k) break;
      this.idx[n] = this.idx[p];
      this.key[n] = this.key[p];
      n = p;
    }
    this.idx[n] = i;
    this.key[n] = k;
  }
  pop(): number {
    const top = this.idx[0];
    const lastI = this.idx[--this.size];
    const lastK = this.key[this.size];
    let n = 0;
    for (;;) {
      let c = 2 * n + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && this.key[c + 1] < this.key[c]) c++;
      if (this.key[c] >= lastK) break;
      this.idx[n] = this.idx[c];
      this.key[n] = this.key[c];
      n = c;
    }
    this.idx[n] = lastI;
    this.key[n] = lastK;
    return top;
  }
}
