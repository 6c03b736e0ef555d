import type { GrayImage, RgbImage } from '../types';
import { outerRing } from './edgeGrowth';
import { setBox } from './boxedMasks';

/**
 * Seamless fill: background copied from other frames can differ from the current frame in light
 * and in slow changes of the scene itself (clouds drifting, water), which shows as a patch of
 * slightly different brightness. The difference current − copied is measured on the ring just
 * outside the hole (where both are known) and carried smoothly into the hole as the membrane
 * (harmonic) interpolant of those border values: the low-frequency half of Poisson blending, with
 * the copied pixels keeping their own detail. It is solved on a grid of cells a few pixels wide,
 * so its cost is the hole's outline, not its area at full resolution. The border values are taken
 * from each frame's own pixels, so where the scene is stable the correction is too: it does not
 * flicker from frame to frame.
 */
export interface SeamInput {
  frame: RgbImage;
  /** The fill (frame pixels outside the hole, copied background inside). */
  filled: RgbImage;
  hole: GrayImage;
  /** Background estimate on `ring` pixels (3 bytes each) and whether each has one. */
  ring: Int32Array;
  ringValues: Uint8Array;
  ringCount: Uint8Array;
  /**
   * Hole pixels the correction leaves alone (non-zero): those no frame showed, whose invented fill
   * matches its border by itself. The rest of the hole (the copied pixels) is corrected.
   */
  skip: Uint8Array;
}

/** Largest border difference taken at face value (a missed rim pixel should not drag the fill). */
const MAX_RESIDUAL = 40;
/** Border differences up to this (8-bit levels) are taken as noise. */
const SHRINK = 0.75;

/** Pixels just outside the hole on which the seam is measured. */
export function seamRing(hole: GrayImage): Int32Array {
  const box = setBox(hole.data, hole.width, hole.height, 2);
  return box ? outerRing(hole.data, hole.width, hole.height, box) : new Int32Array(0);
}

