import { sampleBilinear, type FloatImage } from './floatImage';
import type { Homography } from './homography';

/**
 * How well a homography explains a pair of frames: the mean absolute difference between frame a
 * and frame b sampled where the homography puts each of a's pixels, over pixels that neither
 * frame masks. Corner tracks can agree on a wrong motion (on repetitive texture every corner is
 * fooled the same way, so RANSAC finds many inliers); the pictures themselves cannot: a motion one
 * slat off leaves every slat edge, frame edge and shading mismatch in this sum.
 */
export interface Residual {
  /** Mean absolute difference over the compared pixels (the images' units); Infinity when too few compare. */
  mean: number;
  /** Pixels compared. */
  count: number;
}

/**
 * `h` maps a's pixels to b's (both images at the same scale as `h`); `blockedA`/`blockedB`
 * (nullable, image-sized) mark pixels that may not be compared. Samples every `step`-th pixel.
 */
export function alignmentResidual(
  a: FloatImage,
  b: FloatImage,
  h: Homography,
  blockedA: Uint8Array | null,
  blockedB: Uint8Array | null,
  step = 2,
): Residual {
  const { width: w, height: hh } = a;
  const bw = b.width;
  const bh = b.height;
  let sum = 0;
  let n = 0;
  for (let y = 0; y < hh; y += step) {
    for (let x = 0; x < w; x += step) {
      const i = y * w + x;
      if (blockedA && blockedA[i]) continue;
      const z = h[6] * x + h[7] * y + h[8];
      const qx = (h[0] * x + h[1] * y + h[2]) / z;
      const qy = (h[3] * x + h[4] * y + h[5]) / z;
      if (!(qx >= 0 && qy >= 0 && qx <= bw - 1 && qy <= bh - 1)) continue;
      if (blockedB && blockedB[Math.round(qy) * bw + Math.round(qx)]) continue;
      sum += Math.abs(a.data[i] - sampleBilinear(b, qx, qy));
      n++;
    }
  }
  // A tenth of the sampled frame is the least overlap worth judging a motion by.
  const enough = (0.1 * w * hh) / (step * step);
  return { mean: n >= enough ? sum / n : Infinity, count: n };
}
