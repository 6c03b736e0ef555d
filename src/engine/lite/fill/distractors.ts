import type { Box, GrayImage, RgbImage } from '../types';
import type { ClipAlignment } from './alignment';

/**
 * Distractors: pixels the fill must not copy as background although no mask covers them. Two
 * kinds: every other tracked object (the detector saw it: a second bird, a passer-by), and any
 * pixel that moves against the camera, found without a detector: frame s at p disagrees with both
 * its neighbours s−1 and s+1 at the same scene point (background stays put once the camera motion
 * is taken out; a thing that moves does not). The test runs on a grid a few pixels apart (the
 * alignment is global, so a coarse look suffices) and marks whole cells, grown by one.
 */

/** Every box in `boxes` painted (rounded outward, grown by `pad` px) into a w x h mask. */
export function boxesMask(boxes: (Box | null)[], w: number, h: number, pad: number): Uint8Array | null {
  let out: Uint8Array | null = null;
  for (const b of boxes) {
    if (!b) continue;
    out ??= new Uint8Array(w * h);
    const x0 = Math.max(0, Math.floor(b.x - pad));
    const y0 = Math.max(0, Math.floor(b.y - pad));
    const x1 = Math.min(w, Math.ceil(b.x + b.width + pad));
    const y1 = Math.min(h, Math.ceil(b.y + b.height + pad));
    for (let y = y0; y < y1; y++) out.fill(1, y * w + x0, y * w + x1);
  }
  return out;
}

function lumaAt(d: Uint8Array, i: number): number {
  return 0.299 * d[3 * i] + 0.587 * d[3 * i + 1] + 0.114 * d[3 * i + 2];
}

/**
 * Per frame, 1 where the picture moves against the camera (at source resolution), or null for a
 * frame with nothing moving. Hole pixels are ignored (they are excluded anyway).
 */
export function movingAgainstCamera(frames: RgbImage[], holes: GrayImage[], alignment: ClipAlignment): (Uint8Array | null)[] {
  const n = frames.length;
  if (n < 3) return frames.map(() => null);
  const { width: w, height: h } = frames[0];
  const cell = Math.max(2, Math.round(Math.max(w, h) / 240));
  const gw = Math.ceil(w / cell);
  const gh = Math.ceil(h / cell);
  const diffs = (t: number, s: number): Float32Array => {
    const out = new Float32Array(gw * gh).fill(NaN);
    if (s < 0 || s >= n || alignment.segment[s] !== alignment.segment[t]) return out;
    const m = alignment.between(t, s);
    const a = frames[t].data;
    const b = frames[s].data;
    const hs = holes[s].data;
    for (let gy = 0; gy < gh; gy++) {
      const y = Math.min(h - 1, gy * cell + (cell >> 1));
      for (let gx = 0; gx < gw; gx++) {
        const x = Math.min(w - 1, gx * cell + (cell >> 1));
        const z = m[6] * x + m[7] * y + m[8];
        const qx = Math.round((m[0] * x + m[1] * y + m[2]) / z);
        const qy = Math.round((m[3] * x + m[4] * y + m[5]) / z);
        if (qx < 1 || qy < 1 || qx >= w - 1 || qy >= h - 1 || hs[qy * w + qx]) continue;
        // The best of the 3x3 around the mapped point: alignment error of a pixel is not motion.
        const va = lumaAt(a, y * w + x);
        let best = Infinity;
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) best = Math.min(best, Math.abs(va - lumaAt(b, (qy + dy) * w + qx + dx)));
        out[gy * gw + gx] = best;
      }
    }
    return out;
  };
  return frames.map((_, t) => {
    const before = diffs(t, t - 1);
    const after = diffs(t, t + 1);
    // The pair's own noise: a high quantile of its differences sets what counts as a change.
    const level = (d: Float32Array) => {
      const v = Array.from(d).filter((x) => !Number.isNaN(x)).sort((p, q) => p - q);
      return v.length ? v[Math.floor(v.length * 0.5)] : 0;
    };
    const tb = Math.max(16, 6 * level(before));
    const ta = Math.max(16, 6 * level(after));
    const moving = new Uint8Array(gw * gh);
    let any = false;
    for (let c = 0; c < moving.length; c++) {
      const b = before[c];
      const a = after[c];
      const bm = Number.isNaN(b) ? null : b > tb;
      const am = Number.isNaN(a) ? null : a > ta;
      if ((bm ?? am ?? false) && (am ?? bm ?? false)) {
        moving[c] = 1;
        any = true;
      }
    }
    if (!any) return null;
    const out = new Uint8Array(w * h);
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
  });
}
