// The straightforward whole-frame feather the engine's bounded featherMask (src/engine/image/
// feather.ts) must reproduce byte for byte: kept as the tests' reference.
import type { GrayImage } from '../../src/engine/image/grayImage';
import { referenceBox } from './referenceBox';

/**
 * Composite alpha for a removal mask: 255 deep inside, ramping down over `radius` pixels towards
 * the mask's edge, 0 outside. The ramp lies inside the (already dilated) mask, so the fill blends
 * into the untouched picture without a seam and pixels outside the mask stay bit-exact.
 */
export function featherMask(mask: GrayImage, radius: number): GrayImage {
  const { width: w, height: h, data } = mask;
  const out = new Uint8Array(w * h);
  if (radius <= 0) {
    for (let i = 0; i < w * h; i++) out[i] = data[i] ? 255 : 0;
    return { width: w, height: h, data: out };
  }
  // Two-pass chamfer distance (in steps of 1 and √2) from the nearest pixel outside the mask,
  // over the mask's bounding box only (everything outside it is at distance 0).
  const box = referenceBox(data, w, h);
  if (!box) return { width: w, height: h, data: out };
  const { x0, y0, x1, y1 } = box;
  const INF = 1e9;
  const d = new Float32Array(w * h);
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) d[y * w + x] = data[y * w + x] ? INF : 0;
  const D = Math.SQRT2;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * w + x;
      if (d[i] === 0) continue;
      let v = d[i];
      // Outside the frame counts as inside the mask: an object cut by the frame edge stays fully removed there.
      if (x > 0) v = Math.min(v, d[i - 1] + 1);
      if (y > 0) {
        v = Math.min(v, d[i - w] + 1);
        if (x > 0) v = Math.min(v, d[i - w - 1] + D);
        if (x < w - 1) v = Math.min(v, d[i - w + 1] + D);
      }
      d[i] = v;
    }
  }
  for (let y = y1; y >= y0; y--) {
    for (let x = x1; x >= x0; x--) {
      const i = y * w + x;
      if (d[i] === 0) continue;
      let v = d[i];
      if (x < w - 1) v = Math.min(v, d[i + 1] + 1);
      if (y < h - 1) {
        v = Math.min(v, d[i + w] + 1);
        if (x < w - 1) v = Math.min(v, d[i + w + 1] + D);
        if (x > 0) v = Math.min(v, d[i + w - 1] + D);
      }
      d[i] = v;
    }
  }
  const span = radius + 1;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * w + x;
      if (data[i]) out[i] = d[i] >= span ? 255 : Math.max(1, Math.round((255 * d[i]) / span));
    }
  }
  return { width: w, height: h, data: out };
}
