// DDIM (Song et al. 2021), deterministic (η = 0), as diffusers' DDIMScheduler configures it.
// Eq. 12 with σ_t = 0:
//   x0  = (x_t - sqrt(1-ᾱ_t)·ε) / sqrt(ᾱ_t)
//   x_p = sqrt(ᾱ_p)·x0 + sqrt(1-ᾱ_p)·ε,    p = t - floor(N/S)
// where ᾱ_p is `final_alpha_cumprod` (1, or ᾱ_0 with set_alpha_to_one = false) once p < 0.
// diffusers takes the previous timestep as t - floor(N/S) for every spacing, even where that is not
// the next timestep of a linspace or trailing run; this does the same, so results match the reference.
import { alphasCumprod, betaScheduleConfig, type BetaScheduleConfig } from './betaSchedule';
import { BETA_FIELDS, readSchedulerConfig, unsupportedSetting, type SchedulerField } from './config';
import { combine2 } from './linearCombination';
import { predictionCoefficients, type PredictionType } from './prediction';
import { SchedulerBase, unscaledModelInput, type RunPlan, type StepOptions } from './scheduler';
import { ddpmTimesteps, type TimestepSpacing } from './timestepSpacing';

const CLASS_NAME = 'DDIMScheduler';

export interface DDIMConfig extends BetaScheduleConfig {
  prediction_type: PredictionType;
  steps_offset: number;
  timestep_spacing: TimestepSpacing;
  set_alpha_to_one: boolean;
  clip_sample: boolean;
  clip_sample_range: number;
}

const USED: readonly SchedulerField[] = [
  ...BETA_FIELDS,
  'prediction_type',
  'steps_offset',
  'timestep_spacing',
  'set_alpha_to_one',
  'clip_sample',
  'clip_sample_range',
  'thresholding',
  'dynamic_thresholding_ratio',
  'sample_max_value',
];

/** Reads a DDIMScheduler config with diffusers' defaults. */
export function ddimConfig(raw: unknown): { config: DDIMConfig; notes: readonly string[] } {
  const { fields, notes } = readSchedulerConfig(raw, CLASS_NAME, USED);
  if (fields.thresholding) throw unsupportedSetting(CLASS_NAME, 'thresholding', true, 'false (dynamic thresholding is for pixel-space models)');
  if (fields.prediction_type === 'flow_prediction') throw unsupportedSetting(CLASS_NAME, 'prediction_type', 'flow_prediction', '"epsilon", "v_prediction" or "sample"');
  const config: DDIMConfig = {
    ...betaScheduleConfig(CLASS_NAME, fields),
    prediction_type: fields.prediction_type ?? 'epsilon',
    steps_offset: fields.steps_offset ?? 0,
    timestep_spacing: fields.timestep_spacing ?? 'leading',
    set_alpha_to_one: fields.set_alpha_to_one ?? true,
    clip_sample: fields.clip_sample ?? true,
    clip_sample_range: fields.clip_sample_range ?? 1,
  };
  return { config, notes };
}

/** Tables that depend only on the config, shared by clones. */
interface DDIMTables {
  readonly alphasCumprod: Float64Array;
  readonly finalAlphaCumprod: number;
}

export class DDIMScheduler extends SchedulerBase {
  readonly className = CLASS_NAME;
  readonly stochastic = false;
  readonly initNoiseSigma = 1;
  private readonly tables: DDIMTables;

  constructor(
    readonly config: DDIMConfig,
    notes: readonly string[] = [],
    tables?: DDIMTables,
  ) {
    super(config.num_train_timesteps, notes);
    if (tables) this.tables = tables;
    else {
      const ac = alphasCumprod(config);
      this.tables = { alphasCumprod: ac, finalAlphaCumprod: config.set_alpha_to_one ? 1 : ac[0] };
    }
  }

  /** From a diffusers config; `extraNotes` go before the config's own (e.g. a substitution note). */
  static fromConfig(raw: unknown, extraNotes: readonly string[] = []): DDIMScheduler {
    const { config, notes } = ddimConfig(raw);
    return new DDIMScheduler(config, [...extraNotes, ...notes]);
  }

  clone(): DDIMScheduler {
    const copy = new DDIMScheduler(this.config, this.notes, this.tables);
    copy.adoptPlanFrom(this);
    return copy;
  }

  protected planRun(steps: number): RunPlan {
    const { timestep_spacing: spacing, num_train_timesteps: numTrainTimesteps, steps_offset: stepsOffset } = this.config;
    return { timesteps: ddpmTimesteps({ spacing, numTrainTimesteps, steps, stepsOffset }, true) };
  }

  scaleModelInput(sample: Float32Array, timestep: number, out?: Float32Array): Float32Array {
    this.currentIndex(timestep, 'scaleModelInput');
    return unscaledModelInput(sample, out);
  }

  /** ᾱ at the timestep the step from `timestep` lands on. */
  private alphaCumprodBefore(timestep: number): number {
    const prev = timestep - Math.floor(this.config.num_train_timesteps / this.timesteps.length);
    return prev >= 0 ? this.tables.alphasCumprod[prev] : this.tables.finalAlphaCumprod;
  }

  step(modelOutput: Float32Array, timestep: number, sample: Float32Array, options: StepOptions = {}): Float32Array {
    this.currentIndex(timestep, 'step');
    const out = this.stepOutput(modelOutput, sample, options);
    const alphaProd = this.tables.alphasCumprod[timestep];
    const alphaProdPrev = this.alphaCumprodBefore(timestep);
    // x0 and ε as linear combinations of the sample and the model output.
    const { x0: toX0, eps: toEps } = predictionCoefficients(this.config.prediction_type, Math.sqrt(alphaProd), Math.sqrt(1 - alphaProd));
    const keepX0 = Math.sqrt(alphaProdPrev);
    const keepEps = Math.sqrt(1 - alphaProdPrev);
    const clip = this.config.clip_sample;
    const range = this.config.clip_sample_range;
    const x0Out = options.predOriginalSample;
    if (!clip && !x0Out) {
      // The same step with x0 folded in: out = (kx0·x0s + keps·es)·x + (kx0·x0m + keps·em)·m.
      combine2(out, keepX0 * toX0.sample + keepEps * toEps.sample, sample, keepX0 * toX0.model + keepEps * toEps.model, modelOutput);
      this.index++;
      return out;
    }
    for (let i = 0; i < out.length; i++) {
      const x = sample[i];
      const m = modelOutput[i];
      let x0 = toX0.sample * x + toX0.model * m;
      // diffusers clips x0 but keeps the unclipped ε (use_clipped_model_output defaults to false).
      if (clip) x0 = x0 < -range ? -range : x0 > range ? range : x0;
      if (x0Out) x0Out[i] = x0;
      out[i] = keepX0 * x0 + keepEps * (toEps.sample * x + toEps.model * m);
    }
    this.index++;
    return out;
  }
}
