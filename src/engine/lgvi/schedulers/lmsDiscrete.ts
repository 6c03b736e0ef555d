// Linear multistep (LMS) on the Euler family's σ grid, as diffusers' LMSDiscreteScheduler (order 4):
//   d_i = (x - x0)/σ_i                   (ε for epsilon prediction)
//   x_{i+1} = x + Σ_{j<q} c_{i,j}·d_{i-j},     q = min(i + 1, 4)
//   c_{i,j} = ∫_{σ_i}^{σ_{i+1}} Π_{k<q, k≠j} (τ - σ_{i-k}) / (σ_{i-j} - σ_{i-k}) dτ
// diffusers integrates each Lagrange basis polynomial numerically (scipy's quad, which is exact for
// these polynomials of degree ≤ 3); here it is integrated in closed form from its coefficients.
// Timesteps, σ, initNoiseSigma and scaleModelInput are the Euler family's (./eulerFamily).
import { unsupportedSetting, type SchedulerField } from './config';
import { EULER_FAMILY_FIELDS, EulerFamilyScheduler, eulerTables, readEulerFamilyConfig, type EulerFamilyConfig, type EulerTables } from './eulerFamily';
import { x0FromVarianceExploding } from './prediction';
import type { StepOptions } from './scheduler';

const CLASS_NAME = 'LMSDiscreteScheduler';
/** diffusers' default `order` argument of step(); pipelines never pass another. */
export const LMS_ORDER = 4;

const USED: readonly SchedulerField[] = [...EULER_FAMILY_FIELDS, 'use_karras_sigmas', 'use_exponential_sigmas', 'use_beta_sigmas'];

export function lmsDiscreteConfig(raw: unknown): { config: EulerFamilyConfig; notes: readonly string[] } {
  const { config, fields, notes } = readEulerFamilyConfig(raw, CLASS_NAME, USED);
  for (const field of ['use_exponential_sigmas', 'use_beta_sigmas'] as const) {
    if (fields[field]) throw unsupportedSetting(CLASS_NAME, field, true, 'false');
  }
  if (config.prediction_type === 'sample') throw unsupportedSetting(CLASS_NAME, 'prediction_type', 'sample', '"epsilon" or "v_prediction"');
  return { config: { ...config, final_sigmas_type: 'zero' }, notes };
}

/** ∫_a^b of the Lagrange basis polynomial that is 1 at nodes[j] and 0 at the other nodes. */
export function lagrangeBasisIntegral(nodes: readonly number[], j: number, a: number, b: number): number {
  // Coefficients of Π_{k≠j} (τ - n_k) / (n_j - n_k), lowest power first.
  let poly = [1];
  for (let k = 0; k < nodes.length; k++) {
    if (k === j) continue;
    const d = nodes[j] - nodes[k];
    const next = new Array<number>(poly.length + 1).fill(0);
    for (let p = 0; p < poly.length; p++) {
      next[p + 1] += poly[p] / d;
      next[p] -= (poly[p] * nodes[k]) / d;
    }
    poly = next;
  }
  let integral = 0;
  for (let p = 0; p < poly.length; p++) integral += (poly[p] / (p + 1)) * (b ** (p + 1) - a ** (p + 1));
  return integral;
}

export class LMSDiscreteScheduler extends EulerFamilyScheduler {
  readonly className = CLASS_NAME;
  readonly stochastic = false;
  /** d of the last steps, oldest first (at most LMS_ORDER). */
  private derivatives: Float32Array[] = [];

  constructor(config: EulerFamilyConfig, notes: readonly string[] = [], tables: EulerTables = eulerTables(config)) {
    super(config, notes, tables);
  }

  static fromConfig(raw: unknown, extraNotes: readonly string[] = []): LMSDiscreteScheduler {
    const { config, notes } = lmsDiscreteConfig(raw);
    return new LMSDiscreteScheduler(config, [...extraNotes, ...notes]);
  }

  clone(): LMSDiscreteScheduler {
    const copy = new LMSDiscreteScheduler(this.config, this.notes, this.tables);
    copy.adoptPlanFrom(this);
    return copy;
  }

  protected override resetState(): void {
    this.derivatives = [];
  }

  /** The step's coefficients, newest derivative first (as diffusers zips them with reversed(derivatives)). */
  coefficients(i: number): number[] {
    const sigmas = this.noiseLevels;
    const order = Math.min(i + 1, LMS_ORDER);
    const nodes = Array.from({ length: order }, (_, k) => sigmas[i - k]);
    return nodes.map((_, j) => lagrangeBasisIntegral(nodes, j, sigmas[i], sigmas[i + 1]));
  }

  step(modelOutput: Float32Array, timestep: number, sample: Float32Array, options: StepOptions = {}): Float32Array {
    const i = this.currentIndex(timestep, 'step');
    const out = this.stepOutput(modelOutput, sample, options);
    const sigma = this.noiseLevels[i];
    const toX0 = x0FromVarianceExploding(this.config.prediction_type, sigma);
    const derivative = new Float32Array(sample.length);
    const x0Out = options.predOriginalSample;
    for (let k = 0; k < sample.length; k++) {
      const x = sample[k];
      const x0 = toX0.sample * x + toX0.model * modelOutput[k];
      if (x0Out) x0Out[k] = x0;
      derivative[k] = (x - x0) / sigma;
    }
    this.derivatives.push(derivative);
    if (this.derivatives.length > LMS_ORDER) this.derivatives.shift();
    const coeffs = this.coefficients(i);
    const n = this.derivatives.length;
    for (let k = 0; k < out.length; k++) {
      let v = sample[k];
      for (let j = 0; j < coeffs.length; j++) v += coeffs[j] * this.derivatives[n - 1 - j][k];
      out[k] = v;
    }
    this.index++;
    return out;
  }
}
