// What every scheduler offers the sampler, modelled on diffusers' scheduler objects:
//
//   scheduler.setTimesteps(50);
//   latents = noise * scheduler.initNoiseSigma;
//   for (const t of scheduler.timesteps) {
//     const input = scheduler.scaleModelInput(latents, t, inputBuffer);
//     const modelOutput = unet(input, t, ...);
//     scheduler.step(modelOutput, t, latents, { out: latents, generator });
//   }
//
// Tensors are flat Float32Arrays (a latent window [B, 4, T, h, w]); steps are elementwise with
// per-step coefficients computed once in float64, and write into a caller's buffer when given one,
// because a window has ~250k elements and a run takes 50 steps per window over many windows.
import { LacunaError } from '../../util/errors';
import type { NoiseSource } from '../noise/gaussianNoise';
import { checkSameLength } from '../noise/sameLength';

export const SCHEDULER_CLASS_NAMES = [
  'DDIMScheduler',
  'EulerDiscreteScheduler',
  'EulerAncestralDiscreteScheduler',
  'DPMSolverMultistepScheduler',
  'PNDMScheduler',
  'LMSDiscreteScheduler',
] as const;
export type SchedulerClassName = (typeof SCHEDULER_CLASS_NAMES)[number];

export interface StepOptions {
  /** Where the previous (less noisy) sample goes; may be `sample` itself. Default: a new array. */
  out?: Float32Array;
  /** If given, receives the step's prediction of the clean sample x0. */
  predOriginalSample?: Float32Array;
  /**
   * Standard-normal noise for a stochastic step (Euler ancestral), same length as the sample:
   * lets a run be replayed against reference vectors. Takes precedence over `generator`.
   */
  noise?: Float32Array;
  /** Where a stochastic step draws its noise when `noise` is not given. */
  generator?: NoiseSource;
}

export interface Scheduler {
  readonly className: SchedulerClassName;
  /** The config as read (diffusers' defaults filled in): with className, it makes the same scheduler again. */
  readonly config: Readonly<object>;
  /** What was ignored or substituted in the config, for the job log. */
  readonly notes: readonly string[];
  readonly numTrainTimesteps: number;
  /** Whether `step` adds noise (and so needs `noise` or `generator`). */
  readonly stochastic: boolean;
  /** The timesteps of the run, noisiest first; empty before `setTimesteps`. */
  readonly timesteps: readonly number[];
  /**
   * The Euler and DPM-Solver schedulers' noise level σ = sqrt((1-ᾱ)/ᾱ) at each timestep, then the
   * final one (length steps + 1); empty for DDIM, which steps on ᾱ directly.
   */
  readonly noiseLevels: readonly number[];
  /**
   * The step count given to setTimesteps (0 before): not always the number of timesteps, since
   * PNDM's PLMS calls the model once more than it has steps. A scheduler is rebuilt from it.
   */
  readonly inferenceSteps: number;
  /** How many steps have been taken since `setTimesteps`. */
  readonly stepIndex: number;
  /** Standard deviation of the initial noise: multiply N(0, 1) noise by it. */
  readonly initNoiseSigma: number;
  /** Chooses the run's timesteps and resets the step state. */
  setTimesteps(steps: number): void;
  /** The U-Net input for the current step (`timestep` must be the current one). */
  scaleModelInput(sample: Float32Array, timestep: number, out?: Float32Array): Float32Array;
  /** Advances one step from the model's output at the current timestep; returns the new sample. */
  step(modelOutput: Float32Array, timestep: number, sample: Float32Array, options?: StepOptions): Float32Array;
  /** A fresh scheduler with the same config and timesteps at step 0 (cheap: tables are shared). */
  clone(): Scheduler;
}

/**
 * What setTimesteps decides for a run: the timesteps, and for the σ-based schedulers (Euler,
 * DPM-Solver) the noise level at each of them followed by the final one (length steps + 1).
 */
export interface RunPlan {
  readonly timesteps: readonly number[];
  /** The step count the plan was made for (set by setTimesteps). */
  readonly steps?: number;
  readonly sigmas?: readonly number[];
}

/**
 * The bookkeeping every scheduler shares: timesteps, the step counter and its checks, and output
 * buffers. Subclasses supply the timesteps for a step count and the step arithmetic.
 */
