// One output frame: the generated picture (working size) put over the source frame (source size)
// where the alpha says. The blend rule is the Lite engine's compositeFill (alpha 255 takes the
// fill, 0 keeps the source byte for byte, in between mixes); it runs only on the matte's region,
// with the fill resampled (bilinear, pixel centres) to source pixels there alone, in one pass
// (image/compositeBilinear.ts), and every byte outside the region is the source's, copied.
// "Full frame" is the reference's output: the generated picture everywhere, resized to the
// source size.
import type { Region } from '../../image/bilinear';
import { compositeBilinear } from '../../image/compositeBilinear';
import type { GrayImage } from '../../image/grayImage';
import type { Frame } from '../../media/types';

/**
 * `fill` is interleaved RGB (0..255 floats) at fillWidth x fillHeight; `region` bounds the
 * alpha's non-zero pixels (undefined: none, the source comes back unchanged).
 */
export function compositeFrame(source: Frame, fill: Float32Array, fillWidth: number, fillHeight: number, alpha: GrayImage, region: Region | undefined, fullFrame: boolean): Frame {
  const { width, height } = source;
  const area: Region | undefined = fullFrame ? { x: 0, y: 0, width, height } : region;
  const data = source.data.slice();
  if (!area || area.width === 0 || area.height === 0) return { ...source, data };
  compositeBilinear(data, width, height, { data: fill, width: fillWidth, height: fillHeight }, fullFrame ? undefined : alpha.data, area);
  return { ...source, data };
}
