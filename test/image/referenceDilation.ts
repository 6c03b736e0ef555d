// The straightforward whole-frame disk dilation the engine's O(pixels) dilateDisk
// (src/engine/image/diskDilation.ts) must reproduce byte for byte: kept as the tests' reference.
import type { GrayImage } from '../../src/engine/image/grayImage';

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
