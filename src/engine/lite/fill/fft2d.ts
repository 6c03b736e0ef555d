/**
 * In-place radix-2 complex FFT, one dimension and two, for the phase correlation that finds a
 * frame's shift: O(n log n) scores every shift at once where a direct search is O(n²). Sizes must
 * be powers of two (callers pad).
 */

/** Transforms `n` complex values (re[off + k*stride], im[...]) in place; inverse when `inverse` (unscaled). */
function fft1d(re: Float64Array, im: Float64Array, off: number, stride: number, n: number, inverse: boolean): void {
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const a = off + i * stride;
      const b = off + j * stride;
      let t = re[a];
      re[a] = re[b];
      re[b] = t;
      t = im[a];
      im[a] = im[b];
      im[b] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len >> 1; k++) {
        const a = off + (i + k) * stride;
        const b = off + (i + k + (len >> 1)) * stride;
        const xr = re[b] * cr - im[b] * ci;
        const xi = re[b] * ci + im[b] * cr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = nr;
      }
    }
  }
}

/** 2D FFT of a width x height (both powers of two) row-major complex image, in place; inverse is unscaled. */
export function fft2d(re: Float64Array, im: Float64Array, width: number, height: number, inverse = false): void {
  if (width & (width - 1) || height & (height - 1)) throw new Error(`fft2d: ${width}x${height} is not a power of two`);
  for (let y = 0; y < height; y++) fft1d(re, im, y * width, 1, width, inverse);
  for (let x = 0; x < width; x++) fft1d(re, im, x, width, height, inverse);
}

/** Smallest power of two ≥ n. */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}
