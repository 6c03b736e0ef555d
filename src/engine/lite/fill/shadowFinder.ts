import type { GrayImage, RgbImage } from '../types';
import { setBox } from './boxedMasks';

/**
 * Cast shadows (`--with-shadow`): the shadow an object throws is a darker version of the ground
 * with nearly the same chromaticity (its per-channel ratios to the background agree), attached to
 * the object, and moving with it. The background estimate comes from other frames where the object
 * and so its shadow had moved on, so a pixel darker than that estimate near the object is in the
 * shadow; dark parts of the scene that stay put are in the estimate too and are left alone.
 * Found pixels are relit, not replaced: each keeps its own texture (grain, the ground's detail in
 * this frame) and is scaled by the smoothed ratio background / shadowed, so the ground under the
 * shadow stays this frame's ground.
 */
export interface ShadowInput {
  frame: RgbImage;
  hole: GrayImage;
  /** Pixels searched (near the hole, outside it), with their background estimate (3 bytes each) and whether each has one. */
  idx: Int32Array;
  values: Uint8Array;
  count: Uint8Array;
}

/** Luma ratio (shadowed / lit) range a cast shadow spans; a penumbra joins up to PENUMBRA. */
const DARKEST = 0.15;
const UMBRA = 0.88;
const PENUMBRA = 0.97;
/** Largest spread of the per-channel ratios (relative) for "the same chromaticity". */
const CHROMA_SPREAD = 0.18;

/** How far from the hole a shadow is looked for: a multiple of the object's size. */
export function shadowReach(hole: GrayImage): number {
  let area = 0;
  for (let i = 0; i < hole.data.length; i++) if (hole.data[i]) area++;
  return Math.max(4, Math.min(400, Math.round(1.2 * Math.sqrt(area))));
}

/**
 * Finds the shadow attached to the hole and relights it in `out` (the frame's fill, same size).
 * Returns the mask of relit pixels (or null when none were found).
 */
export function relightShadow(s: ShadowInput, out: RgbImage): Uint8Array | null {
  const { width: w, height: h } = s.frame;
  const d = s.frame.data;
  const n = s.idx.length;
  // Classify: 2 umbra-like, 1 penumbra-like, 0 not shadow.
  const kind = new Uint8Array(w * h);
  const where = new Int32Array(w * h).fill(-1);
  for (let j = 0; j < n; j++) {
    if (!s.count[j]) continue;
    const p = s.idx[j];
    where[p] = j;
    const r = (d[3 * p] + 1) / (s.values[3 * j] + 1);
    const g = (d[3 * p + 1] + 1) / (s.values[3 * j + 1] + 1);
    const b = (d[3 * p + 2] + 1) / (s.values[3 * j + 2] + 1);
    const l = (r + g + b) / 3;
    const spread = (Math.max(r, g, b) - Math.min(r, g, b)) / Math.max(1e-3, l);
    if (l < DARKEST || spread > CHROMA_SPREAD) continue;
    if (l <= UMBRA) kind[p] = 2;
    else if (l <= PENUMBRA) kind[p] = 1;
  }
  // Region growing from the hole's border: umbra first, then the penumbra around what was found.
  const mask = new Uint8Array(w * h);
  const queue: number[] = [];
  const box = setBox(s.hole.data, w, h, 1);
  if (!box) return null;
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      const p = y * w + x;
      if (!s.hole.data[p]) continue;
      for (const q of [p - 1, p + 1, p - w, p + w]) {
        if (q >= 0 && q < w * h && kind[q] === 2 && !mask[q]) {
          mask[q] = 1;
          queue.push(q);
        }
      }
    }
  }
  const spread = (level: number) => {
    for (let k = 0; k < queue.length; k++) {
      const p = queue[k];
      const x = p % w;
      for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w]) {
        if (q < 0 || q >= w * h || mask[q] || s.hole.data[q] || kind[q] < level) continue;
        mask[q] = 1;
        queue.push(q);
      }
    }
  };
  spread(2);
  const umbra = queue.length;
  if (umbra < 16) return null;
  spread(1);
  // Relight: the ratio background / frame per channel, smoothed over the shadow (normalised box
  // filter) so the frame's own detail survives, applied to the frame's pixels.
  const sb = setBox(mask, w, h, 0)!;
  const radius = Math.max(2, Math.round(Math.max(w, h) / 200));
  const bw = sb.x1 - sb.x0 + 1;
  const bh = sb.y1 - sb.y0 + 1;
  const ratio = new Float32Array(bw * bh * 3);
  const weight = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const p = (y + sb.y0) * w + x + sb.x0;
      if (!mask[p]) continue;
      const j = where[p];
      weight[y * bw + x] = 1;
      for (let c = 0; c < 3; c++) ratio[3 * (y * bw + x) + c] = (s.values[3 * j + c] + 1) / (d[3 * p + c] + 1);
    }
  }
  const blur = (a: Float32Array, stride: number) => {
    const tmp = new Float32Array(a.length);
    for (let y = 0; y < bh; y++) {
      for (let c = 0; c < stride; c++) {
        let acc = 0;
        for (let x = -radius; x < bw + radius; x++) {
          if (x + radius < bw) acc += a[(y * bw + x + radius) * stride + c];
          if (x - radius - 1 >= 0) acc -= a[(y * bw + x - radius - 1) * stride + c];
          if (x >= 0 && x < bw) tmp[(y * bw + x) * stride + c] = acc;
        }
      }
    }
    for (let x = 0; x < bw; x++) {
      for (let c = 0; c < stride; c++) {
        let acc = 0;
        for (let y = -radius; y < bh + radius; y++) {
          if (y + radius < bh) acc += tmp[((y + radius) * bw + x) * stride + c];
          if (y - radius - 1 >= 0) acc -= tmp[((y - radius - 1) * bw + x) * stride + c];
          if (y >= 0 && y < bh) a[(y * bw + x) * stride + c] = acc;
        }
      }
    }
  };
  blur(ratio, 3);
  blur(weight, 1);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const p = (y + sb.y0) * w + x + sb.x0;
      if (!mask[p]) continue;
      const wt = weight[y * bw + x];
      for (let c = 0; c < 3; c++) {
        const v = Math.round((d[3 * p + c] + 1) * (ratio[3 * (y * bw + x) + c] / wt) - 1);
        out.data[3 * p + c] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return mask;
}
