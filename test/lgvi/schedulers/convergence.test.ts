// Whole sampling loops on a toy "U-Net" that is the exact denoiser for data x0 ~ N(0, d²) per
// element (see formulas.ts). For that data the probability-flow ODE has a closed form,
// x_ve(s) ∝ sqrt(d² + s²), so a deterministic sampler must map initial noise z to a known multiple
// of z, approaching it as the step count grows (first-order methods: error ∝ 1/steps; DPM++ 2M is
// limited by its first-order final step). The ancestral sampler must instead produce samples with
// standard deviation d. Loops run on a few elements only, so they take milliseconds.
import { describe, expect, it } from 'vitest';
import { noiseFor } from '../../../src/engine/lgvi/noise/gaussianNoise';
import { createScheduler } from '../../../src/engine/lgvi/schedulers/createScheduler';
import type { Scheduler } from '../../../src/engine/lgvi/schedulers/scheduler';
import { exactVeRatio, SD_SCHEDULE, sdAlphaBar, toyModelFactor, veSigma, veSigmaAt } from './formulas';

const ab = sdAlphaBar();
const D = 0.8;

function sample(scheduler: Scheduler, prediction: 'epsilon' | 'v_prediction', z: Float32Array): Float32Array {
  const x = Float32Array.from(z, (v) => v * scheduler.initNoiseSigma);
  const input = new Float32Array(z.length);
  const model = new Float32Array(z.length);
  const generator = noiseFor(2024, 'ancestral');
  for (const t of scheduler.timesteps) {
    scheduler.scaleModelInput(x, t, input);
    const c = toyModelFactor(prediction, veSigmaAt(ab, t), D);
    for (let k = 0; k < z.length; k++) model[k] = c * input[k];
    scheduler.step(model, t, x, { out: x, generator });
  }
  return x;
}

/**
 * Final sample / initial noise for the exact ODE. VP samplers (DDIM, DPM) hold α·x_ve and start
 * from unit noise at the first timestep; the Euler ones hold x_ve and start from σ_first·z.
 * DDIM's last step lands on ᾱ_0 (set_alpha_to_one false), the others on σ = 0.
 */
function exactRatio(name: string, firstTimestep: number): number {
  const first = veSigma(ab[firstTimestep]);
  const alphaFirst = 1 / Math.sqrt(first * first + 1);
  switch (name) {
    case 'DDIMScheduler':
      return (Math.sqrt(ab[0]) / alphaFirst) * exactVeRatio(first, veSigma(ab[0]), D);
    case 'DPMSolverMultistepScheduler':
      return exactVeRatio(first, 0, D) / alphaFirst;
    default:
      return first * exactVeRatio(first, 0, D);
  }
}

const deterministic: Array<[string, string, number, number]> = [
  // class, spacing, max relative error at 50 steps, at 500 steps
  ['DDIMScheduler', 'leading', 0.04, 0.005],
  ['EulerDiscreteScheduler', 'linspace', 0.04, 0.005],
  ['DPMSolverMultistepScheduler', 'leading', 0.015, 0.0025],
];

describe('50-step loops on an exactly solvable toy model', () => {
  for (const [name, spacing, at50, at500] of deterministic) {
    for (const prediction of ['epsilon', 'v_prediction'] as const) {
      it(`${name} (${prediction}) follows the probability-flow ODE and converges with more steps`, () => {
        const z = Float32Array.of(1.3, -0.4, 2.2, -1.7);
        const errors = [50, 500].map((steps) => {
          const scheduler = createScheduler({ _class_name: name, ...SD_SCHEDULE, steps_offset: 1, set_alpha_to_one: false, clip_sample: false, prediction_type: prediction, timestep_spacing: spacing });
          scheduler.setTimesteps(steps);
          const x = sample(scheduler, prediction, z);
          const exact = exactRatio(name, scheduler.timesteps[0]);
          // The map is linear, so every element has the same ratio.
          const ratios = Array.from(x, (v, k) => v / z[k]);
          for (const r of ratios) expect(r).toBeCloseTo(ratios[0], 4);
          return Math.abs(ratios[0] / exact - 1);
        });
        expect(errors[0]).toBeLessThan(at50);
        expect(errors[1]).toBeLessThan(at500);
        expect(errors[1]).toBeLessThan(errors[0] / 3);
      });
    }
  }

  it('Euler ancestral (epsilon) produces samples with the data spread d, forgetting most of the initial noise', () => {
    const z = noiseFor(7, 'initial-latents').fill(new Float32Array(20_000));
    const spread = (steps: number): { std: number; corr: number } => {
      const scheduler = createScheduler({ _class_name: 'EulerAncestralDiscreteScheduler', ...SD_SCHEDULE, steps_offset: 1 });
      scheduler.setTimesteps(steps);
      const x = sample(scheduler, 'epsilon', z);
      let xx = 0;
      let xz = 0;
      let zz = 0;
      for (let k = 0; k < z.length; k++) {
        xx += x[k] * x[k];
        xz += x[k] * z[k];
        zz += z[k] * z[k];
      }
      return { std: Math.sqrt(xx / z.length), corr: xz / Math.sqrt(xx * zz) };
    };
    const at50 = spread(50);
    const at500 = spread(500);
    // Deterministic samplers keep corr = 1; the ancestral one re-noises every step.
    expect(at50.corr).toBeLessThan(0.1);
    expect(Math.abs(at50.std / D - 1)).toBeLessThan(0.1);
    expect(Math.abs(at500.std / D - 1)).toBeLessThan(0.025);
    expect(Math.abs(at500.std / D - 1)).toBeLessThan(Math.abs(at50.std / D - 1));
  });
});
