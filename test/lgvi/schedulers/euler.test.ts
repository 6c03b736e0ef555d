// Euler and Euler ancestral against Karras et al. (2022) alg. 2 in the variance-exploding form, with
// σ = sqrt((1-ᾱ)/ᾱ) at each (possibly fractional, linearly interpolated) timestep, evaluated here
// in float64:
//   x0 = x - σ ε,  d = (x - x0)/σ,  x_next = x + d (σ_next - σ)                     (Euler)
//   σ_up = sqrt(σ_next² (σ² - σ_next²) / σ²),  σ_down = sqrt(σ_next² - σ_up²),
//   x_next = x + d (σ_down - σ) + σ_up z                                           (ancestral)
import { describe, expect, it } from 'vitest';
import { noiseFor } from '../../../src/engine/lgvi/noise/gaussianNoise';
import { createScheduler } from '../../../src/engine/lgvi/schedulers/createScheduler';
import { EulerAncestralDiscreteScheduler } from '../../../src/engine/lgvi/schedulers/eulerAncestral';
import { EulerDiscreteScheduler } from '../../../src/engine/lgvi/schedulers/eulerDiscrete';
import { SD_SCHEDULE, sdAlphaBar, veSigma, veSigmaAt } from './formulas';

const ab = sdAlphaBar();
const EULER = { _class_name: 'EulerDiscreteScheduler', ...SD_SCHEDULE, steps_offset: 1 };
const ANCESTRAL = { ...EULER, _class_name: 'EulerAncestralDiscreteScheduler' };
const sample = Float32Array.of(12.5, -3.1, 0.4, 7.7);
const model = Float32Array.of(0.9, -0.2, 1.4, -1.1);

function closeTo(actual: Float32Array, expected: number[], digits = 4): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, digits));
}

describe('EulerDiscreteScheduler', () => {
  it('starts from σ_max (linspace) or sqrt(σ_max² + 1) (leading) and scales inputs by 1/sqrt(σ² + 1)', () => {
    const linspace = EulerDiscreteScheduler.fromConfig(EULER);
    linspace.setTimesteps(50);
    const sigmaMax = veSigma(ab[999]);
    expect(linspace.initNoiseSigma).toBeCloseTo(sigmaMax, 10);
    closeTo(linspace.scaleModelInput(sample, 999), Array.from(sample, (x) => x / Math.sqrt(sigmaMax ** 2 + 1)), 6);

    const leading = EulerDiscreteScheduler.fromConfig({ ...EULER, timestep_spacing: 'leading' });
    leading.setTimesteps(50);
    // leading, offset 1: the first timestep is 981, but init noise uses that σ as sqrt(σ² + 1).
    expect(leading.timesteps[0]).toBe(981);
    expect(leading.initNoiseSigma).toBeCloseTo(Math.sqrt(veSigma(ab[981]) ** 2 + 1), 10);
    closeTo(leading.scaleModelInput(sample, 981), Array.from(sample, (x) => x / Math.sqrt(veSigma(ab[981]) ** 2 + 1)), 6);
  });

  it('interpolates σ at fractional timesteps and steps with the Euler update (epsilon)', () => {
    const s = EulerDiscreteScheduler.fromConfig(EULER);
    s.setTimesteps(50);
    s.step(model, 999, new Float32Array(4));
    const t = s.timesteps[1]; // 978.6122...
    const t2 = s.timesteps[2]; // 958.2244...
    const sigma = veSigmaAt(ab, t);
    const next = veSigmaAt(ab, t2);
    expect(s.noiseLevels[1]).toBeCloseTo(sigma, 10);
    const expected = Array.from(sample, (x, i) => {
      const x0 = x - sigma * model[i];
      return x + ((x - x0) / sigma) * (next - sigma);
    });
    closeTo(s.step(model, t, sample), expected);
  });

  it('steps v predictions: x0 = x/(σ² + 1) - v σ/sqrt(σ² + 1)', () => {
    const s = EulerDiscreteScheduler.fromConfig({ ...EULER, prediction_type: 'v_prediction' });
    s.setTimesteps(50);
    const sigma = veSigma(ab[999]);
    const next = veSigmaAt(ab, s.timesteps[1]);
    const x0 = Array.from(sample, (x, i) => x / (sigma ** 2 + 1) - (model[i] * sigma) / Math.sqrt(sigma ** 2 + 1));
    const predOriginal = new Float32Array(4);
    closeTo(s.step(model, 999, sample, { predOriginalSample: predOriginal }), x0.map((v, i) => sample[i] + ((sample[i] - v) / sigma) * (next - sigma)));
    closeTo(predOriginal, x0);
  });

  it('ends at σ = 0 (x = x0), or at the smallest training σ with final_sigmas_type sigma_min', () => {
    for (const [finalType, finalSigma] of [['zero', 0], ['sigma_min', veSigma(ab[0])]] as const) {
      const s = EulerDiscreteScheduler.fromConfig({ ...EULER, final_sigmas_type: finalType });
      s.setTimesteps(4);
      for (let i = 0; i < 3; i++) s.step(model, s.timesteps[i], new Float32Array(4));
      // linspace(0, 999, 4): the last timestep is 0, σ_0 = sqrt((1 - ᾱ_0)/ᾱ_0).
      expect(s.timesteps[3]).toBe(0);
      const sigma = veSigma(ab[0]);
      closeTo(s.step(model, 0, sample), Array.from(sample, (x, i) => x + model[i] * (finalSigma - sigma)), 5);
    }
  });
});

