// Independent float64 statements of the published formulas the scheduler tests check against.
// Written from the papers, not from src/: the noise schedule in the DDPM/LDM form, the VP
// quantities α_t = sqrt(ᾱ_t), σ_t = sqrt(1 - ᾱ_t), and the VE noise level s_t = σ_t / α_t.

/** Stable Diffusion 1.x's scheduler_config.json values (scaled_linear, 1000 steps). */
export const SD_SCHEDULE = { num_train_timesteps: 1000, beta_start: 0.00085, beta_end: 0.012, beta_schedule: 'scaled_linear' } as const;

/** The SD DDIM config as diffusers writes it for SD 1.x checkpoints. */
export const SD_DDIM = {
  _class_name: 'DDIMScheduler',
  ...SD_SCHEDULE,
  clip_sample: false,
  prediction_type: 'epsilon',
  set_alpha_to_one: false,
  steps_offset: 1,
  timestep_spacing: 'leading',
} as const;

/** ᾱ_t for the scaled_linear schedule: β_k = (sqrt(b0) + k/(N-1)·(sqrt(b1) - sqrt(b0)))², ᾱ_t = Π_{k<=t}(1 - β_k). */
export function sdAlphaBar(n = 1000, b0 = 0.00085, b1 = 0.012): number[] {
  const out: number[] = [];
  let product = 1;
  for (let k = 0; k < n; k++) {
    const root = Math.sqrt(b0) + (k / (n - 1)) * (Math.sqrt(b1) - Math.sqrt(b0));
    product *= 1 - root * root;
    out.push(product);
  }
  return out;
}

/** Karras' σ (variance-exploding noise level) of a training timestep: sqrt((1 - ᾱ) / ᾱ). */
export const veSigma = (alphaBar: number): number => Math.sqrt((1 - alphaBar) / alphaBar);

/** σ at a fractional timestep by linear interpolation between the integer timesteps around it. */
export function veSigmaAt(alphaBar: readonly number[], t: number): number {
  const i = Math.floor(t);
  const lo = veSigma(alphaBar[i]);
  return i === t ? lo : lo + (veSigma(alphaBar[i + 1]) - lo) * (t - i);
}

/**
 * A toy denoiser that is exactly optimal for data x0 ~ N(0, d²) per element: given the VP model
 * input x_vp at VE noise level s (α = 1/sqrt(s²+1)), the posterior means are
 *   E[x0 | x] = d²/(d²+s²) · x_ve,   E[ε | x] = s/(d²+s²) · x_ve,   x_ve = x_vp / α,
 * so the ideal ε-prediction is ε = x_vp · s / (α (d² + s²)) and the ideal v-prediction
 * v = α ε - σ_vp x0 = x_vp · s (1 - d²) / (d² + s²). Returns that factor c (model = c · input).
 */
export function toyModelFactor(prediction: 'epsilon' | 'v_prediction', s: number, d: number): number {
  const alpha = 1 / Math.sqrt(s * s + 1);
  return prediction === 'epsilon' ? s / (alpha * (d * d + s * s)) : (s * (1 - d * d)) / (d * d + s * s);
}

/**
 * The probability-flow ODE for that data, dx/ds = (x - E[x0|x]) / s = s·x / (d² + s²) in VE form,
 * solves to x(s) ∝ sqrt(d² + s²): the exact ratio between the VE sample at noise s_from and s_to.
 */
export const exactVeRatio = (sFrom: number, sTo: number, d: number): number => Math.sqrt(d * d + sTo * sTo) / Math.sqrt(d * d + sFrom * sFrom);
