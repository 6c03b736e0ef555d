// Composite masks besides the mask head's: where the generated frame differs from the VAE's
// reconstruction of the source. The reference never uses the mask head at inference (it keeps the
// whole regenerated clip), and a weak or untrained head marks too little; the model's own change
// to the picture is a second witness of what it removed. Compared with the reconstruction, not the
// source, so the VAE's own loss (fine texture, small text) does not count as a change: the
// threshold is measured per window from that loss, the reconstruction against the source.
import { resampleBilinear } from '../../image/bilinear';

/** Which mask the generated pixels replace the source through (full frame is RemovalSettings.fullFrame). */
export const COMPOSITE_MASKS = ['head', 'difference', 'union'] as const;
export type CompositeMask = (typeof COMPOSITE_MASKS)[number];

/** The reconstruction error's quantile taken as the VAE's own loss. */
const LOSS_QUANTILE = 0.99;
/** Never below this (0..255): a change smaller than this is compression-level noise. */
const MIN_THRESHOLD = 6;

/** The largest of the three channels' absolute differences, per pixel, of two interleaved RGB images. */
function channelMaxDiff(a: Float32Array, b: Float32Array, out: Float32Array): Float32Array {
  for (let p = 0, i = 0; p < out.length; p++, i += 3) {
    const r = Math.abs(a[i] - b[i]);
    const g = Math.abs(a[i + 1] - b[i + 1]);
    const bl = Math.abs(a[i + 2] - b[i + 2]);
    out[p] = r > g ? (r > bl ? r : bl) : g > bl ? g : bl;
  }
  return out;
}

/**
 * The change threshold (0..255) for a window: the VAE's reconstruction error's 99th percentile
 * over the window's frames (reconstruction vs source, both interleaved RGB in 0..255 at working
 * size), and at least MIN_THRESHOLD.
 */
export function reconstructionThreshold(reconstructions: readonly Float32Array[], sources: readonly Float32Array[]): number {
  if (reconstructions.length !== sources.length || reconstructions.length === 0) throw new Error('reconstructionThreshold: one source per reconstruction');
  const pixels = reconstructions[0].length / 3;
  // A histogram of whole levels is exact enough for a quantile and needs no sort of every pixel.
  const histogram = new Float64Array(257);
  const diff = new Float32Array(pixels);
  for (let f = 0; f < reconstructions.length; f++) {
    channelMaxDiff(reconstructions[f], sources[f], diff);
    for (let p = 0; p < pixels; p++) histogram[Math.min(256, Math.ceil(diff[p]))]++;
  }
  const wanted = LOSS_QUANTILE * pixels * reconstructions.length;
  let seen = 0;
  for (let level = 0; level <= 256; level++) {
    seen += histogram[level];
    if (seen >= wanted) return Math.max(MIN_THRESHOLD, level);
  }
  return 256;
}

/**
 * The soft difference mask in [0, 1] (working size): 0 up to the threshold, rising to 1 at twice
 * it, so a change well above the VAE's loss is replaced fully and one near it fades in.
 */
export function differenceMask(generated: Float32Array, reconstruction: Float32Array, threshold: number): Float32Array {
  const out = channelMaxDiff(generated, reconstruction, new Float32Array(generated.length / 3));
  for (let p = 0; p < out.length; p++) {
    const v = (out[p] - threshold) / threshold;
    out[p] = v <= 0 ? 0 : v >= 1 ? 1 : v;
  }
  return out;
}

/**
 * The frame's composite mask at working size: the head's (resampled from its own size), the
 * difference mask, or their union (the larger of the two at each pixel).
 */
export function compositeMask(
  mode: Exclude<CompositeMask, 'head'>,
  head: Float32Array,
  headSize: { width: number; height: number },
  difference: Float32Array,
  size: { width: number; height: number },
): Float32Array {
  if (mode === 'difference') return difference;
  const same = headSize.width === size.width && headSize.height === size.height;
  const out = same ? Float32Array.from(head) : resampleBilinear(head, headSize.width, headSize.height, 1, size.width, size.height);
  for (let p = 0; p < out.length; p++) if (difference[p] > out[p]) out[p] = difference[p];
  return out;
}

/** Fraction of the mask at or above `threshold` (0.5: the composite's own cut). */
export function maskCoverage(mask: Float32Array, threshold = 0.5): number {
  let n = 0;
  for (let p = 0; p < mask.length; p++) if (mask[p] >= threshold) n++;
  return n / Math.max(1, mask.length);
}