describe('EulerAncestralDiscreteScheduler', () => {
  it('adds σ_up of the given noise after an Euler step down to σ_down', () => {
    const s = EulerAncestralDiscreteScheduler.fromConfig(ANCESTRAL);
    s.setTimesteps(50);
    expect(s.stochastic).toBe(true);
    const sigma = veSigma(ab[999]);
    const next = veSigmaAt(ab, s.timesteps[1]);
    const up = Math.sqrt((next ** 2 * (sigma ** 2 - next ** 2)) / sigma ** 2);
    const down = Math.sqrt(next ** 2 - up ** 2);
    const z = Float32Array.of(0.5, -1.5, 2.0, 0.1);
    const expected = Array.from(sample, (x, i) => {
      const x0 = x - sigma * model[i];
      return x + ((x - x0) / sigma) * (down - sigma) + up * z[i];
    });
    closeTo(s.step(model, 999, sample, { noise: z }), expected);
  });

  it('steps v predictions with the same x0 as Euler', () => {
    const s = EulerAncestralDiscreteScheduler.fromConfig({ ...ANCESTRAL, prediction_type: 'v_prediction' });
    s.setTimesteps(50);
    const sigma = veSigma(ab[999]);
    const next = veSigmaAt(ab, s.timesteps[1]);
    const up = Math.sqrt((next ** 2 * (sigma ** 2 - next ** 2)) / sigma ** 2);
    const down = Math.sqrt(next ** 2 - up ** 2);
    const z = Float32Array.of(-0.3, 0.7, 0.0, 1.2);
    const expected = Array.from(sample, (x, i) => {
      const x0 = x / (sigma ** 2 + 1) - (model[i] * sigma) / Math.sqrt(sigma ** 2 + 1);
      return x + ((x - x0) / sigma) * (down - sigma) + up * z[i];
    });
    closeTo(s.step(model, 999, sample, { noise: z }), expected);
  });

  it('replays exactly: explicit noise equal to the generator gives the same run, and the same seed repeats it', () => {
    const n = 64;
    const init = noiseFor(11, 'initial-latents').fill(new Float32Array(n));
    const run = (noiseFrom: 'generator' | 'explicit'): Float32Array => {
      const s = createScheduler(ANCESTRAL);
      s.setTimesteps(10);
      const x = Float32Array.from(init, (v) => v * s.initNoiseSigma);
      const input = new Float32Array(n);
      const out = new Float32Array(n);
      const generator = noiseFor(11, 'ancestral');
      for (const t of s.timesteps) {
        s.scaleModelInput(x, t, input);
        const eps = input.map((v) => 0.5 * v);
        if (noiseFrom === 'generator') s.step(eps, t, x, { out: x, generator });
        else s.step(eps, t, x, { out: x, noise: generator.fill(out) });
      }
      return x;
    };
    const a = run('generator');
    expect(run('generator')).toEqual(a);
    expect(run('explicit')).toEqual(a);
    expect(a.every(Number.isFinite)).toBe(true);
  });

  it('needs noise or a generator', () => {
    const s = EulerAncestralDiscreteScheduler.fromConfig(ANCESTRAL);
    s.setTimesteps(5);
    expect(() => s.step(model, 999, sample)).toThrow(/options.noise or options.generator/);
  });
});
