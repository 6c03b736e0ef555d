// Bilinear resampling with half-pixel centres and no antialiasing: what the LGVI reference uses to
// bring frames to the working size (torch's interpolate(mode="bilinear", align_corners=False)),
// and what the engine uses to bring the mask head's output back up to the source size. Taps are
// computed once per axis, so a 1080p frame costs two multiply-adds per sample and channel.

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

/**
 * Resamples an image of `channels` interleaved values per pixel (any numeric array) to
 * dstWidth x dstHeight, calling `put(index, value)` for each output value (index = pixel * channels
 * + channel), so callers choose the output layout and value mapping without an extra copy.
 */
export function resampleBilinear(
  src: ArrayLike<number>,
  srcWidth: number,
  srcHeight: number,
  channels: number,
  dstWidth: number,
  dstHeight: number,
  put: (index: number, value: number) => void,
): void {
  const xs = bilinearTaps(srcWidth, dstWidth);
  const ys = bilinearTaps(srcHeight, dstHeight);
  for (let y = 0; y < dstHeight; y++) {
    const r0 = ys.lo[y] * srcWidth;
    const r1 = ys.hi[y] * srcWidth;
    const fy = ys.frac[y];
    for (let x = 0; x < dstWidth; x++) {
      const c0 = xs.lo[x];
      const c1 = xs.hi[x];
      const fx = xs.frac[x];
      const o = (y * dstWidth + x) * channels;
      for (let c = 0; c < channels; c++) {
        const a = src[(r0 + c0) * channels + c];
        const b = src[(r0 + c1) * channels + c];
        const d = src[(r1 + c0) * channels + c];
        const e = src[(r1 + c1) * channels + c];
        const top = a + (b - a) * fx;
        const bottom = d + (e - d) * fx;
        put(o + c, top + (bottom - top) * fy);
      }
    }
  }
}
