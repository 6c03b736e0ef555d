// PNDM (Liu et al. 2022) as diffusers' PNDMScheduler runs it with `skip_prk_steps: true` (Stable
// Diffusion 1.x's shipped config): pseudo linear multistep (PLMS) only, no Runge-Kutta warm-up.
// With N steps on timesteps τ_0 < … < τ_{N-1} (spaced as DDIM's), the run is
//   τ_{N-1}, τ_{N-2}, τ_{N-2}, τ_{N-3}, …, τ_0      (N + 1 model calls; the second one repeats)
// and each call's raw model output e_k enters a history of the last 4. The combined output is
//   e_0                                  first call (then the sample is kept: x_cur)
//   (e_1 + e_0) / 2                      second call, stepping again from x_cur (a Heun-like warm-up)
//   (3 e - e') / 2,  (23 e - 16 e' + 5 e'') / 12,  (55 e - 59 e' + 37 e'' - 9 e''') / 24
// and the step from t to p (p = t - floor(T/N); the second call steps from t + floor(T/N) to t) is
//   x_p = sqrt(ᾱ_p/ᾱ_t)·x - (ᾱ_p - ᾱ_t)·e / (ᾱ_t·sqrt(1-ᾱ_p) + sqrt(ᾱ_t·(1-ᾱ_t)·ᾱ_p))
// with ᾱ_p = final_alpha_cumprod once p < 0 (diffusers' _get_prev_sample). v-prediction outputs are
// turned into ε-like ones first (sqrt(ᾱ_t)·v + sqrt(1-ᾱ_t)·x), as diffusers does.
import { alphasCumprod, betaScheduleConfig, type BetaScheduleConfig } from './betaSchedule';
import { BETA_FIELDS, readSchedulerConfig, unsupportedSetting, type SchedulerField } from './config';
import { SchedulerBase, unscaledModelInput, type RunPlan, type StepOptions } from './scheduler';
import { ddpmTimesteps, type TimestepSpacing } from './timestepSpacing';

const CLASS_NAME = 'PNDMScheduler';

export interface PNDMConfig extends BetaScheduleConfig {
  prediction_type: 'epsilon' | 'v_prediction';
  steps_offset: number;
  timestep_spacing: TimestepSpacing;
  set_alpha_to_one: boolean;
  skip_prk_steps: true;
}

const USED: readonly SchedulerField[] = [...BETA_FIELDS, 'prediction_type', 'steps_offset', 'timestep_spacing', 'set_alpha_to_one', 'skip_prk_steps', 'clip_sample'];

/** Reads a PNDMScheduler config with diffusers' defaults, refusing the Runge-Kutta variant. */
export function pndmConfig(raw: unknown): { config: PNDMConfig; notes: readonly string[] } {
  const { fields, notes } = readSchedulerConfig(raw, CLASS_NAME, USED);
  if (fields.skip_prk_steps !== true) {
    // diffusers' default is false: PRK warm-up steps (4 model calls per step for the first 3).
    throw unsupportedSetting(CLASS_NAME, 'skip_prk_steps', fields.skip_prk_steps ?? false, 'true (Stable Diffusion\'s PLMS, as its checkpoints ship it)');
  }
  if (fields.prediction_type === 'sample' || fields.prediction_type === 'flow_prediction') {
    throw unsupportedSetting(CLASS_NAME, 'prediction_type', fields.prediction_type, '"epsilon" or "v_prediction"');
  }
  const config: PNDMConfig = {
    ...betaScheduleConfig(CLASS_NAME, fields),
    prediction_type: fields.prediction_type ?? 'epsilon',
    steps_offset: fields.steps_offset ?? 0,
    timestep_spacing: fields.timestep_spacing ?? 'leading',
    set_alpha_to_one: fields.set_alpha_to_one ?? false,
    skip_prk_steps: true,
  };
  // PNDM never clips; a clip_sample key (SD 1.5's file has one) is read and has no effect, as in diffusers.
  return { config, notes };
}

interface PNDMTables {
  readonly alphasCumprod: Float64Array;
  readonly finalAlphaCumprod: number;
}

/** The PLMS combination weights of the newest-first history, by how many outputs it holds (2..4). */
const PLMS_WEIGHTS: Readonly<Record<number, readonly number[]>> = {
  2: [3 / 2, -1 / 2],
  3: [23 / 12, -16 / 12, 5 / 12],
  4: [55 / 24, -59 / 24, 37 / 24, -9 / 24],
};

