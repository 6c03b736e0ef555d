// Composite alpha for a removal mask: 255 deep inside, ramping down over `radius` pixels towards
// the mask's edge, 0 outside. The ramp lies inside the (already dilated) mask, so the fill blends
// into the untouched picture without a seam and pixels outside the mask stay bit-exact.
//
// The rule is the Lite engine's featherMask, value for value (the same two-pass chamfer distance
// in steps of 1 and √2, in float32, the same rounding); what differs is the cost: the distance
// runs over the mask's bounding box in a buffer with a one-pixel border, so the inner loops test
// no frame edges, and the buffer is reused across calls.
import type { GrayImage } from './grayImage';
import { setPixelsBox } from './setPixelsBox';

/** Distance of a pixel not yet reached (and of the border beyond the frame's edge, see below). */
const FAR = 1e9;
let scratch = new Float32Array(0);

/** Feathers `mask` (set: > 0) by `radius` pixels into `out` (default: a new buffer). */
export function featherMask(mask: GrayImage, radius: number, out: Uint8Array = new Uint8Array(mask.width * mask.height)): GrayImage {
  const { width: w, height: h, data } = mask;
  const n = w * h;
  if (out.length < n) throw new Error(`featherMask: output holds ${out.length} pixels, the mask has ${n}`);
  const result = { width: w, height: h, data: out };
  if (radius <= 0) {
    for (let i = 0; i < n; i++) out[i] = data[i] ? 255 : 0;
    return result;
  }
  out.fill(0, 0, n);
  const box = setPixelsBox(data, w, h);
  if (!box) return result;
  const { x0, y0, x1, y1 } = box;
  // The box plus a one-pixel border. A border pixel inside the frame is outside the mask
  // (distance 0); one beyond the frame's edge counts as inside the mask (FAR: it never shortens a
  // distance), so an object cut by the frame edge stays fully removed up to it.
  const bw = x1 - x0 + 3;
  const bh = y1 - y0 + 3;
  if (scratch.length < bw * bh) scratch = new Float32Array(bw * bh);
  const d = scratch;
  d.fill(y0 === 0 ? FAR : 0, 0, bw);
  d.fill(y1 === h - 1 ? FAR : 0, (bh - 1) * bw, bh * bw);
  for (let by = 1; by < bh - 1; by++) {
    const src = (y0 + by - 1) * w + x0 - 1;
    const row = by * bw;
    d[row] = 0;
    d[row + bw - 1] = 0;
    for (let bx = 1; bx < bw - 1; bx++) d[row + bx] = data[src + bx] ? FAR : 0;
  }
  // Border columns beyond the frame's edge, corners included.
  if (x0 === 0) for (let by = 0; by < bh; by++) d[by * bw] = FAR;
  if (x1 === w - 1) for (let by = 0; by < bh; by++) d[by * bw + bw - 1] = FAR;
  const D = Math.SQRT2;
  // Each pass slides along the row holding the neighbours already read (the pixel before it and
  // the three of the row before), so each step loads two values instead of five.
  for (let by = 1; by < bh - 1; by++) {
    const start = by * bw + 1;
    const end = by * bw + bw - 1;
    let left = d[start - 1];
    let upLeft = d[start - bw - 1];
    let up = d[start - bw];
    for (let i = start; i < end; i++) {
      const upRight = d[i - bw + 1];
      let v = d[i];
      if (v !== 0) {
        let c = left + 1;
        if (c < v) v = c;
        c = up + 1;
        if (c < v) v = c;
        c = upLeft + D;
        if (c < v) v = c;
        c = upRight + D;
        if (c < v) v = c;
        d[i] = v;
        v = d[i];
      }
      left = v;
      upLeft = up;
      up = upRight;
    }
  }
  for (let by = bh - 2; by >= 1; by--) {
    const start = by * bw + bw - 2;
    const end = by * bw;
    let right = d[start + 1];
    let downRight = d[start + bw + 1];
    let down = d[start + bw];
    for (let i = start; i > end; i--) {
      const downLeft = d[i + bw - 1];
      let v = d[i];
      if (v !== 0) {
        let c = right + 1;
        if (c < v) v = c;
        c = down + 1;
        if (c < v) v = c;
        c = downRight + D;
        if (c < v) v = c;
        c = downLeft + D;
        if (c < v) v = c;
        d[i] = v;
        v = d[i];
      }
      right = v;
      downRight = down;
      down = downLeft;
    }
  }
  const span = radius + 1;
  for (let by = 1; by < bh - 1; by++) {
    const row = (y0 + by - 1) * w + x0 - 1;
    const drow = by * bw;
    for (let bx = 1; bx < bw - 1; bx++) {
      if (!data[row + bx]) continue;
      const v = d[drow + bx];
      out[row + bx] = v >= span ? 255 : Math.max(1, Math.round((255 * v) / span));
    }
  }
  return result;
}
