// What the Euler and Euler-ancestral schedulers share (Karras et al. 2022, alg. 2, in diffusers'
// discretisation): they integrate in the variance-exploding form x = x0 + σ·ε, with σ at each run
// timestep interpolated from the training table σ_t = sqrt((1-ᾱ_t)/ᾱ_t) and a final σ of 0; the
// U-Net, trained on x_t = α·x0 + σ_vp·ε, is fed x / sqrt(σ² + 1), and the initial noise has standard
// deviation max σ (or sqrt(max σ² + 1) for "leading" spacing, as diffusers has it). With
// use_karras_sigmas (EulerDiscreteScheduler only) the σ are spaced as Karras et al. instead and the
// timesteps follow from them (./karrasSigmas).
import { alphasCumprod, betaScheduleConfig, type BetaScheduleConfig } from './betaSchedule';
import { BETA_FIELDS, readSchedulerConfig, unsupportedSetting, type SchedulerField, type SchedulerFields } from './config';
import type { PredictionType } from './prediction';
import { karrasNoiseLevels, timestepForSigma } from './karrasSigmas';
import { SchedulerBase, type RunPlan, type SchedulerClassName } from './scheduler';
import { interpolateAt, sigmasFromAlphasCumprod } from './sigmas';
import { checkSameLength } from '../noise/sameLength';
import { ddpmTimesteps, type TimestepSpacing } from './timestepSpacing';

export interface EulerFamilyConfig extends BetaScheduleConfig {
  prediction_type: PredictionType;
  timestep_spacing: TimestepSpacing;
  steps_offset: number;
  /** σ after the last step: 0 (a clean sample) or the smallest training σ. */
  final_sigmas_type: 'zero' | 'sigma_min';
  /** Space the noise levels as Karras et al. (then timesteps follow from them), bounded by sigma_min/max when set. */
  use_karras_sigmas: boolean;
  sigma_min: number | null;
  sigma_max: number | null;
}

/** Fields both Euler schedulers read; each adds its own refusals on top. */
export const EULER_FAMILY_FIELDS: readonly SchedulerField[] = [...BETA_FIELDS, 'prediction_type', 'timestep_spacing', 'steps_offset'];

/** Reads the shared part of an Euler-family config with diffusers' defaults. */
export function readEulerFamilyConfig(
  raw: unknown,
  className: SchedulerClassName,
  used: readonly SchedulerField[],
): { config: EulerFamilyConfig; fields: SchedulerFields; notes: readonly string[] } {
  const { fields, notes } = readSchedulerConfig(raw, className, used);
  if (fields.prediction_type === 'flow_prediction') throw unsupportedSetting(className, 'prediction_type', 'flow_prediction', '"epsilon" or "v_prediction"');
  const config: EulerFamilyConfig = {
    ...betaScheduleConfig(className, fields),
    prediction_type: fields.prediction_type ?? 'epsilon',
    timestep_spacing: fields.timestep_spacing ?? 'linspace',
    steps_offset: fields.steps_offset ?? 0,
    final_sigmas_type: fields.final_sigmas_type ?? 'zero',
    use_karras_sigmas: fields.use_karras_sigmas ?? false,
    sigma_min: fields.sigma_min ?? null,
    sigma_max: fields.sigma_max ?? null,
  };
  return { config, fields, notes };
}

/** The training σ table, computed once per config and shared by clones. */
export interface EulerTables {
  readonly trainingSigmas: Float64Array;
}

export function eulerTables(config: BetaScheduleConfig): EulerTables {
  return { trainingSigmas: sigmasFromAlphasCumprod(alphasCumprod(config)) };
}

export abstract class EulerFamilyScheduler extends SchedulerBase {
  constructor(
    readonly config: EulerFamilyConfig,
    notes: readonly string[],
    protected readonly tables: EulerTables,
  ) {
    super(config.num_train_timesteps, notes);
  }

  get initNoiseSigma(): number {
    if (this.noiseLevels.length === 0) throw new Error(`${this.className}.initNoiseSigma: call setTimesteps first`);
    const max = Math.max(...this.noiseLevels);
    return this.config.timestep_spacing === 'leading' ? Math.sqrt(max * max + 1) : max;
  }

  protected planRun(steps: number): RunPlan {
    const { timestep_spacing: spacing, num_train_timesteps: numTrainTimesteps, steps_offset: stepsOffset } = this.config;
    const table = this.tables.trainingSigmas;
    const final = this.config.final_sigmas_type === 'sigma_min' ? table[0] : 0;
    const spaced = ddpmTimesteps({ spacing, numTrainTimesteps, steps, stepsOffset }, false);
    const atSpaced = spaced.map((t) => interpolateAt(table, t));
    if (!this.config.use_karras_sigmas) return { timesteps: spaced, sigmas: [...atSpaced, final] };
    // Karras bounds default to the spaced run's own first and last σ, as diffusers has it.
    const sigmas = karrasNoiseLevels(this.config.sigma_min ?? atSpaced[atSpaced.length - 1], this.config.sigma_max ?? atSpaced[0], steps);
    return { timesteps: sigmas.map((sigma) => Math.fround(timestepForSigma(table, sigma))), sigmas: [...sigmas, final] };
  }

  scaleModelInput(sample: Float32Array, timestep: number, out?: Float32Array): Float32Array {
    const sigma = this.noiseLevels[this.currentIndex(timestep, 'scaleModelInput')];
    const target = out ?? new Float32Array(sample.length);
    checkSameLength('scaleModelInput', { sample, out: target });
    const scale = 1 / Math.sqrt(sigma * sigma + 1);
    for (let i = 0; i < sample.length; i++) target[i] = sample[i] * scale;
    return target;
  }
}
