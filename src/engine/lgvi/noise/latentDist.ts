// The VAE encoder returns a diagonal Gaussian per latent element (mean, log-variance); the LGVI
// reference encodes the source clip with a *sample* of it, not its mean, and then multiplies by the
// latent scale factor (0.18215 for SD 1.x). The clamp of the log-variance to [-30, 20] is what
// diffusers' DiagonalGaussianDistribution applies, so an export that left it out still samples the same.
import { checkSameLength } from './sameLength';

export const LOGVAR_MIN = -30;
export const LOGVAR_MAX = 20;

export interface LatentSampleOptions {
  /** Multiplies the sample (the pack's `working.latentScale`); default 1, i.e. unscaled. */
  scale?: number;
  /** Where to write; default a new array. May be `mean`, `logvar` or `noise` itself. */
  out?: Float32Array;
}

/** z = (mean + exp(logvar / 2) * noise) * scale, elementwise, with logvar clamped to [-30, 20]. */
export function sampleLatentDist(
  mean: Float32Array,
  logvar: Float32Array,
  noise: Float32Array,
  options: LatentSampleOptions = {},
): Float32Array {
  checkSameLength('sampleLatentDist', { mean, logvar, noise, ...(options.out ? { out: options.out } : {}) });
  const scale = options.scale ?? 1;
  const out = options.out ?? new Float32Array(mean.length);
  for (let i = 0; i < mean.length; i++) {
    const lv = Math.min(LOGVAR_MAX, Math.max(LOGVAR_MIN, logvar[i]));
    out[i] = (mean[i] + Math.exp(0.5 * lv) * noise[i]) * scale;
  }
  return out;
}
