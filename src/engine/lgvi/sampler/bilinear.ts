// Bilinear resampling with half-pixel centres and no antialiasing: what the LGVI reference uses to
// bring frames to the working size (torch's interpolate(mode="bilinear", align_corners=False)),
// and what the engine uses to bring the mask head's output and the generated picture up to the
// source size. Taps are computed once per axis; a destination region can be computed alone (the
// part of a 4K frame a mask covers), with the same values it has in the full-size result.

export interface BilinearTaps {
  /** Lower source index per output index. */
  readonly lo: Int32Array;
  /** Upper source index (lo + 1, or lo at the edge). */
  readonly hi: Int32Array;
  /** Weight of `hi`; `lo` gets 1 - frac. */
  readonly frac: Float32Array;
}

/** Source positions and weights for resampling `srcLen` samples to `dstLen` (half-pixel centres, edges clamped). */
export function bilinearTaps(srcLen: number, dstLen: number): BilinearTaps {
  const lo = new Int32Array(dstLen);
  const hi = new Int32Array(dstLen);
  const frac = new Float32Array(dstLen);
  const scale = srcLen / dstLen;
  for (let i = 0; i < dstLen; i++) {
    const x = Math.min(srcLen - 1, Math.max(0, (i + 0.5) * scale - 0.5));
    const x0 = Math.floor(x);
    lo[i] = x0;
    hi[i] = Math.min(srcLen - 1, x0 + 1);
    frac[i] = x - x0;
  }
  return { lo, hi, frac };
}

/** A rectangle of pixels [x, x + width) x [y, y + height). */
export interface Region {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Resamples an image of 1 or 3 interleaved values per pixel to dstWidth x dstHeight and returns
 * the values of `region` of the result (default: all of it), interleaved, region-sized.
 */
export function resampleBilinear(
  src: Uint8Array | Float32Array,
  srcWidth: number,
  srcHeight: number,
  channels: 1 | 3,
  dstWidth: number,
  dstHeight: number,
  region: Region = { x: 0, y: 0, width: dstWidth, height: dstHeight },
): Float32Array {
  const xs = bilinearTaps(srcWidth, dstWidth);
  const ys = bilinearTaps(srcHeight, dstHeight);
  const out = new Float32Array(region.width * region.height * channels);
  const rowStride = srcWidth * channels;
  const xEnd = region.x + region.width;
  let o = 0;
  for (let y = region.y; y < region.y + region.height; y++) {
    const r0 = ys.lo[y] * rowStride;
    const r1 = ys.hi[y] * rowStride;
    const fy = ys.frac[y];
    const gy = 1 - fy;
    // One loop per channel count (the two the engine uses): the inner loop stays simple enough
    // for the JIT, which matters at 4K (tens of millions of samples per window).
    if (channels === 1) {
      for (let x = region.x; x < xEnd; x++) {
        const c0 = xs.lo[x];
        const c1 = xs.hi[x];
        const fx = xs.frac[x];
        const top = src[r0 + c0] + (src[r0 + c1] - src[r0 + c0]) * fx;
        const bottom = src[r1 + c0] + (src[r1 + c1] - src[r1 + c0]) * fx;
        out[o++] = top * gy + bottom * fy;
      }
    } else {
      for (let x = region.x; x < xEnd; x++) {
        const c0 = xs.lo[x] * 3;
        const c1 = xs.hi[x] * 3;
        const fx = xs.frac[x];
        const gx = 1 - fx;
        for (let c = 0; c < 3; c++) {
          const top = src[r0 + c0 + c] * gx + src[r0 + c1 + c] * fx;
          const bottom = src[r1 + c0 + c] * gx + src[r1 + c1 + c] * fx;
          out[o++] = top * gy + bottom * fy;
        }
      }
    }
  }
  return out;
}
