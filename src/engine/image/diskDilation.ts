// Binary dilation by a disk of integer radius r: a pixel is set when some set pixel lies within
// Euclidean distance r (dx² + dy² <= r²). This is the Lite engine's dilateMask rule, computed in
// O(pixels) whatever the radius, in row-major passes only:
//   1. per column, the vertical distance g to the nearest set pixel (a pass down and one up),
//      capped at r + 1 (anything farther cannot reach);
//   2. a pixel with g <= r reaches horizontally half[g] = floor(sqrt(r² - g²)) pixels either way,
//      so per row the dilated set is the union of intervals [x - half, x + half]: a pixel is
//      covered when the largest right end of the intervals starting at or before it reaches it
//      (a pass left to right), or the smallest left end of those at or after it does (right to
//      left).
// Using each column's nearest set pixel is enough: half[] shrinks as g grows, so a farther set
// pixel in the same column never reaches further sideways.
import type { GrayImage } from './grayImage';

/** Horizontal reach of a disk of radius r at each vertical offset 0..r (floor(√(r² − dy²)), robust to sqrt rounding). */
function diskHalfWidths(r: number): Int32Array {
  const half = new Int32Array(r + 1);
  for (let dy = 0; dy <= r; dy++) half[dy] = Math.floor(Math.sqrt(r * r - dy * dy) + 1e-9);
  return half;
}

/** Radii are capped here: wider than any frame a video codec takes, and distances fit 16 bits. */
const MAX_RADIUS = 65534;
let scratch = new Uint16Array(0);

/**
 * Grows set pixels (> 0) by a disk of `radius` pixels (floored; 0 just binarises; at most
 * MAX_RADIUS) into `out`
 * (default: a new buffer), whose values become 255 or 0.
 */
export function dilateDisk(mask: GrayImage, radius: number, out: Uint8Array = new Uint8Array(mask.width * mask.height)): GrayImage {
  const { width: w, height: h, data } = mask;
  const n = w * h;
  if (out.length < n) throw new Error(`dilateDisk: output holds ${out.length} pixels, the mask has ${n}`);
  const r = Math.min(MAX_RADIUS, Math.max(0, Math.floor(radius)));
  if (r === 0) {
    for (let i = 0; i < n; i++) out[i] = data[i] ? 255 : 0;
    return { width: w, height: h, data: out };
  }
  // The distance buffer is reused across calls (the function is synchronous, so never shared).
  if (scratch.length < n) scratch = new Uint16Array(n);
  const g = scratch;
  const far = r + 1;
  for (let x = 0; x < w; x++) g[x] = data[x] ? 0 : far;
  for (let i = w; i < n; i++) {
    if (data[i]) g[i] = 0;
    else {
      const above = g[i - w] + 1;
      g[i] = above < far ? above : far;
    }
  }
  for (let i = n - w - 1; i >= 0; i--) {
    const below = g[i + w] + 1;
    if (below < g[i]) g[i] = below;
  }
  const half = diskHalfWidths(r);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let reach = -1;
    for (let x = 0; x < w; x++) {
      const k = g[row + x];
      if (k <= r) {
        const end = x + half[k];
        if (end > reach) reach = end;
      }
      out[row + x] = reach >= x ? 255 : 0;
    }
    let start = w;
    for (let x = w - 1; x >= 0; x--) {
      const k = g[row + x];
      if (k <= r) {
        const begin = x - half[k];
        if (begin < start) start = begin;
      }
      if (start <= x) out[row + x] = 255;
    }
  }
  return { width: w, height: h, data: out };
}
