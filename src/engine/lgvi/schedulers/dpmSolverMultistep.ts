// DPM-Solver++(2M) (Lu et al. 2022, "DPM-Solver++", alg. 2), as diffusers'
// DPMSolverMultistepScheduler with algorithm_type "dpmsolver++". In the VP form x_t = α_t·x0 + σ_t·ε,
// with λ = ln(α/σ) and h = λ_next - λ_cur, each step predicts x0 (the data prediction D) and
//   1st order:  x_next = (σ_next/σ_cur)·x - α_next·(e^{-h} - 1)·D_cur
//   2nd order:  r = h_prev / h,  D1 = (D_cur - D_prev) / r,
//     midpoint: x_next = (σ_next/σ_cur)·x - α_next·(e^{-h} - 1)·(D_cur + D1/2)
//     heun:     x_next = (σ_next/σ_cur)·x - α_next·(e^{-h} - 1)·D_cur + α_next·((e^{-h} - 1)/h + 1)·D1
// The first step has no history and is first order; the last is first order too when
// lower_order_final applies (fewer than 15 steps), euler_at_final is set, or the final σ is 0.
// The previous step's D lives in the scheduler: one instance per window, `clone()` for the next.
import { alphasCumprod, betaScheduleConfig, type BetaScheduleConfig } from './betaSchedule';
import { BETA_FIELDS, readSchedulerConfig, unsupportedSetting, type SchedulerField } from './config';
import { predictionCoefficients, type PredictionType } from './prediction';
import { karrasNoiseLevels, timestepForSigma } from './karrasSigmas';
import { SchedulerBase, unscaledModelInput, type RunPlan, type StepOptions } from './scheduler';
import { sigmasFromAlphasCumprod } from './sigmas';
import { dpmSolverTimesteps, roundHalfEven, type TimestepSpacing } from './timestepSpacing';

const CLASS_NAME = 'DPMSolverMultistepScheduler';

/** lower_order_final only lowers the last step's order for short runs, as diffusers does. */
const LOWER_ORDER_FINAL_BELOW_STEPS = 15;

export interface DPMSolverConfig extends BetaScheduleConfig {
  prediction_type: PredictionType;
  timestep_spacing: TimestepSpacing;
  steps_offset: number;
  solver_order: 1 | 2;
  solver_type: 'midpoint' | 'heun';
  lower_order_final: boolean;
  euler_at_final: boolean;
  final_sigmas_type: 'zero' | 'sigma_min';
  lambda_min_clipped: number;
  /** Karras noise levels between the smallest and largest training σ, timesteps rounded from them. */
  use_karras_sigmas: boolean;
}

const USED: readonly SchedulerField[] = [
  ...BETA_FIELDS,
  'prediction_type',
  'timestep_spacing',
  'steps_offset',
  'solver_order',
  'algorithm_type',
  'solver_type',
  'lower_order_final',
  'euler_at_final',
  'final_sigmas_type',
  'lambda_min_clipped',
  'thresholding',
  'dynamic_thresholding_ratio',
  'sample_max_value',
  'use_karras_sigmas',
  'use_exponential_sigmas',
  'use_beta_sigmas',
  'use_lu_lambdas',
  'use_flow_sigmas',
  'flow_shift',
  'variance_type',
  'use_dynamic_shifting',
  'time_shift_type',
];

