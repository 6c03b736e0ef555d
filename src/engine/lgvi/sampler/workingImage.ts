// A decoded source frame as the VAE encoder takes it: resized straight to the working size
// (bilinear, no crop, the aspect ratio is not kept, as in the reference), planar RGB [3, H, W],
// values mapped from 0..255 to [-1, 1].
import type { Frame } from '../../media/types';
import { bilinearTaps } from '../../image/bilinear';

/**
 * The arithmetic is resampleBilinear's (image/bilinear.ts: rows interpolated in doubles, the
 * result rounded to float32) followed by the mapping to [-1, 1], fused into one pass that writes
 * the planar layout directly: this runs on every frame of the clip, on the thread that also
 * drives the model, and the generic path (interleaved float copy, then a second pass) took twice
 * as long. A test holds the two to the same bits.
 */
export function toWorkingImage(frame: Frame, width: number, height: number, out = new Float32Array(3 * width * height)): Float32Array {
  if (frame.channels !== 3) throw new Error(`toWorkingImage: frame ${frame.sourceIndex} has ${frame.channels} channels, expected RGB`);
  if (frame.yuv) throw new Error(`toWorkingImage: frame ${frame.sourceIndex} is planar YUV, expected RGB`);
  const src = frame.data;
  const plane = width * height;
  const xs = bilinearTaps(frame.width, width);
  const ys = bilinearTaps(frame.height, height);
  const stride = frame.width * 3;
  for (let y = 0; y < height; y++) {
    const top = ys.lo[y] * stride;
    const bottom = ys.hi[y] * stride;
    const fy = ys.frac[y];
    const gy = 1 - fy;
    let p = y * width;
    for (let x = 0; x < width; x++, p++) {
      const l = xs.lo[x] * 3;
      const h = xs.hi[x] * 3;
      const fx = xs.frac[x];
      const gx = 1 - fx;
      for (let c = 0; c < 3; c++) {
        const t = src[top + l + c] * gx + src[top + h + c] * fx;
        const b = src[bottom + l + c] * gx + src[bottom + h + c] * fx;
        out[c * plane + p] = Math.fround(t * gy + b * fy) / 127.5 - 1;
      }
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
