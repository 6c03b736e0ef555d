// A soft mask brought up to a larger size and decided in one pass: each destination pixel of a
// region is the bilinear value (image/bilinear.ts, rounded to float32 as a resampled mask would
// be stored) compared with a threshold. Fusing the two saves writing and re-reading a float
// image the size of the region (tens of MB per frame at 4K) only to turn it into bytes.
import { BilinearRows, bilinearTaps, type Region } from './bilinear';

/**
 * Writes 255 where the resampled value of `mask` (maskWidth x maskHeight, one float per pixel)
 * at a pixel of `region` of the width x height result is >= threshold, else 0, into `out`
 * (region-sized, row-major). Returns how many pixels are set.
 */
export function thresholdBilinear(
  mask: Float32Array,
  maskWidth: number,
  maskHeight: number,
  width: number,
  height: number,
  region: Region,
  threshold: number,
  out: Uint8Array,
): number {
  const n = region.width * region.height;
  if (out.length < n) throw new Error(`thresholdBilinear: output holds ${out.length} pixels, the region has ${n}`);
  const ys = bilinearTaps(maskHeight, height);
  const rows = new BilinearRows(mask, maskWidth, 1, width, region.x, region.x + region.width);
  const fround = Math.fround;
  let marked = 0;
  let o = 0;
  for (let y = region.y; y < region.y + region.height; y++) {
    rows.select(ys.lo[y], ys.hi[y]);
    const { top, bottom } = rows;
    const fy = ys.frac[y];
    const gy = 1 - fy;
    for (let k = 0; k < region.width; k++) {
      if (fround(top[k] * gy + bottom[k] * fy) >= threshold) {
        out[o++] = 255;
        marked++;
      } else out[o++] = 0;
    }
  }
  return marked;
}
