// What the U-Net predicts (`prediction_type`) and how a step turns it into the clean-sample estimate
// x0 and the noise estimate ε. In the variance-preserving form x_t = α·x0 + σ·ε with α² + σ² = 1
// (DDIM: α = sqrt(ᾱ_t), σ = sqrt(1 - ᾱ_t)) both are linear in the sample and the model output m:
//   epsilon:       x0 = (x - σ·m) / α          ε = m
//   v_prediction:  x0 = α·x - σ·m              ε = α·m + σ·x      (v = α·ε - σ·x0, Salimans & Ho 2022)
//   sample:        x0 = m                      ε = (x - α·m) / σ
// so a step needs only these four numbers per timestep, not a per-element branch.

export type PredictionType = 'epsilon' | 'v_prediction' | 'sample';

/** a·sample + b·modelOutput. */
export interface LinearCombination {
  readonly sample: number;
  readonly model: number;
}

export function predictionCoefficients(type: PredictionType, alpha: number, sigma: number): { x0: LinearCombination; eps: LinearCombination } {
  switch (type) {
    case 'epsilon':
      return { x0: { sample: 1 / alpha, model: -sigma / alpha }, eps: { sample: 0, model: 1 } };
    case 'v_prediction':
      return { x0: { sample: alpha, model: -sigma }, eps: { sample: sigma, model: alpha } };
    case 'sample':
      return { x0: { sample: 0, model: 1 }, eps: { sample: 1 / sigma, model: -alpha / sigma } };
  }
}

/**
 * x0 for the Euler schedulers, whose sample is the variance-exploding x = x_t / α with noise level
 * s = σ/α (so α = 1/sqrt(s²+1)): the VP coefficients with the sample term rescaled by α. For
 * epsilon this is diffusers' x0 = x - s·m; for v_prediction, x0 = x/(s²+1) - m·s/sqrt(s²+1).
 */
export function x0FromVarianceExploding(type: PredictionType, noiseLevel: number): LinearCombination {
  const alpha = 1 / Math.sqrt(noiseLevel * noiseLevel + 1);
  const { x0 } = predictionCoefficients(type, alpha, noiseLevel * alpha);
  return { sample: x0.sample * alpha, model: x0.model };
}
