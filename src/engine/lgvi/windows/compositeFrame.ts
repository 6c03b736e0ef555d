// One output frame: the generated picture (working size) put over the source frame (source size)
// where the alpha says, by the Lite engine's compositeFill (bilinear from working size, and every
// pixel with alpha 0 copied byte for byte). "Full frame" is the reference's output: the generated
// picture everywhere, resized to the source size.
import { compositeFill } from '../../lite/fill/composite';
import type { GrayImage } from '../../lite/types';
import type { Frame } from '../../media/types';

/** The generated frame (interleaved RGB 0..255 floats at width x height) rounded to bytes. */
export function roundedFill(rgb: Float32Array, width: number, height: number): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) data[i] = Math.round(rgb[i]);
  return { width, height, data };
}

export function compositeFrame(source: Frame, fill: Float32Array, fillWidth: number, fillHeight: number, alpha: GrayImage, fullFrame: boolean): Frame {
  const { width, height } = source;
  const a = fullFrame ? { width, height, data: new Uint8Array(width * height).fill(255) } : alpha;
  const out = compositeFill({ width, height, data: source.data }, roundedFill(fill, fillWidth, fillHeight), a);
  return { ...source, data: out.data };
}