export class PNDMScheduler extends SchedulerBase {
  readonly className = CLASS_NAME;
  readonly stochastic = false;
  readonly initNoiseSigma = 1;
  private readonly tables: PNDMTables;
  /** Raw model outputs of the last calls, oldest first (at most 4), diffusers' `ets`. */
  private history: Float32Array[] = [];
  /** The sample of the first call, which the second call steps from again. */
  private firstSample: Float32Array | undefined;

  constructor(
    readonly config: PNDMConfig,
    notes: readonly string[] = [],
    tables?: PNDMTables,
  ) {
    super(config.num_train_timesteps, notes);
    if (tables) this.tables = tables;
    else {
      const ac = alphasCumprod(config);
      this.tables = { alphasCumprod: ac, finalAlphaCumprod: config.set_alpha_to_one ? 1 : ac[0] };
    }
  }

  static fromConfig(raw: unknown, extraNotes: readonly string[] = []): PNDMScheduler {
    const { config, notes } = pndmConfig(raw);
    return new PNDMScheduler(config, [...extraNotes, ...notes]);
  }

  clone(): PNDMScheduler {
    const copy = new PNDMScheduler(this.config, this.notes, this.tables);
    copy.adoptPlanFrom(this);
    return copy;
  }


  protected planRun(steps: number): RunPlan {
    const { timestep_spacing: spacing, num_train_timesteps: numTrainTimesteps, steps_offset: stepsOffset } = this.config;
    const spaced = ddpmTimesteps({ spacing, numTrainTimesteps, steps, stepsOffset }, true); // noisiest first
    // diffusers: concatenate([τ[:-1], τ[-2:-1], τ[-1:]])[::-1] on the ascending τ: the noisiest
    // once, then the second noisiest twice, then the rest (one step: just that timestep).
    if (spaced.length < 2) return { timesteps: spaced };
    return { timesteps: [spaced[0], spaced[1], ...spaced.slice(1)] };
  }

  protected override resetState(): void {
    this.history = [];
    this.firstSample = undefined;
  }

  scaleModelInput(sample: Float32Array, timestep: number, out?: Float32Array): Float32Array {
    this.currentIndex(timestep, 'scaleModelInput');
    return unscaledModelInput(sample, out);
  }

  private alphaCumprodAt(t: number): number {
    return t >= 0 ? this.tables.alphasCumprod[t] : this.tables.finalAlphaCumprod;
  }

  step(modelOutput: Float32Array, timestep: number, sample: Float32Array, options: StepOptions = {}): Float32Array {
    const counter = this.currentIndex(timestep, 'step');
    const out = this.stepOutput(modelOutput, sample, options);
    // diffusers steps by floor(T/N) with N the step count asked for (the run has N + 1 calls).
    const stride = Math.floor(this.config.num_train_timesteps / this.inferenceSteps);
    let from = timestep;
    let to = timestep - stride;
    let x = sample;
    const combined = new Float32Array(modelOutput.length);
    if (counter === 1) {
      // The repeated call: average with the first output and step the first call's sample again.
      from = timestep + stride;
      to = timestep;
      const first = this.history[this.history.length - 1];
      for (let i = 0; i < combined.length; i++) combined[i] = (modelOutput[i] + first[i]) / 2;
      x = this.firstSample ?? sample;
      this.firstSample = undefined;
    } else {
      this.history = [...this.history.slice(-3), Float32Array.from(modelOutput)];
      const n = this.history.length;
      if (n === 1) {
        combined.set(modelOutput);
        this.firstSample = Float32Array.from(sample);
      } else {
        const weights = PLMS_WEIGHTS[n];
        for (let i = 0; i < combined.length; i++) {
          let v = 0;
          for (let k = 0; k < n; k++) v += weights[k] * this.history[n - 1 - k][i];
          combined[i] = v;
        }
      }
    }
    const alphaT = this.alphaCumprodAt(from);
    const alphaP = this.alphaCumprodAt(to);
    const betaT = 1 - alphaT;
    const sampleCoeff = Math.sqrt(alphaP / alphaT);
    const denom = alphaT * Math.sqrt(1 - alphaP) + Math.sqrt(alphaT * betaT * alphaP);
    const modelCoeff = (alphaP - alphaT) / denom;
    const v = this.config.prediction_type === 'v_prediction';
    const sa = Math.sqrt(alphaT);
    const sb = Math.sqrt(betaT);
    const x0Out = options.predOriginalSample;
    for (let i = 0; i < out.length; i++) {
      const e = v ? sa * combined[i] + sb * x[i] : combined[i];
      const xi = x[i];
      out[i] = sampleCoeff * xi - modelCoeff * e;
      if (x0Out) x0Out[i] = (xi - sb * e) / sa;
    }
    this.index++;
    return out;
  }
}