/** Reads a DPMSolverMultistepScheduler config with diffusers' defaults, refusing what is not implemented. */
export function dpmSolverConfig(raw: unknown): { config: DPMSolverConfig; notes: readonly string[] } {
  const { fields, notes } = readSchedulerConfig(raw, CLASS_NAME, USED);
  const algorithm = fields.algorithm_type ?? 'dpmsolver++';
  // diffusers itself maps the retired "deis" onto dpmsolver++.
  if (algorithm !== 'dpmsolver++' && algorithm !== 'deis') throw unsupportedSetting(CLASS_NAME, 'algorithm_type', algorithm, '"dpmsolver++"');
  if (fields.solver_order === 3) throw unsupportedSetting(CLASS_NAME, 'solver_order', 3, '2 (DPM-Solver++ 2M)');
  if (fields.prediction_type === 'flow_prediction') throw unsupportedSetting(CLASS_NAME, 'prediction_type', 'flow_prediction', '"epsilon", "v_prediction" or "sample"');
  if (fields.variance_type) throw unsupportedSetting(CLASS_NAME, 'variance_type', fields.variance_type, 'null (a model that predicts its variance needs its extra channels dropped first)');
  for (const field of ['thresholding', 'use_exponential_sigmas', 'use_beta_sigmas', 'use_lu_lambdas', 'use_flow_sigmas', 'use_dynamic_shifting'] as const) {
    if (fields[field]) throw unsupportedSetting(CLASS_NAME, field, true, 'false');
  }
  const config: DPMSolverConfig = {
    ...betaScheduleConfig(CLASS_NAME, fields),
    prediction_type: fields.prediction_type ?? 'epsilon',
    timestep_spacing: fields.timestep_spacing ?? 'linspace',
    steps_offset: fields.steps_offset ?? 0,
    solver_order: fields.solver_order === 1 ? 1 : 2,
    solver_type: fields.solver_type ?? 'midpoint',
    lower_order_final: fields.lower_order_final ?? true,
    euler_at_final: fields.euler_at_final ?? false,
    final_sigmas_type: fields.final_sigmas_type ?? 'zero',
    lambda_min_clipped: fields.lambda_min_clipped ?? -Infinity,
    use_karras_sigmas: fields.use_karras_sigmas ?? false,
  };
  return { config, notes };
}

/** Tables that depend only on the config, shared by clones. */
interface DPMSolverTables {
  readonly trainingSigmas: Float64Array;
  /** N, or fewer when lambda_min_clipped cuts off the noisiest timesteps. */
  readonly lastTimestep: number;
}

function dpmSolverTables(config: DPMSolverConfig): DPMSolverTables {
  const ac = alphasCumprod(config);
  // λ_t = ln(sqrt(ᾱ_t)) - ln(sqrt(1-ᾱ_t)) falls with t; count the noisiest timesteps whose λ is
  // below the clip (torch.searchsorted on the flipped λ, side "left").
  let clipped = 0;
  for (let t = ac.length - 1; t >= 0; t--) {
    const lambda = 0.5 * Math.log(ac[t]) - 0.5 * Math.log(1 - ac[t]);
    if (lambda >= config.lambda_min_clipped) break;
    clipped++;
  }
  return { trainingSigmas: sigmasFromAlphasCumprod(ac), lastTimestep: config.num_train_timesteps - clipped };
}

/** α, σ and λ of the VP form for a variance-exploding noise level s: α = 1/sqrt(s²+1), σ = s·α. */
function vpOf(noiseLevel: number): { alpha: number; sigma: number; lambda: number } {
  const alpha = 1 / Math.sqrt(noiseLevel * noiseLevel + 1);
  const sigma = noiseLevel * alpha;
  return { alpha, sigma, lambda: Math.log(alpha) - Math.log(sigma) };
}

export class DPMSolverMultistepScheduler extends SchedulerBase {
  readonly className = CLASS_NAME;
  readonly stochastic = false;
  readonly initNoiseSigma = 1;
  private readonly tables: DPMSolverTables;
  /** x0 predictions of the current and the previous step; swapped each step, so steps allocate nothing. */
  private current: Float32Array | undefined;
  private previous: Float32Array | undefined;
  /** How many steps have a usable previous prediction (capped at the solver order). */
  private lowerOrderNums = 0;

  constructor(
    readonly config: DPMSolverConfig,
    notes: readonly string[] = [],
    tables: DPMSolverTables = dpmSolverTables(config),
  ) {
    super(config.num_train_timesteps, notes);
    this.tables = tables;
  }

  /** From a diffusers config; `extraNotes` go before the config's own (e.g. a substitution note). */
  static fromConfig(raw: unknown, extraNotes: readonly string[] = []): DPMSolverMultistepScheduler {
    const { config, notes } = dpmSolverConfig(raw);
    return new DPMSolverMultistepScheduler(config, [...extraNotes, ...notes]);
  }

