// A decoded source frame as the VAE encoder takes it: resized straight to the working size
// (bilinear, no crop, the aspect ratio is not kept, as in the reference), planar RGB [3, H, W],
// values mapped from 0..255 to [-1, 1].
import type { Frame } from '../../media/types';
import { BilinearRows, bilinearTaps } from '../../image/bilinear';

/**
 * resampleBilinear's arithmetic (image/bilinear.ts: rows interpolated in doubles by BilinearRows,
 * the result rounded to float32) with the mapping to [-1, 1] done in the same pass, straight into
 * the planar layout, instead of an interleaved float copy of the frame read again by a second
 * pass. A test holds the two to the same bits.
 */
export function toWorkingImage(frame: Frame, width: number, height: number, out = new Float32Array(3 * width * height)): Float32Array {
  if (frame.channels !== 3) throw new Error(`toWorkingImage: frame ${frame.sourceIndex} has ${frame.channels} channels, expected RGB`);
  if (frame.yuv) throw new Error(`toWorkingImage: frame ${frame.sourceIndex} is planar YUV, expected RGB`);
  const plane = width * height;
  const ys = bilinearTaps(frame.height, height);
  const rows = new BilinearRows(frame.data, frame.width, 3, width, 0, width);
  for (let y = 0; y < height; y++) {
    rows.select(ys.lo[y], ys.hi[y]);
    const { top, bottom } = rows;
    const fy = ys.frac[y];
    const gy = 1 - fy;
    for (let x = 0, p = y * width, k = 0; x < width; x++, p++) {
      for (let c = 0; c < 3; c++, k++) out[c * plane + p] = Math.fround(top[k] * gy + bottom[k] * fy) / 127.5 - 1;
    }
  }
  return out;
}

/** The VAE decoder's planar output ([3, H, W] in about [-1, 1]) as interleaved RGB in 0..255, clamped: (x/2 + 0.5) in [0, 1]. */
export function fromDecodedImage(planar: Float32Array, offset: number, width: number, height: number): Float32Array {
  const plane = width * height;
  const out = new Float32Array(plane * 3);
  for (let c = 0; c < 3; c++) {
    const base = offset + c * plane;
    for (let p = 0; p < plane; p++) {
      const v = planar[base + p] / 2 + 0.5;
      out[p * 3 + c] = 255 * (v < 0 ? 0 : v > 1 ? 1 : v);
    }
  }
  return out;
}
