import type { GrayImage } from '../types';

/**
 * Mask morphology. Dilation grows the removal region by a user-set margin so that soft object
 * edges, motion blur and shadows' fringes go too; the temporal close stops a pixel from blinking
 * back for one frame between two frames where it is removed (a detector missing one frame, a
 * segmenter wobbling), which would show as a flash of the object in the output.
 */

/** Grows set pixels (> 0) by a disk of `radius` pixels; values become 255. radius 0 just binarises. */
export function dilateMask(mask: GrayImage, radius: number): GrayImage {
  const { width: w, height: h, data } = mask;
  const r = Math.max(0, Math.floor(radius));
  const out = new Uint8Array(w * h);
  if (r === 0) {
    for (let i = 0; i < w * h; i++) out[i] = data[i] ? 255 : 0;
    return { width: w, height: h, data: out };
  }
  // Per row, the distance to the nearest set pixel in that row (capped), then a disk test over rows.
  const far = r + 1;
  const hd = new Uint16Array(w * h).fill(far);
  for (let y = 0; y < h; y++) {
    let last = -far;
    for (let x = 0; x < w; x++) {
      if (data[y * w + x]) last = x;
      hd[y * w + x] = Math.min(far, x - last);
    }
    last = w + far;
    for (let x = w - 1; x >= 0; x--) {
      if (data[y * w + x]) last = x;
      const d = last - x;
      if (d < hd[y * w + x]) hd[y * w + x] = d;
    }
  }
  const half = new Int32Array(2 * r + 1);
  for (let dy = -r; dy <= r; dy++) half[dy + r] = Math.floor(Math.sqrt(r * r - dy * dy) + 1e-9);
  for (let y = 0; y < h; y++) {
    for (let dy = -r; dy <= r; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= h) continue;
      const lim = half[dy + r];
      const row = yy * w;
      const orow = y * w;
      for (let x = 0; x < w; x++) if (hd[row + x] <= lim) out[orow + x] = 255;
    }
  }
  return { width: w, height: h, data: out };
}

/** A pixel removed in frames f-1 and f+1 is removed in f too (max(m[f], min(m[f-1], m[f+1]))). */
export function closeTemporalGaps(masks: GrayImage[]): GrayImage[] {
  return masks.map((m, f) => {
    if (f === 0 || f === masks.length - 1) return m;
    const a = masks[f - 1].data;
    const b = masks[f + 1].data;
    const out = Uint8Array.from(m.data);
    for (let i = 0; i < out.length; i++) {
      const both = a[i] < b[i] ? a[i] : b[i];
      if (both > out[i]) out[i] = both;
    }
    return { width: m.width, height: m.height, data: out };
  });
}

/** Union (pixel-wise maximum) of masks of the same size. */
export function unionMasks(width: number, height: number, masks: GrayImage[]): GrayImage {
  const out = new Uint8Array(width * height);
  for (const m of masks) {
    const d = m.data;
    for (let i = 0; i < out.length; i++) if (d[i] > out[i]) out[i] = d[i];
  }
  return { width, height, data: out };
}
