// The noise-level spacing of Karras et al. 2022 (eq. 5, ρ = 7), which "… Karras" samplers use in
// place of spacing timesteps: σ_i = (σ_max^(1/ρ) + i/(S-1) · (σ_min^(1/ρ) - σ_max^(1/ρ)))^ρ. More
// of the steps land at low noise, where detail forms. The U-Net still takes a timestep, so each σ
// is mapped back to a (fractional) training timestep by interpolating ln σ, as diffusers does.
import { linspace } from './timestepSpacing';

const RHO = 7;

/** S noise levels from σ_max down to σ_min. */
export function karrasNoiseLevels(sigmaMin: number, sigmaMax: number, steps: number): number[] {
  const minInvRho = sigmaMin ** (1 / RHO);
  const maxInvRho = sigmaMax ** (1 / RHO);
  return linspace(0, 1, steps).map((ramp) => (maxInvRho + ramp * (minInvRho - maxInvRho)) ** RHO);
}

/**
 * The fractional training timestep whose σ is `sigma`: linear interpolation of ln σ between the two
 * neighbouring training timesteps, clamped to [0, N-1]. `trainingSigmas` rises with t.
 */
export function timestepForSigma(trainingSigmas: Float64Array, sigma: number): number {
  const logSigma = Math.log(Math.max(sigma, 1e-10));
  const last = trainingSigmas.length - 1;
  // The last t whose ln σ_t is at or below ln σ (0 if none), kept below the end so t+1 exists.
  let low = 0;
  while (low + 1 < last && Math.log(trainingSigmas[low + 1]) <= logSigma) low++;
  const lowLog = Math.log(trainingSigmas[low]);
  const highLog = Math.log(trainingSigmas[low + 1]);
  const w = Math.min(1, Math.max(0, (lowLog - logSigma) / (lowLog - highLog)));
  return (1 - w) * low + w * (low + 1);
}
