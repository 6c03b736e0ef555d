import type { GrayImage, RgbImage } from '../types';

/**
 * Resizing between source and working resolution. Frames are shrunk with an area (box) filter so
 * fine texture averages instead of aliasing; masks are shrunk conservatively (a working pixel is a
 * hole when any source pixel under it is) so no object pixel escapes the fill.
 */

/** Working size: the long side capped at `maxSide`, aspect kept. */
export function workingSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const s = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}

/** Area-average downscale of an RGB image (any ratio ≥ 1). */
export function shrinkRgb(img: RgbImage, width: number, height: number): RgbImage {
  if (width === img.width && height === img.height) return img;
  const sx = img.width / width;
  const sy = img.height / height;
  const sw = img.width;
  const src = img.data;
  // Horizontal pass into a float buffer, then vertical, each with fractional box coverage.
  const tmp = new Float32Array(width * img.height * 3);
  const xs = spans(img.width, width, sx);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < width; x++) {
      let a = 0;
      let b = 0;
      let c = 0;
      for (let k = xs.start[x]; k < xs.end[x]; k++) {
        const wgt = coverage(k, x * sx, (x + 1) * sx);
        const j = (y * sw + k) * 3;
        a += wgt * src[j];
        b += wgt * src[j + 1];
        c += wgt * src[j + 2];
      }
      const o = (y * width + x) * 3;
      tmp[o] = a / sx;
      tmp[o + 1] = b / sx;
      tmp[o + 2] = c / sx;
    }
  }
  const out = new Uint8Array(width * height * 3);
  const ys = spans(img.height, height, sy);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let a = 0;
      let b = 0;
      let c = 0;
      for (let k = ys.start[y]; k < ys.end[y]; k++) {
        const wgt = coverage(k, y * sy, (y + 1) * sy);
        const j = (k * width + x) * 3;
        a += wgt * tmp[j];
        b += wgt * tmp[j + 1];
        c += wgt * tmp[j + 2];
      }
      const o = (y * width + x) * 3;
      out[o] = Math.round(a / sy);
      out[o + 1] = Math.round(b / sy);
      out[o + 2] = Math.round(c / sy);
    }
  }
  return { width, height, data: out };
}

function spans(srcLen: number, dstLen: number, s: number) {
  const start = new Int32Array(dstLen);
  const end = new Int32Array(dstLen);
  for (let i = 0; i < dstLen; i++) {
    start[i] = Math.floor(i * s);
    end[i] = Math.min(srcLen, Math.ceil((i + 1) * s));
  }
  return { start, end };
}

/** Length of [k, k+1) inside [a, b). */
function coverage(k: number, a: number, b: number): number {
  return Math.max(0, Math.min(k + 1, b) - Math.max(k, a));
}

/** Downscale of a mask where a working pixel takes the maximum of the source pixels it covers. */
export function shrinkMask(mask: GrayImage, width: number, height: number): GrayImage {
  if (width === mask.width && height === mask.height) return mask;
  const sx = mask.width / width;
  const sy = mask.height / height;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * sy);
    const y1 = Math.min(mask.height, Math.ceil((y + 1) * sy));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * sx);
      const x1 = Math.min(mask.width, Math.ceil((x + 1) * sx));
      let m = 0;
      for (let yy = y0; yy < y1; yy++) {
        for (let xx = x0; xx < x1; xx++) {
          const v = mask.data[yy * mask.width + xx];
          if (v > m) m = v;
        }
      }
      out[y * width + x] = m;
    }
  }
  return { width, height, data: out };
}
