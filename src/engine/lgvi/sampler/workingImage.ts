// A decoded source frame as the VAE encoder takes it: resized straight to the working size as the
// reference does (PIL's antialiased BILINEAR resize to 8 bits, ./referenceResize.ts; no crop, the
// aspect ratio is not kept), planar RGB [3, H, W], values mapped as the reference maps them:
// x/255, then *2 - 1 (each rounded to float32; the reference computes the second in fp16 on CUDA).
import type { Frame } from '../../media/types';
import { pilBilinearResize } from './referenceResize';

/** 8-bit value -> the VAE's [-1, 1], as inference_referring.load_video computes it (in float32). */
const TO_UNIT = Float32Array.from({ length: 256 }, (_, v) => Math.fround(Math.fround(v / 255) * 2 - 1));

export function toWorkingImage(frame: Frame, width: number, height: number, out = new Float32Array(3 * width * height)): Float32Array {
  if (frame.channels !== 3) throw new Error(`toWorkingImage: frame ${frame.sourceIndex} has ${frame.channels} channels, expected RGB`);
  if (frame.yuv) throw new Error(`toWorkingImage: frame ${frame.sourceIndex} is planar YUV, expected RGB`);
  const plane = width * height;
  const resized = pilBilinearResize(frame.data, frame.width, frame.height, 3, width, height);
  for (let p = 0, k = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++, k++) out[c * plane + p] = TO_UNIT[resized[k]];
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
