// One output frame: the generated picture (working size) put over the source frame (source size)
// where the alpha says. The blend rule is the Lite engine's compositeFill (alpha 255 takes the
// fill, 0 keeps the source byte for byte, in between mixes); it runs only on the matte's region,
// with the fill resampled (bilinear, pixel centres) to source pixels over that region alone, and
// every byte outside the region is the source's, copied. "Full frame" is the reference's output:
// the generated picture everywhere, resized to the source size.
import { compositeFill } from '../../lite/fill/composite';
import type { GrayImage } from '../../lite/types';
import type { Frame } from '../../media/types';
import { resampleBilinear, type Region } from '../sampler/bilinear';

function crop(data: Uint8Array, width: number, channels: number, r: Region): Uint8Array {
  const out = new Uint8Array(r.width * r.height * channels);
  const row = r.width * channels;
  for (let y = 0; y < r.height; y++) out.set(data.subarray(((r.y + y) * width + r.x) * channels, ((r.y + y) * width + r.x) * channels + row), y * row);
  return out;
}

/**
 * `fill` is interleaved RGB (0..255 floats) at fillWidth x fillHeight; `region` bounds the
 * alpha's non-zero pixels (undefined: none, the source comes back unchanged).
 */
export function compositeFrame(source: Frame, fill: Float32Array, fillWidth: number, fillHeight: number, alpha: GrayImage, region: Region | undefined, fullFrame: boolean): Frame {
  const { width, height } = source;
  const area: Region | undefined = fullFrame ? { x: 0, y: 0, width, height } : region;
  const data = source.data.slice();
  if (!area || area.width === 0 || area.height === 0) return { ...source, data };
  const fillCrop = resampleBilinear(fill, fillWidth, fillHeight, 3, width, height, area);
  const fillBytes = new Uint8Array(fillCrop.length);
  for (let i = 0; i < fillCrop.length; i++) fillBytes[i] = Math.round(fillCrop[i]);
  const alphaCrop = fullFrame ? new Uint8Array(area.width * area.height).fill(255) : crop(alpha.data, width, 1, area);
  const mixed = compositeFill(
    { width: area.width, height: area.height, data: crop(source.data, width, 3, area) },
    { width: area.width, height: area.height, data: fillBytes },
    { width: area.width, height: area.height, data: alphaCrop },
  );
  const row = area.width * 3;
  for (let y = 0; y < area.height; y++) data.set(mixed.data.subarray(y * row, (y + 1) * row), ((area.y + y) * width + area.x) * 3);
  return { ...source, data };
}
