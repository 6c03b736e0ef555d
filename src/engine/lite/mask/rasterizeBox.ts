import type { Box, GrayImage } from '../types';

/** Integer pixel bounds of a box clipped to the frame (x1, y1 exclusive). */
export function boxBounds(box: Box, width: number, height: number) {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(width, Math.ceil(box.x + box.width));
  const y1 = Math.min(height, Math.ceil(box.y + box.height));
  return { x0, y0, x1: Math.max(x0, x1), y1: Math.max(y0, y1) };
}

/** Sets every pixel the box covers to 255 in `into`. */
export function paintBox(into: GrayImage, box: Box): void {
  const { x0, y0, x1, y1 } = boxBounds(box, into.width, into.height);
  for (let y = y0; y < y1; y++) into.data.fill(255, y * into.width + x0, y * into.width + x1);
}

/**
 * Paints a detector's soft mask (covering `box`, box.width x box.height after rounding, as
 * Detection.mask is defined) into `into`, set where the soft value is at least `threshold`.
 */
export function paintSoftMask(into: GrayImage, box: Box, soft: Uint8Array, threshold = 128): void {
  const mw = Math.round(box.width);
  const mh = Math.round(box.height);
  if (soft.length !== mw * mh) throw new Error(`soft mask has ${soft.length} values, expected ${mw}x${mh}`);
  const bx = Math.round(box.x);
  const by = Math.round(box.y);
  for (let v = 0; v < mh; v++) {
    const y = by + v;
    if (y < 0 || y >= into.height) continue;
    for (let u = 0; u < mw; u++) {
      const x = bx + u;
      if (x < 0 || x >= into.width) continue;
      if (soft[v * mw + u] >= threshold) into.data[y * into.width + x] = 255;
    }
  }
}
