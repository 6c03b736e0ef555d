/**
 * The first frame as LLaVA's CLIP vision tower sees it, as the reference's image processor makes
 * it: resize so the short side is `size` with PIL's bicubic filter (which widens its support by the
 * downscale factor, i.e. antialiases), round to 8 bits, centre-crop `size` x `size`, scale to
 * [0, 1] and normalise by CLIP's mean and std, laid out NCHW.
 *
 * The resize is PIL's algorithm in floating point, a horizontal pass then a vertical one, each
 * rounded and clipped to 8 bits as PIL does for 8-bit images; PIL's fixed-point coefficients make
 * it differ from this by at most 1 in 0..255.
 */
import type { RgbImage } from '../lite/types';

/** PIL's bicubic kernel (a = -0.5). */
function bicubic(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

interface Taps {
  first: Int32Array;
  count: Int32Array;
  weights: Float64Array;
  width: number;
}

/** For each output index: the first input index, how many, and their normalised weights. */
function taps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale;
  const width = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * width);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const lo = Math.max(Math.trunc(centre - support + 0.5), 0);
    const hi = Math.min(Math.trunc(centre + support + 0.5), inSize);
    let sum = 0;
    for (let i = lo; i < hi; i++) {
      const w = bicubic((i - centre + 0.5) / filterScale);
      weights[o * width + (i - lo)] = w;
      sum += w;
    }
    for (let i = lo; i < hi; i++) if (sum !== 0) weights[o * width + (i - lo)] /= sum;
    first[o] = lo;
    count[o] = hi - lo;
  }
  return { first, count, weights, width };
}

const clip8 = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/** PIL-style bicubic resize of packed RGB, 8 bits in and out. */
export function resizeBicubicPil(src: RgbImage, width: number, height: number): RgbImage {
  const h = taps(src.width, width);
  const mid = new Uint8Array(width * src.height * 3);
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < h.count[x]; k++) {
        const w = h.weights[x * h.width + k];
        const p = (y * src.width + h.first[x] + k) * 3;
        r += w * src.data[p];
        g += w * src.data[p + 1];
        b += w * src.data[p + 2];
      }
      const q = (y * width + x) * 3;
      mid[q] = clip8(r);
      mid[q + 1] = clip8(g);
      mid[q + 2] = clip8(b);
    }
  }
  const v = taps(src.height, height);
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < v.count[y]; k++) {
        const w = v.weights[y * v.width + k];
        const p = ((v.first[y] + k) * width + x) * 3;
        r += w * mid[p];
        g += w * mid[p + 1];
        b += w * mid[p + 2];
      }
      const q = (y * width + x) * 3;
      out[q] = clip8(r);
      out[q + 1] = clip8(g);
      out[q + 2] = clip8(b);
    }
  }
  return { width, height, data: out };
}

/** The size the short side-resize gives (transformers truncates the long side). */
export function shortSideSize(width: number, height: number, size: number): { width: number; height: number } {
  return width <= height ? { width: size, height: Math.trunc((size * height) / width) } : { width: Math.trunc((size * width) / height), height: size };
}

/** pixel_values [1, 3, size, size] for the vision tower. */
export function clipPixelValues(frame: RgbImage, size: number, mean: readonly number[], std: readonly number[]): Float32Array {
  const resized = resizeBicubicPil(frame, ...(Object.values(shortSideSize(frame.width, frame.height, size)) as [number, number]));
  const top = Math.trunc((resized.height - size) / 2);
  const left = Math.trunc((resized.width - size) / 2);
  const out = new Float32Array(3 * size * size);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const v = resized.data[((top + y) * resized.width + left + x) * 3 + c] / 255;
        out[(c * size + y) * size + x] = (v - mean[c]) / std[c];
      }
    }
  }
  return out;
}

export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;
