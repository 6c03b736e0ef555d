import { dilateDisk } from '../../image/diskDilation';
import type { GrayImage } from '../types';

/**
 * Whole-frame mask operations computed on the set pixels' bounding box only. A hole covers a few
 * percent of a 1080p frame, and a full-frame pass per frame and per step was most of the fill's
 * time; every pixel these operations can set lies within `reach` of a set pixel, so working on the
 * box grown by `reach + 1` (clamped to the frame) gives the same bytes as the full-frame pass.
 */

export type Box = { x0: number; y0: number; x1: number; y1: number };

/** The bounding box of the set pixels, grown by `pad` and clamped to the frame; null when none is set. */
export function setBox(data: Uint8Array, w: number, h: number, pad: number): Box | null {
  let y0 = -1;
  let y1 = -1;
  for (let y = 0; y < h && y0 < 0; y++) if (rowHas(data, y * w, w)) y0 = y;
  if (y0 < 0) return null;
  for (let y = h - 1; y >= y0 && y1 < 0; y--) if (rowHas(data, y * w, w)) y1 = y;
  let x0 = w;
  let x1 = -1;
  for (let y = y0; y <= y1; y++) {
    const row = y * w;
    for (let x = 0; x < x0; x++) if (data[row + x]) { x0 = x; break; }
    for (let x = w - 1; x > x1; x--) if (data[row + x]) { x1 = x; break; }
  }
  return { x0: Math.max(0, x0 - pad), y0: Math.max(0, y0 - pad), x1: Math.min(w - 1, x1 + pad), y1: Math.min(h - 1, y1 + pad) };
}

function rowHas(data: Uint8Array, row: number, w: number): boolean {
  for (let x = 0; x < w; x++) if (data[row + x]) return true;
  return false;
}

/** The pixels of `box` (inclusive corners) cut out of a w-wide mask, as a mask of the box's size. */
export function cropToBox(data: Uint8Array, w: number, box: Box): GrayImage {
  const bw = box.x1 - box.x0 + 1;
  const bh = box.y1 - box.y0 + 1;
  const crop = new Uint8Array(bw * bh);
  for (let y = 0; y < bh; y++) crop.set(data.subarray((y + box.y0) * w + box.x0, (y + box.y0) * w + box.x0 + bw), y * bw);
  return { width: bw, height: bh, data: crop };
}

/** dilateDisk(mask, radius).data, computed on the mask's bounding box (into a zeroed full-frame buffer). */
export function dilateDiskBoxed(mask: GrayImage, radius: number): Uint8Array {
  const out = new Uint8Array(mask.width * mask.height);
  orDilatedDisk(mask, radius, out);
  return out;
}

/**
 * out |= dilateDisk(mask, radius).data, touching only the mask's box grown by the radius. The
 * fill's exclusions are a frame's other exclusions (copied into `out` first) with a grown hole on
 * top: building the grown hole in a frame of its own and merging it took three whole-frame passes
 * where one box suffices.
 */
export function orDilatedDisk(mask: GrayImage, radius: number, out: Uint8Array): void {
  const r = Math.max(0, Math.floor(radius));
  const { width: w, height: h, data } = mask;
  const box = setBox(data, w, h, r + 1);
  if (!box) return;
  const crop = cropToBox(data, w, box);
  const grown = dilateDisk(crop, r).data;
  for (let y = 0, j = 0; y < crop.height; y++) {
    for (let x = 0, i = (y + box.y0) * w + box.x0; x < crop.width; x++, i++, j++) out[i] |= grown[j];
  }
}
