import { downsample2x, gradients, sampleBilinear, type FloatImage } from './floatImage';

/**
 * Pyramidal Lucas-Kanade point tracking (Bouguet's formulation): each point's displacement is
 * solved coarse to fine, so motions of tens of pixels are found with a small window while the
 * finest level gives sub-pixel precision. Tracking only a few hundred corners keeps alignment cheap
 * on two cores compared with dense optical flow, and a global homography needs no more.
 */
export interface Pyramid {
  levels: { img: FloatImage; gx: FloatImage; gy: FloatImage }[];
}

export function buildPyramid(luma: FloatImage, levelCount = 4): Pyramid {
  const levels: Pyramid['levels'] = [];
  let img = luma;
  for (let l = 0; l < levelCount; l++) {
    levels.push({ img, ...gradients(img) });
    if (img.width < 40 || img.height < 40) break;
    img = downsample2x(img);
  }
  return { levels };
}

export interface TrackResult {
  /** Tracked positions in the second image, [x0, y0, x1, y1, ...]. */
  points: Float64Array;
  /** 1 where the track converged inside the image. */
  ok: Uint8Array;
}

export function trackPoints(
  from: Pyramid,
  to: Pyramid,
  points: Float64Array,
  options: {
    radius?: number;
    iterations?: number;
    /** Starting positions in `to` (default: the points themselves). */
    initial?: Float64Array;
    /**
     * Coarsest pyramid level used (default: all). A precise starting guess needs only the fine
     * levels; the coarse ones can pull a point off it to a look-alike on repetitive texture.
     */
    maxLevel?: number;
  } = {},
): TrackResult {
  const r = options.radius ?? 7;
  const iterations = options.iterations ?? 12;
  const n = points.length / 2;
  const out = new Float64Array(points.length);
  const ok = new Uint8Array(n);
  const side = 2 * r + 1;
  const tpl = new Float32Array(side * side);
  const tx = new Float32Array(side * side);
  const ty = new Float32Array(side * side);
  const levels = Math.min(from.levels.length, to.levels.length, (options.maxLevel ?? Infinity) + 1);
  for (let p = 0; p < n; p++) {
    const px = points[2 * p];
    const py = points[2 * p + 1];
    // Guess carried down the pyramid, in the current level's pixels.
    const top = 2 ** (levels - 1);
    let gxs = options.initial ? (options.initial[2 * p] - px) / top : 0;
    let gys = options.initial ? (options.initial[2 * p + 1] - py) / top : 0;
    let good = true;
    for (let l = levels - 1; l >= 0 && good; l--) {
      const scale = 2 ** l;
      const A = from.levels[l];
      const B = to.levels[l];
      const cx = px / scale;
      const cy = py / scale;
      let g11 = 0;
      let g12 = 0;
      let g22 = 0;
      for (let v = -r, k = 0; v <= r; v++) {
        for (let u = -r; u <= r; u++, k++) {
          tpl[k] = sampleBilinear(A.img, cx + u, cy + v);
          const ix = sampleBilinear(A.gx, cx + u, cy + v);
          const iy = sampleBilinear(A.gy, cx + u, cy + v);
          tx[k] = ix;
          ty[k] = iy;
          g11 += ix * ix;
          g12 += ix * iy;
          g22 += iy * iy;
        }
      }
      const det = g11 * g22 - g12 * g12;
      if (det < 1e-6 * side * side) {
        good = false;
        break;
      }
      let dx = 0;
      let dy = 0;
      for (let it = 0; it < iterations; it++) {
        let b1 = 0;
        let b2 = 0;
        const qx = cx + gxs + dx;
        const qy = cy + gys + dy;
        for (let v = -r, k = 0; v <= r; v++) {
          for (let u = -r; u <= r; u++, k++) {
            const diff = tpl[k] - sampleBilinear(B.img, qx + u, qy + v);
            b1 += diff * tx[k];
            b2 += diff * ty[k];
          }
        }
        const ddx = (g22 * b1 - g12 * b2) / det;
        const ddy = (g11 * b2 - g12 * b1) / det;
        dx += ddx;
        dy += ddy;
        if (ddx * ddx + ddy * ddy < 1e-4) break;
      }
      gxs += dx;
      gys += dy;
      if (l > 0) {
        gxs *= 2;
        gys *= 2;
      }
    }
    const qx = px + gxs;
    const qy = py + gys;
    out[2 * p] = qx;
    out[2 * p + 1] = qy;
    const w0 = from.levels[0].img.width;
    const h0 = from.levels[0].img.height;
    ok[p] = good && Number.isFinite(qx) && Number.isFinite(qy) && qx >= 0 && qy >= 0 && qx <= w0 - 1 && qy <= h0 - 1 ? 1 : 0;
  }
  return { points: out, ok };
}
