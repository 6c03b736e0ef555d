// A decoded source frame as the VAE encoder takes it: resized straight to the working size
// (bilinear, no crop, the aspect ratio is not kept, as in the reference), planar RGB [3, H, W],
// values mapped from 0..255 to [-1, 1].
import type { Frame } from '../../media/types';
import { resampleBilinear } from '../../image/bilinear';

export function toWorkingImage(frame: Frame, width: number, height: number, out = new Float32Array(3 * width * height)): Float32Array {
  if (frame.channels !== 3) throw new Error(`toWorkingImage: frame ${frame.sourceIndex} has ${frame.channels} channels, expected RGB`);
  const plane = width * height;
  const rgb = resampleBilinear(frame.data, frame.width, frame.height, 3, width, height);
  for (let p = 0; p < plane; p++) {
    out[p] = rgb[p * 3] / 127.5 - 1;
    out[plane + p] = rgb[p * 3 + 1] / 127.5 - 1;
    out[2 * plane + p] = rgb[p * 3 + 2] / 127.5 - 1;
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
