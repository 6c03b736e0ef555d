// Euler (Karras et al. 2022, alg. 2 without churn), as diffusers' EulerDiscreteScheduler:
//   x0 = x - σ_i·ε (epsilon),   d = (x - x0) / σ_i,   x_{i+1} = x + d·(σ_{i+1} - σ_i).
// Deterministic: diffusers' s_churn option defaults to 0 and pipelines never set it.
import { unsupportedSetting, type SchedulerField } from './config';
import { EULER_FAMILY_FIELDS, EulerFamilyScheduler, eulerTables, readEulerFamilyConfig, type EulerFamilyConfig, type EulerTables } from './eulerFamily';
import { x0FromVarianceExploding } from './prediction';
import { combine2 } from './linearCombination';
import type { StepOptions } from './scheduler';

const CLASS_NAME = 'EulerDiscreteScheduler';

const USED: readonly SchedulerField[] = [
  ...EULER_FAMILY_FIELDS,
  'final_sigmas_type',
  'interpolation_type',
  'use_karras_sigmas',
  'use_exponential_sigmas',
  'use_beta_sigmas',
  'sigma_min',
  'sigma_max',
  'timestep_type',
];

/** Reads an EulerDiscreteScheduler config with diffusers' defaults, refusing what is not implemented. */
export function eulerDiscreteConfig(raw: unknown): { config: EulerFamilyConfig; notes: readonly string[] } {
  const { config, fields, notes } = readEulerFamilyConfig(raw, CLASS_NAME, USED);
  if (fields.interpolation_type === 'log_linear') throw unsupportedSetting(CLASS_NAME, 'interpolation_type', 'log_linear', '"linear"');
  for (const field of ['use_exponential_sigmas', 'use_beta_sigmas'] as const) {
    if (fields[field]) throw unsupportedSetting(CLASS_NAME, field, true, 'false');
  }
  if (fields.timestep_type === 'continuous' && config.prediction_type === 'v_prediction') {
    throw unsupportedSetting(CLASS_NAME, 'timestep_type', 'continuous', '"discrete"');
  }
  return { config, notes };
}

export class EulerDiscreteScheduler extends EulerFamilyScheduler {
  readonly className = CLASS_NAME;
  readonly stochastic = false;

  constructor(config: EulerFamilyConfig, notes: readonly string[] = [], tables: EulerTables = eulerTables(config)) {
    super(config, notes, tables);
  }

  /** From a diffusers config; `extraNotes` go before the config's own (e.g. a substitution note). */
  static fromConfig(raw: unknown, extraNotes: readonly string[] = []): EulerDiscreteScheduler {
    const { config, notes } = eulerDiscreteConfig(raw);
    return new EulerDiscreteScheduler(config, [...extraNotes, ...notes]);
  }

  clone(): EulerDiscreteScheduler {
    const copy = new EulerDiscreteScheduler(this.config, this.notes, this.tables);
    copy.adoptPlanFrom(this);
    return copy;
  }

  step(modelOutput: Float32Array, timestep: number, sample: Float32Array, options: StepOptions = {}): Float32Array {
    const i = this.currentIndex(timestep, 'step');
    const out = this.stepOutput(modelOutput, sample, options);
    const sigma = this.noiseLevels[i];
    const dt = this.noiseLevels[i + 1] - sigma;
    const toX0 = x0FromVarianceExploding(this.config.prediction_type, sigma);
    const x0Out = options.predOriginalSample;
    if (!x0Out) {
      // x + (x - x0)/σ·dt with x0 = s·x + m·eps folded: (1 + (1 - s)·dt/σ)·x - (m·dt/σ)·eps.
      const slope = dt / sigma;
      combine2(out, 1 + (1 - toX0.sample) * slope, sample, -toX0.model * slope, modelOutput);
      this.index++;
      return out;
    }
    for (let k = 0; k < out.length; k++) {
      const x = sample[k];
      const x0 = toX0.sample * x + toX0.model * modelOutput[k];
      x0Out[k] = x0;
      out[k] = x + ((x - x0) / sigma) * dt;
    }
    this.index++;
    return out;
  }
}