export abstract class SchedulerBase implements Scheduler {
  abstract readonly className: SchedulerClassName;
  abstract readonly config: Readonly<object>;
  abstract readonly stochastic: boolean;
  abstract readonly initNoiseSigma: number;
  /** Shared, never mutated: clones take the same plan. */
  protected plan: RunPlan = { timesteps: [] };
  protected index = 0;

  constructor(
    readonly numTrainTimesteps: number,
    readonly notes: readonly string[],
  ) {}

  get timesteps(): readonly number[] {
    return this.plan.timesteps;
  }

  get noiseLevels(): readonly number[] {
    return this.plan.sigmas ?? [];
  }

  get stepIndex(): number {
    return this.index;
  }

  get inferenceSteps(): number {
    return this.plan.steps ?? 0;
  }

  setTimesteps(steps: number): void {
    if (!Number.isInteger(steps) || steps < 1 || steps > this.numTrainTimesteps) {
      throw new LacunaError(
        'BAD_ARGUMENT',
        `${String(steps)} sampling steps is not possible: the model was trained with ${this.numTrainTimesteps} timesteps`,
        `Choose a whole number of steps from 1 to ${this.numTrainTimesteps} (the reference uses 50).`,
      );
    }
    const plan = this.planRun(steps);
    const timesteps = plan.timesteps;
    const bad = timesteps.find((t) => !(t >= 0 && t <= this.numTrainTimesteps - 1));
    if (bad !== undefined || timesteps.length === 0) {
      // e.g. leading spacing with a steps_offset that pushes the first timestep past the end.
      throw new LacunaError(
        'BAD_ARGUMENT',
        `${steps} steps with this scheduler config gives timestep ${String(bad)}, outside 0..${this.numTrainTimesteps - 1}`,
        'Use fewer steps, or check scheduler.steps_offset and scheduler.timestep_spacing in the pack.',
      );
    }
    this.plan = { ...plan, steps };
    this.index = 0;
    this.resetState();
  }

  abstract scaleModelInput(sample: Float32Array, timestep: number, out?: Float32Array): Float32Array;
  abstract step(modelOutput: Float32Array, timestep: number, sample: Float32Array, options?: StepOptions): Float32Array;
  abstract clone(): Scheduler;

  /** The run's timesteps (and noise levels) for `steps` steps, noisiest first. */
  protected abstract planRun(steps: number): RunPlan;

  /** Clears multistep history; called by setTimesteps. */
  protected resetState(): void {}

  /** Gives a fresh instance (a clone) this one's run plan, at step 0. */
  protected adoptPlanFrom(other: SchedulerBase): void {
    this.plan = other.plan;
    this.index = 0;
    this.resetState();
  }

  /** The current step's index, after checking the caller passed the current timestep. */
  protected currentIndex(timestep: number, what: string): number {
    if (this.plan.timesteps.length === 0) throw new Error(`${this.className}.${what}: call setTimesteps first`);
    if (this.index >= this.plan.timesteps.length) {
      throw new Error(`${this.className}.${what}: all ${this.plan.timesteps.length} steps are done; call setTimesteps (or clone) for another run`);
    }
    const expected = this.plan.timesteps[this.index];
    if (timestep !== expected) {
      throw new Error(`${this.className}.${what}: timestep ${timestep} is not the current one (${expected}, step ${this.index})`);
    }
    return this.index;
  }

  /** The output array of a step, after checking every tensor has the sample's length. */
  protected stepOutput(modelOutput: Float32Array, sample: Float32Array, options: StepOptions): Float32Array {
    const arrays: Record<string, Float32Array> = { sample, modelOutput };
    if (options.out) arrays.out = options.out;
    if (options.predOriginalSample) arrays.predOriginalSample = options.predOriginalSample;
    if (options.noise) arrays.noise = options.noise;
    checkSameLength(`${this.className}.step`, arrays);
    return options.out ?? new Float32Array(sample.length);
  }
}

/** `sample` unchanged, or copied into `out` when given: scaleModelInput of schedulers that do not scale. */
export function unscaledModelInput(sample: Float32Array, out?: Float32Array): Float32Array {
  if (!out || out === sample) return sample;
  checkSameLength('scaleModelInput', { sample, out });
  out.set(sample);
  return out;
}
