import { dilateDisk } from '../../image/diskDilation';
import type { GrayImage } from '../types';
import { setPixelsBox, type Box } from '../../image/setPixelsBox';

/**
 * Whole-frame mask operations computed on the set pixels' bounding box only. A hole covers a few
 * percent of a 1080p frame, and a full-frame pass per frame and per step was most of the fill's
 * time; every pixel these operations can set lies within `reach` of a set pixel, so working on the
 * box grown by `reach + 1` (clamped to the frame) gives the same bytes as the full-frame pass.
 */

export type { Box };

/** The bounding box of the set pixels, grown by `pad` and clamped to the frame; null when none is set. */
export const setBox = setPixelsBox;

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

/**
 * orDilatedDisk where only the pixels inside `regions` (inclusive corners, in the frame) are ever
 * read: out |= the dilation there, overlapping regions merged into the box around them (whose
 * other pixels get the dilation too), each worked on its own box grown by the radius. The
 * seam's exclusion is read only where other frames' seams map to (seamReach in fillStages.ts), a
 * few boxes, while the exclusions it grows are spread over the whole frame.
 */
export function orDilatedDiskWithin(mask: GrayImage, radius: number, out: Uint8Array, regions: Box[]): void {
  const r = Math.max(0, Math.floor(radius));
  const { width: w, height: h, data } = mask;
  for (const g of mergeBoxes(regions)) {
    const box = { x0: Math.max(0, g.x0 - r - 1), y0: Math.max(0, g.y0 - r - 1), x1: Math.min(w - 1, g.x1 + r + 1), y1: Math.min(h - 1, g.y1 + r + 1) };
    const crop = cropToBox(data, w, box);
    const grown = dilateDisk(crop, r).data;
    for (let y = g.y0; y <= g.y1; y++) {
      for (let x = g.x0, i = y * w + x, j = (y - box.y0) * crop.width + x - box.x0; x <= g.x1; x++, i++, j++) out[i] |= grown[j];
    }
  }
}

/** The boxes with every overlapping (or touching) pair replaced by the box around both, until none overlap. */
export function mergeBoxes(boxes: Box[]): Box[] {
  const out = boxes.map((b) => ({ ...b }));
  for (let merged = true; merged; ) {
    merged = false;
    for (let i = 0; i < out.length && !merged; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i];
        const b = out[j];
        if (a.x0 > b.x1 + 1 || b.x0 > a.x1 + 1 || a.y0 > b.y1 + 1 || b.y0 > a.y1 + 1) continue;
        out[i] = { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
        out.splice(j, 1);
        merged = true;
        break;
      }
    }
  }
  return out;
}