/** Applies the correction to `filled` in place; returns the mean |correction| per corrected pixel and channel. */
export function correctSeam(s: SeamInput): number {
  const { width: w, height: h } = s.frame;
  const box = setBox(s.hole.data, w, h, 2);
  if (!box || s.ring.length === 0) return 0;
  const cell = Math.max(1, Math.round(Math.max(w, h) / 320));
  const gx0 = Math.floor(box.x0 / cell);
  const gy0 = Math.floor(box.y0 / cell);
  const gw = Math.floor(box.x1 / cell) - gx0 + 1;
  const gh = Math.floor(box.y1 / cell) - gy0 + 1;
  const n = gw * gh;
  // Per cell: known (ring mean), unknown (holds hole pixels), or outside the problem.
  const sum = new Float64Array(n * 3);
  const cnt = new Float64Array(n);
  // Border pixels whose difference is far from the border's typical one are something else (a
  // remnant of the object, a passer-by), not light: they are left out.
  const lumaResidual = (j: number) => {
    const p = s.ring[j];
    let r = 0;
    for (let ch = 0; ch < 3; ch++) r += s.frame.data[3 * p + ch] - s.ringValues[3 * j + ch];
    return r / 3;
  };
  const all: number[] = [];
  for (let j = 0; j < s.ring.length; j++) if (s.ringCount[j]) all.push(lumaResidual(j));
  if (all.length === 0) return 0;
  all.sort((a, b) => a - b);
  const med = all[all.length >> 1];
  const dev = all.map((r) => Math.abs(r - med)).sort((a, b) => a - b);
  const limit = 4.5 * dev[dev.length >> 1] + 3;
  for (let j = 0; j < s.ring.length; j++) {
    if (!s.ringCount[j] || Math.abs(lumaResidual(j) - med) > limit) continue;
    const p = s.ring[j];
    const x = p % w;
    const y = (p - x) / w;
    const c = (Math.floor(y / cell) - gy0) * gw + (Math.floor(x / cell) - gx0);
    for (let ch = 0; ch < 3; ch++) {
      const r = s.frame.data[3 * p + ch] - s.ringValues[3 * j + ch];
      sum[3 * c + ch] += Math.max(-MAX_RESIDUAL, Math.min(MAX_RESIDUAL, r));
    }
    cnt[c]++;
  }
  const state = new Uint8Array(n); // 0 outside, 1 known, 2 unknown
  const val = new Float64Array(n * 3);
  let known = 0;
  const mean = [0, 0, 0];
  for (let c = 0; c < n; c++) {
    if (!cnt[c]) continue;
    state[c] = 1;
    known++;
    for (let ch = 0; ch < 3; ch++) {
      // Differences under a level are interpolation and rounding, not light: shrunk to nothing,
      // so an exact fill stays exact.
      const v = sum[3 * c + ch] / cnt[c];
      val[3 * c + ch] = Math.sign(v) * Math.max(0, Math.abs(v) - SHRINK);
      mean[ch] += val[3 * c + ch];
    }
  }
  if (known === 0) return 0;
  for (let ch = 0; ch < 3; ch++) mean[ch] /= known;
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      if (!s.hole.data[y * w + x]) continue;
      const c = (Math.floor(y / cell) - gy0) * gw + (Math.floor(x / cell) - gx0);
      if (state[c] === 0) {
        state[c] = 2;
        for (let ch = 0; ch < 3; ch++) val[3 * c + ch] = mean[ch];
      }
    }
  }
  // Gauss-Seidel with over-relaxation on the unknown cells; outside cells are insulating (Neumann).
  const omega = 1.9;
  for (let it = 0; it < 4 * (gw + gh) + 50; it++) {
    let change = 0;
    for (let gy = 0; gy < gh; gy++) {
      for (let gx = 0; gx < gw; gx++) {
        const c = gy * gw + gx;
        if (state[c] !== 2) continue;
        // Neighbours left, right, up, down, summed in that order (no arrays: this loop runs
        // hundreds of times per cell, and allocating in it cost more than the arithmetic).
        let k = 0;
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        for (let side = 0; side < 4; side++) {
          const q = side === 0 ? (gx > 0 ? c - 1 : -1) : side === 1 ? (gx < gw - 1 ? c + 1 : -1) : side === 2 ? (gy > 0 ? c - gw : -1) : gy < gh - 1 ? c + gw : -1;
          if (q < 0 || state[q] === 0) continue;
          a0 += val[3 * q];
          a1 += val[3 * q + 1];
          a2 += val[3 * q + 2];
          k++;
        }
        if (k === 0) continue;
        for (let ch = 0; ch < 3; ch++) {
          const avg = (ch === 0 ? a0 : ch === 1 ? a1 : a2) / k;
          const d = omega * (avg - val[3 * c + ch]);
          val[3 * c + ch] += d;
          change = Math.max(change, Math.abs(d));
        }
      }
    }
    if (change < 0.02) break;
  }
  // Per hole pixel: bilinear over the cells around it (those in the problem), at the pixel's centre.
  let total = 0;
  let applied = 0;
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      const p = y * w + x;
      if (!s.hole.data[p] || s.skip[p]) continue;
      const fx = (x + 0.5) / cell - 0.5 - gx0;
      const fy = (y + 0.5) / cell - 0.5 - gy0;
      const cx = Math.floor(fx);
      const cy = Math.floor(fy);
      const tx = fx - cx;
      const ty = fy - cy;
      let wsum = 0;
      let acc0 = 0;
      let acc1 = 0;
      let acc2 = 0;
      for (let v = 0; v <= 1; v++) {
        for (let u = 0; u <= 1; u++) {
          const gx = cx + u;
          const gy = cy + v;
          if (gx < 0 || gy < 0 || gx >= gw || gy >= gh) continue;
          const c = gy * gw + gx;
          if (!state[c]) continue;
          const wt = (u ? tx : 1 - tx) * (v ? ty : 1 - ty);
          wsum += wt;
          acc0 += wt * val[3 * c];
          acc1 += wt * val[3 * c + 1];
          acc2 += wt * val[3 * c + 2];
        }
      }
      if (wsum <= 0) continue;
      for (let ch = 0; ch < 3; ch++) {
        const corr = (ch === 0 ? acc0 : ch === 1 ? acc1 : acc2) / wsum;
        const v0 = s.filled.data[3 * p + ch];
        const v1 = Math.round(v0 + corr);
        s.filled.data[3 * p + ch] = v1 < 0 ? 0 : v1 > 255 ? 255 : v1;
        total += Math.abs(corr);
      }
      applied++;
    }
  }
  return applied ? total / (3 * applied) : 0;
}
