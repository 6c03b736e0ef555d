// Euler ancestral, as diffusers' EulerAncestralDiscreteScheduler (k-diffusion's sample_euler_ancestral,
// η = 1): each step goes down to σ_down with an Euler step, then adds fresh noise of σ_up, where
//   σ_up   = sqrt(σ_{i+1}² · (σ_i² - σ_{i+1}²) / σ_i²),   σ_down = sqrt(σ_{i+1}² - σ_up²)
//   x_{i+1} = x + (x - x0)/σ_i · (σ_down - σ_i) + σ_up · z,   z ~ N(0, 1).
// z is the caller's `noise` when given (to replay reference vectors), else drawn from `generator`.
import { unsupportedSetting, type SchedulerField } from './config';
import { EULER_FAMILY_FIELDS, EulerFamilyScheduler, eulerTables, readEulerFamilyConfig, type EulerFamilyConfig, type EulerTables } from './eulerFamily';
import { x0FromVarianceExploding } from './prediction';
import { combine2, combine3 } from './linearCombination';
import type { StepOptions } from './scheduler';

const CLASS_NAME = 'EulerAncestralDiscreteScheduler';

const USED: readonly SchedulerField[] = EULER_FAMILY_FIELDS;

/** Reads an EulerAncestralDiscreteScheduler config with diffusers' defaults. */
export function eulerAncestralConfig(raw: unknown): { config: EulerFamilyConfig; notes: readonly string[] } {
  const { config, notes } = readEulerFamilyConfig(raw, CLASS_NAME, USED);
  // diffusers raises NotImplementedError for it too.
  if (config.prediction_type === 'sample') throw unsupportedSetting(CLASS_NAME, 'prediction_type', 'sample', '"epsilon" or "v_prediction"');
  return { config, notes };
}

export class EulerAncestralDiscreteScheduler extends EulerFamilyScheduler {
  readonly className = CLASS_NAME;
  readonly stochastic = true;
  /** Noise drawn from a generator, reused across steps. */
  private noiseBuffer: Float32Array | undefined;

  constructor(config: EulerFamilyConfig, notes: readonly string[] = [], tables: EulerTables = eulerTables(config)) {
    super(config, notes, tables);
  }

  /** From a diffusers config; `extraNotes` go before the config's own (e.g. a substitution note). */
  static fromConfig(raw: unknown, extraNotes: readonly string[] = []): EulerAncestralDiscreteScheduler {
    const { config, notes } = eulerAncestralConfig(raw);
    return new EulerAncestralDiscreteScheduler(config, [...extraNotes, ...notes]);
  }

  clone(): EulerAncestralDiscreteScheduler {
    const copy = new EulerAncestralDiscreteScheduler(this.config, this.notes, this.tables);
    copy.adoptPlanFrom(this);
    return copy;
  }

  step(modelOutput: Float32Array, timestep: number, sample: Float32Array, options: StepOptions = {}): Float32Array {
    const i = this.currentIndex(timestep, 'step');
    const out = this.stepOutput(modelOutput, sample, options);
    const sigma = this.noiseLevels[i];
    const next = this.noiseLevels[i + 1];
    const sigmaUp = Math.sqrt((next * next * (sigma * sigma - next * next)) / (sigma * sigma));
    const sigmaDown = Math.sqrt(next * next - sigmaUp * sigmaUp);
    const noise = sigmaUp > 0 ? this.stepNoise(out.length, options) : undefined;
    const toX0 = x0FromVarianceExploding(this.config.prediction_type, sigma);
    const slope = (sigmaDown - sigma) / sigma;
    const x0Out = options.predOriginalSample;
    if (!x0Out) {
      // x + (x - x0)·slope (+ σ_up·z) with x0 = s·x + m·eps folded into two (three) coefficients.
      const onSample = 1 + (1 - toX0.sample) * slope;
      const onModel = -toX0.model * slope;
      if (noise) combine3(out, onSample, sample, onModel, modelOutput, sigmaUp, noise);
      else combine2(out, onSample, sample, onModel, modelOutput);
      this.index++;
      return out;
    }
    for (let k = 0; k < out.length; k++) {
      const x = sample[k];
      const x0 = toX0.sample * x + toX0.model * modelOutput[k];
      if (x0Out) x0Out[k] = x0;
      // The noise is read before out[k] is written, so `noise` may alias `out`.
      out[k] = x + (x - x0) * slope + (noise ? sigmaUp * noise[k] : 0);
    }
    this.index++;
    return out;
  }

  /** z for this step: the caller's, or drawn from its generator into a reused buffer. */
  private stepNoise(length: number, options: StepOptions): Float32Array {
    if (options.noise) return options.noise;
    if (!options.generator) throw new Error(`${CLASS_NAME}.step: a stochastic step needs options.noise or options.generator`);
    if (this.noiseBuffer?.length !== length) this.noiseBuffer = new Float32Array(length);
    return options.generator.fill(this.noiseBuffer);
  }
}
