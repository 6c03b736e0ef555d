import type { GrayImage } from '../types';
import { gradients, type FloatImage } from './floatImage';

/**
 * Shi-Tomasi corners (the smaller eigenvalue of the local structure tensor): the points
 * Lucas-Kanade can track in both directions. Corners are taken only where the mask, dilated by the
 * tracking window, is clear, so that the moving object never votes on the camera's motion, and at
 * most `perCell` per grid cell so the homography is constrained over the whole frame rather than
 * in the one busiest patch of texture.
 */
export function findCorners(
  luma: FloatImage,
  mask: GrayImage | null,
  options: { grid?: number; perCell?: number; margin?: number; minQuality?: number } = {},
): Float64Array {
  const { width: w, height: h } = luma;
  const grid = options.grid ?? 12;
  const perCell = options.perCell ?? 3;
  const margin = options.margin ?? 8;
  const { gx, gy } = gradients(luma);
  // Structure tensor summed over a 5x5 box, via running sums along rows then columns.
  const xx = new Float32Array(w * h);
  const yy = new Float32Array(w * h);
  const xy = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const a = gx.data[i];
    const b = gy.data[i];
    xx[i] = a * a;
    yy[i] = b * b;
    xy[i] = a * b;
  }
  const sxx = boxSum5(xx, w, h);
  const syy = boxSum5(yy, w, h);
  const sxy = boxSum5(xy, w, h);
  const score = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const a = sxx[i];
    const c = syy[i];
    const b = sxy[i];
    const half = (a + c) / 2;
    const s = half - Math.sqrt(((a - c) / 2) ** 2 + b * b);
    score[i] = s;
  }
  const blocked = mask ? blockedNear(mask, margin) : null;
  const threshold = referenceScore(score, blocked) * (options.minQuality ?? 0.1);
  const cellW = Math.max(1, Math.ceil(w / grid));
  const cellH = Math.max(1, Math.ceil(h / grid));
  const picked: number[] = [];
  const best = new Float32Array(perCell);
  const bestAt = new Int32Array(perCell);
  for (let cy = 0; cy < h; cy += cellH) {
    for (let cx = 0; cx < w; cx += cellW) {
      best.fill(-1);
      bestAt.fill(-1);
      for (let y = Math.max(cy, margin); y < Math.min(cy + cellH, h - margin); y++) {
        for (let x = Math.max(cx, margin); x < Math.min(cx + cellW, w - margin); x++) {
          const i = y * w + x;
          const s = score[i];
          if (s <= threshold || (blocked && blocked[i])) continue;
          // Local maximum in the 3x3 neighbourhood only, so picks in one cell are distinct corners.
          if (s < score[i - 1] || s < score[i + 1] || s < score[i - w] || s < score[i + w]) continue;
          let k = perCell - 1;
          if (s <= best[k]) continue;
          while (k > 0 && best[k - 1] < s) {
            best[k] = best[k - 1];
            bestAt[k] = bestAt[k - 1];
            k--;
          }
          best[k] = s;
          bestAt[k] = i;
        }
      }
      for (let k = 0; k < perCell; k++) if (bestAt[k] >= 0) picked.push(bestAt[k] % w, Math.floor(bestAt[k] / w));
    }
  }
  return Float64Array.from(picked);
}

/**
 * The score corner quality is measured against (minQuality, default 0.1, is a share of it): the
 * 99th percentile over pixels the mask leaves free (sampled), not the maximum. A single high-contrast thing (a dark object's outline, which
 * may lie outside a detector's box) would otherwise set the bar so high that the scene's own
 * texture yields no corners at all, and the camera's motion could not be measured.
 */
function referenceScore(score: Float32Array, blocked: Uint8Array | null): number {
  const picked: number[] = [];
  for (let i = 0; i < score.length; i += 7) if (!(blocked && blocked[i]) && score[i] > 0) picked.push(score[i]);
  if (picked.length === 0) return 0;
  picked.sort((a, b) => a - b);
  return picked[Math.min(picked.length - 1, Math.floor(picked.length * 0.99))];
}

function boxSum5(src: Float32Array, w: number, h: number): Float32Array {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let d = -2; d <= 2; d++) s += src[y * w + Math.min(w - 1, Math.max(0, x + d))];
      tmp[y * w + x] = s;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let d = -2; d <= 2; d++) s += tmp[Math.min(h - 1, Math.max(0, y + d)) * w + x];
      out[y * w + x] = s;
    }
  }
  return out;
}

/** 1 where a set mask pixel lies within `radius` (Chebyshev), via a separable running maximum. */
export function blockedNear(mask: GrayImage, radius: number): Uint8Array {
  const { width: w, height: h, data } = mask;
  const rows = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    let last = -Infinity;
    for (let x = 0; x < w; x++) {
      if (data[y * w + x]) last = x;
      if (x - last <= radius) rows[y * w + x] = 1;
    }
    last = Infinity;
    for (let x = w - 1; x >= 0; x--) {
      if (data[y * w + x]) last = x;
      if (last - x <= radius) rows[y * w + x] = 1;
    }
  }
  const out = new Uint8Array(w * h);
  for (let x = 0; x < w; x++) {
    let last = -Infinity;
    for (let y = 0; y < h; y++) {
      if (rows[y * w + x]) last = y;
      if (y - last <= radius) out[y * w + x] = 1;
    }
    last = Infinity;
    for (let y = h - 1; y >= 0; y--) {
      if (rows[y * w + x]) last = y;
      if (last - y <= radius) out[y * w + x] = 1;
    }
  }
  return out;
}
