import type { GrayImage } from '../image/grayImage';

/**
 * Per-frame quality measures of a removal against ground truth: squared error (for PSNR), SSIM and
 * flicker, each over a region (the hole, or the whole frame when the region is null). Sums and
 * counts are returned rather than means so a clip's figure pools its frames' pixels.
 */

/** Packed RGB24, row-major (the engines' frames have this layout). */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

function lumaPlane(img: RgbImage): Float64Array {
  const n = img.width * img.height;
  const out = new Float64Array(n);
  const d = img.data;
  for (let i = 0; i < n; i++) out[i] = 0.299 * d[3 * i] + 0.587 * d[3 * i + 1] + 0.114 * d[3 * i + 2];
  return out;
}

/** Squared error summed over RGB of the region's pixels (all when null), and how many values went in. */
export function holeSquaredError(out: RgbImage, truth: RgbImage, hole: GrayImage | null): { sum: number; count: number } {
  let sum = 0;
  let count = 0;
  const n = out.width * out.height;
  for (let i = 0; i < n; i++) {
    if (hole && !hole.data[i]) continue;
    for (let ch = 0; ch < 3; ch++) {
      const d = out.data[3 * i + ch] - truth.data[3 * i + ch];
      sum += d * d;
    }
    count += 3;
  }
  return { sum, count };
}

/** PSNR (dB, 8-bit peak) from an accumulated squared error; Infinity for a perfect match. */
export function psnrFrom(sum: number, count: number): number {
  if (count === 0) return NaN;
  const mse = sum / count;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/**
 * SSIM (Wang et al. 2004) on luma with the standard 11x11 Gaussian window (σ = 1.5, K1 = 0.01,
 * K2 = 0.03). Returns the SSIM map's mean over `region` pixels (all pixels when null).
 */
export function ssimLuma(a: RgbImage, b: RgbImage, region: GrayImage | null): { sum: number; count: number } {
  const { width: w, height: h } = a;
  const x = lumaPlane(a);
  const y = lumaPlane(b);
  const radius = 5;
  const g = new Float64Array(2 * radius + 1);
  let gs = 0;
  for (let k = -radius; k <= radius; k++) gs += g[k + radius] = Math.exp(-(k * k) / (2 * 1.5 * 1.5));
  for (let k = 0; k < g.length; k++) g[k] /= gs;
  const blur = (src: Float64Array): Float64Array => {
    const tmp = new Float64Array(w * h);
    const out = new Float64Array(w * h);
    for (let yy = 0; yy < h; yy++) {
      for (let xx = 0; xx < w; xx++) {
        let s = 0;
        for (let k = -radius; k <= radius; k++) s += g[k + radius] * src[yy * w + Math.min(w - 1, Math.max(0, xx + k))];
        tmp[yy * w + xx] = s;
      }
    }
    for (let yy = 0; yy < h; yy++) {
      for (let xx = 0; xx < w; xx++) {
        let s = 0;
        for (let k = -radius; k <= radius; k++) s += g[k + radius] * tmp[Math.min(h - 1, Math.max(0, yy + k)) * w + xx];
        out[yy * w + xx] = s;
      }
    }
    return out;
  };
  const xx2 = new Float64Array(w * h);
  const yy2 = new Float64Array(w * h);
  const xy = new Float64Array(w * h);
  for (let i = 0; i < w * h; i++) {
    xx2[i] = x[i] * x[i];
    yy2[i] = y[i] * y[i];
    xy[i] = x[i] * y[i];
  }
  const mx = blur(x);
  const my = blur(y);
  const sxx = blur(xx2);
  const syy = blur(yy2);
  const sxy = blur(xy);
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < w * h; i++) {
    if (region && !region.data[i]) continue;
    const vx = sxx[i] - mx[i] * mx[i];
    const vy = syy[i] - my[i] * my[i];
    const cov = sxy[i] - mx[i] * my[i];
    sum +=
      ((2 * mx[i] * my[i] + c1) * (2 * cov + c2)) / ((mx[i] * mx[i] + my[i] * my[i] + c1) * (vx + vy + c2));
    count++;
  }
  return { sum, count };
}

/**
 * Flicker between frames t-1 and t: mean |Δ output − Δ truth| of luma over pixels in either hole
 * (every pixel when both holes are null).
 * A fill that is right but unstable (each frame invented anew) scores high even when each frame
 * alone looks plausible; the truth's own change (camera motion) is not counted against it.
 */
export function flickerBetween(
  outPrev: RgbImage,
  out: RgbImage,
  truthPrev: RgbImage,
  truth: RgbImage,
  holePrev: GrayImage | null,
  hole: GrayImage | null,
): { sum: number; count: number } {
  let sum = 0;
  let count = 0;
  const o0 = outPrev.data;
  const o1 = out.data;
  const t0 = truthPrev.data;
  const t1 = truth.data;
  const n = out.width * out.height;
  for (let i = 0; i < n; i++) {
    if (hole && holePrev && !hole.data[i] && !holePrev.data[i]) continue;
    const j = 3 * i;
    const dOut = 0.299 * (o1[j] - o0[j]) + 0.587 * (o1[j + 1] - o0[j + 1]) + 0.114 * (o1[j + 2] - o0[j + 2]);
    const dTruth = 0.299 * (t1[j] - t0[j]) + 0.587 * (t1[j + 1] - t0[j + 1]) + 0.114 * (t1[j + 2] - t0[j + 2]);
    sum += Math.abs(dOut - dTruth);
    count++;
  }
  return { sum, count };
}