  clone(): DPMSolverMultistepScheduler {
    const copy = new DPMSolverMultistepScheduler(this.config, this.notes, this.tables);
    copy.adoptPlanFrom(this);
    return copy;
  }

  protected planRun(steps: number): RunPlan {
    const { timestep_spacing: spacing, num_train_timesteps: numTrainTimesteps, steps_offset: stepsOffset } = this.config;
    const table = this.tables.trainingSigmas;
    const final = this.config.final_sigmas_type === 'sigma_min' ? table[0] : 0;
    if (this.config.use_karras_sigmas) {
      // Between the smallest and largest training σ (diffusers' DPM-Solver has no sigma_min/max
      // fields). Timesteps are rounded, except for the cosine schedule, where diffusers' cast to
      // int64 truncates them instead.
      const sigmas = karrasNoiseLevels(table[0], table[table.length - 1], steps);
      const toInteger = this.config.beta_schedule === 'squaredcos_cap_v2' ? Math.trunc : roundHalfEven;
      return { timesteps: sigmas.map((sigma) => toInteger(timestepForSigma(table, sigma))), sigmas: [...sigmas, final] };
    }
    const timesteps = dpmSolverTimesteps({ spacing, numTrainTimesteps, steps, stepsOffset }, this.tables.lastTimestep);
    // Integer timesteps: the interpolation diffusers does here is a lookup.
    return { timesteps, sigmas: [...timesteps.map((t) => table[t]), final] };
  }

  protected override resetState(): void {
    this.lowerOrderNums = 0;
  }

  scaleModelInput(sample: Float32Array, timestep: number, out?: Float32Array): Float32Array {
    this.currentIndex(timestep, 'scaleModelInput');
    return unscaledModelInput(sample, out);
  }

  step(modelOutput: Float32Array, timestep: number, sample: Float32Array, options: StepOptions = {}): Float32Array {
    const i = this.currentIndex(timestep, 'step');
    const out = this.stepOutput(modelOutput, sample, options);
    const n = this.timesteps.length;
    const isLast = i === n - 1;
    const lowerOrderFinal =
      isLast && (this.config.euler_at_final || (this.config.lower_order_final && n < LOWER_ORDER_FINAL_BELOW_STEPS) || this.config.final_sigmas_type === 'zero');
    const secondOrder = this.config.solver_order === 2 && this.lowerOrderNums >= 1 && !lowerOrderFinal;

    const sigmas = this.noiseLevels;
    const cur = vpOf(sigmas[i]);
    const next = vpOf(sigmas[i + 1]);
    const h = next.lambda - cur.lambda;
    // x_next = keep·x + onCurrent·D_cur + onPrevious·D_prev.
    const keep = next.sigma / cur.sigma;
    const firstOrder = -next.alpha * Math.expm1(-h);
    let onCurrent = firstOrder;
    let onPrevious = 0;
    if (secondOrder) {
      const r = (cur.lambda - vpOf(sigmas[i - 1]).lambda) / h;
      const d1 = this.config.solver_type === 'midpoint' ? (0.5 * firstOrder) / r : (next.alpha * (Math.expm1(-h) / h + 1)) / r;
      onCurrent += d1;
      onPrevious = -d1;
    }

    const { x0: toX0 } = predictionCoefficients(this.config.prediction_type, cur.alpha, cur.sigma);
    if (this.current?.length !== out.length) {
      this.current = new Float32Array(out.length);
      this.previous = new Float32Array(out.length);
    }
    const current = this.current;
    const previous = this.previous as Float32Array;
    const x0Out = options.predOriginalSample;
    for (let k = 0; k < out.length; k++) {
      const x = sample[k];
      const x0 = toX0.sample * x + toX0.model * modelOutput[k];
      current[k] = x0;
      if (x0Out) x0Out[k] = x0;
      out[k] = keep * x + onCurrent * x0 + onPrevious * previous[k];
    }
    this.previous = current;
    this.current = previous;
    if (this.lowerOrderNums < this.config.solver_order) this.lowerOrderNums++;
    this.index++;
    return out;
  }
}
