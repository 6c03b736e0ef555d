// The training noise schedule: betas per training timestep and the cumulative product
// ᾱ_t = Π_{s<=t} (1 - β_s), which every scheduler derives its step coefficients from. Computed in
// float64 from the formulas (diffusers builds them in float32; the two agree to ~1e-6 relative,
// far below what fp16 U-Nets resolve).
import { LacunaError } from '../../util/errors';
import { unsupportedSetting, type SchedulerFields } from './config';
import { linspace } from './timestepSpacing';

export type BetaScheduleName = 'linear' | 'scaled_linear' | 'squaredcos_cap_v2';

export interface BetaScheduleConfig {
  num_train_timesteps: number;
  beta_start: number;
  beta_end: number;
  beta_schedule: BetaScheduleName;
  trained_betas: readonly number[] | null;
}

/** diffusers' constructor defaults, shared by DDIM, Euler, Euler ancestral and DPM-Solver. */
export const BETA_DEFAULTS: BetaScheduleConfig = {
  num_train_timesteps: 1000,
  beta_start: 0.0001,
  beta_end: 0.02,
  beta_schedule: 'linear',
  trained_betas: null,
};

/** The largest beta the cosine schedule allows, to keep ᾱ away from 0 at the end (Nichol & Dhariwal 2021). */
const COSINE_MAX_BETA = 0.999;

/** The noise-schedule part of a config, with defaults; refuses zero-terminal-SNR rescaling. */
export function betaScheduleConfig(className: string, fields: SchedulerFields): BetaScheduleConfig {
  if (fields.rescale_betas_zero_snr) throw unsupportedSetting(className, 'rescale_betas_zero_snr', true, 'false');
  const config: BetaScheduleConfig = {
    num_train_timesteps: fields.num_train_timesteps ?? BETA_DEFAULTS.num_train_timesteps,
    beta_start: fields.beta_start ?? BETA_DEFAULTS.beta_start,
    beta_end: fields.beta_end ?? BETA_DEFAULTS.beta_end,
    beta_schedule: fields.beta_schedule ?? BETA_DEFAULTS.beta_schedule,
    trained_betas: fields.trained_betas ?? null,
  };
  if (config.trained_betas && config.trained_betas.length !== config.num_train_timesteps) {
    throw new LacunaError(
      'MODEL_PACK_INVALID',
      `scheduler.trained_betas has ${config.trained_betas.length} values but scheduler.num_train_timesteps is ${config.num_train_timesteps}`,
      'Give one beta per training timestep, or remove trained_betas to use beta_schedule.',
    );
  }
  return config;
}

/** Glide's cosine ᾱ(t) for t in [0, 1], with its small offset s = 0.008. */
function cosineAlphaBar(t: number): number {
  const c = Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2));
  return c * c;
}

/** β_0 .. β_{N-1}. */
export function betas(config: BetaScheduleConfig): Float64Array {
  const n = config.num_train_timesteps;
  if (config.trained_betas) return Float64Array.from(config.trained_betas);
  switch (config.beta_schedule) {
    case 'linear':
      return Float64Array.from(linspace(config.beta_start, config.beta_end, n));
    case 'scaled_linear':
      // Latent diffusion's schedule: linear in sqrt(beta).
      return Float64Array.from(linspace(Math.sqrt(config.beta_start), Math.sqrt(config.beta_end), n), (r) => r * r);
    case 'squaredcos_cap_v2': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.min(1 - cosineAlphaBar((i + 1) / n) / cosineAlphaBar(i / n), COSINE_MAX_BETA);
      return out;
    }
  }
}

/** ᾱ_t = Π_{s<=t} (1 - β_s) for t = 0 .. N-1. */
export function alphasCumprod(config: BetaScheduleConfig): Float64Array {
  const b = betas(config);
  const out = new Float64Array(b.length);
  let product = 1;
  for (let i = 0; i < b.length; i++) {
    product *= 1 - b[i];
    out[i] = product;
  }
  return out;
}
