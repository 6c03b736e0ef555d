import type { RgbImage } from '../types';
import { exemplarInpaint } from './exemplarInpaint';
import { shrinkRgb } from './resample';
import { sampleRgb } from './sampleRgb';

/**
 * Spatial fill of what no frame shows, with bounded cost: exemplar inpainting's work grows with
 * the hole's area times its search window, so a large never-seen region (a person who stands
 * still through the whole window) is invented on a half-size copy (repeatedly, until it is small
 * enough) and scaled back into the hole. Small holes, the usual case, are filled at full size.
 */
export const MAX_FULL_SIZE_HOLE = 20_000;

/** Fills `unknown` (1 = fill) in `img` in place; returns how many pixels were filled. */
export function spatialFill(img: RgbImage, unknown: Uint8Array, patchRadius: number, avoid: Uint8Array | null = null): number {
  let count = 0;
  for (let i = 0; i < unknown.length; i++) count += unknown[i] ? 1 : 0;
  if (count === 0) return 0;
  if (count <= MAX_FULL_SIZE_HOLE || img.width < 64 || img.height < 64) {
    return exemplarInpaint(img, unknown, { patchRadius, avoid });
  }
  const hw = img.width >> 1;
  const hh = img.height >> 1;
  const half = shrinkRgb(img, hw, hh);
  const halfUnknown = new Uint8Array(hw * hh);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (!unknown[y * img.width + x]) continue;
      const hx = Math.min(hw - 1, x >> 1);
      const hy = Math.min(hh - 1, y >> 1);
      halfUnknown[hy * hw + hx] = 1;
    }
  }
  let halfAvoid: Uint8Array | null = null;
  if (avoid) {
    halfAvoid = new Uint8Array(hw * hh);
    for (let i = 0; i < avoid.length; i++) {
      if (!avoid[i]) continue;
      const x = i % img.width;
      halfAvoid[Math.min(hh - 1, ((i - x) / img.width) >> 1) * hw + Math.min(hw - 1, x >> 1)] = 1;
    }
  }
  const small = { width: hw, height: hh, data: Uint8Array.from(half.data) };
  spatialFill(small, halfUnknown, patchRadius, halfAvoid);
  // Back to full size: each unknown pixel takes the half-size fill at its own position.
  const sx = hw / img.width;
  const sy = hh / img.height;
  for (let i = 0; i < unknown.length; i++) {
    if (!unknown[i]) continue;
    const x = i % img.width;
    const y = (i - x) / img.width;
    sampleRgb(small.data, null, hw, hh, Math.min(hw - 1, (x + 0.5) * sx - 0.5), Math.min(hh - 1, Math.max(0, (y + 0.5) * sy - 0.5)), img.data, 3 * i);
  }
  return count;
}
