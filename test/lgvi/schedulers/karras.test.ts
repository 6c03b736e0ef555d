// "Karras" noise levels (Karras et al. 2022, eq. 5, ρ = 7) for Euler and DPM-Solver++:
//   σ_i = (σ_max^(1/7) + i/(S-1) · (σ_min^(1/7) - σ_max^(1/7)))^7,
// each mapped back to a training timestep t where ln σ, linearly interpolated between the integer
// timesteps around t, equals ln σ_i (fractional for Euler, rounded for DPM-Solver).
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../src/engine/lgvi/schedulers/createScheduler';
import type { Scheduler } from '../../../src/engine/lgvi/schedulers/scheduler';
import { SD_SCHEDULE, sdAlphaBar, veSigma } from './formulas';

const ab = sdAlphaBar();
const sigmaMin = veSigma(ab[0]); // sqrt(0.00085 / 0.99915) = 0.02917
const sigmaMax = veSigma(ab[999]); // 14.6146

const karras = (min: number, max: number, steps: number): number[] =>
  Array.from({ length: steps }, (_, i) => (max ** (1 / 7) + (i / (steps - 1)) * (min ** (1 / 7) - max ** (1 / 7))) ** 7);

/** σ at a fractional timestep when ln σ is interpolated linearly (the inverse of the mapping under test). */
const logInterpolatedSigma = (t: number): number => {
  const i = Math.min(Math.floor(t), 998);
  const w = t - i;
  return Math.exp((1 - w) * Math.log(veSigma(ab[i])) + w * Math.log(veSigma(ab[i + 1])));
};

function started(config: Record<string, unknown>, steps: number): Scheduler {
  const s = createScheduler({ ...SD_SCHEDULE, use_karras_sigmas: true, ...config });
  s.setTimesteps(steps);
  return s;
}

describe('Karras sigmas', () => {
  it('Euler: noise levels from the spaced run\'s σ range, fractional timesteps mapped back through ln σ', () => {
    const s = started({ _class_name: 'EulerDiscreteScheduler' }, 5);
    // linspace spacing: the spaced run goes from t = 999 (σ_max) to t = 0 (σ_min).
    const expected = karras(sigmaMin, sigmaMax, 5);
    expected.forEach((sigma, i) => expect(s.noiseLevels[i]).toBeCloseTo(sigma, 10));
    expect(s.noiseLevels[5]).toBe(0);
    expect(s.initNoiseSigma).toBeCloseTo(sigmaMax, 10);
    expect(s.timesteps[0]).toBe(999);
    // ((σ_min^(1/7))^7 is σ_min only to rounding, so the last timestep is 0 to ~1e-15, as in diffusers.
    expect(s.timesteps[4]).toBeCloseTo(0, 10);
    s.timesteps.forEach((t, i) => {
      expect(t).toBe(Math.fround(t));
      // float32 timesteps resolve ~6e-5 near 999: allow that in σ.
      expect(logInterpolatedSigma(t) / expected[i]).toBeCloseTo(1, 4);
    });
    // More steps land at low noise: the middle level is far below the middle of the range.
    expect(s.noiseLevels[2]).toBeLessThan(sigmaMax / 4);
  });

  it('Euler: sigma_min / sigma_max bound the levels when given, and the step uses them', () => {
    const s = started({ _class_name: 'EulerDiscreteScheduler', sigma_max: 10, sigma_min: 0.1 }, 4);
    const expected = karras(0.1, 10, 4);
    expected.forEach((sigma, i) => expect(s.noiseLevels[i]).toBeCloseTo(sigma, 10));
    expect(s.initNoiseSigma).toBeCloseTo(10, 10);
    // Euler, epsilon: x_next = x + ε (σ_1 - σ_0).
    const out = s.step(Float32Array.of(0.5), s.timesteps[0], Float32Array.of(3));
    expect(out[0]).toBeCloseTo(3 + 0.5 * (expected[1] - expected[0]), 5);
  });

  it('DPM-Solver++: levels over the whole training range, timesteps rounded', () => {
    const s = started({ _class_name: 'DPMSolverMultistepScheduler' }, 8);
    const expected = karras(sigmaMin, sigmaMax, 8);
    expected.forEach((sigma, i) => expect(s.noiseLevels[i]).toBeCloseTo(sigma, 10));
    expect(s.timesteps[0]).toBe(999);
    expect(s.timesteps[7]).toBe(0);
    s.timesteps.forEach((t, i) => {
      expect(Number.isInteger(t)).toBe(true);
      // The rounded timestep brackets σ_i: its neighbours' σ lie on either side.
      expect(logInterpolatedSigma(Math.max(0, t - 0.5))).toBeLessThanOrEqual(expected[i] * (1 + 1e-9));
      expect(logInterpolatedSigma(Math.min(999, t + 0.5))).toBeGreaterThanOrEqual(expected[i] * (1 - 1e-9));
    });
    // DPM-Solver ignores sigma_min / sigma_max, as diffusers' class has no such fields.
    const bounded = started({ _class_name: 'DPMSolverMultistepScheduler', sigma_max: 10 }, 8);
    expect(bounded.noiseLevels).toEqual(s.noiseLevels);
    expect(bounded.notes).toContain('scheduler.sigma_max is not used by DPMSolverMultistepScheduler; ignored');
  });

  it('DPM-Solver++ steps with the Karras levels (first step, first order)', () => {
    const s = started({ _class_name: 'DPMSolverMultistepScheduler' }, 8);
    const [s0, s1] = karras(sigmaMin, sigmaMax, 8);
    // VP quantities of a VE level: α = 1/sqrt(s² + 1), σ = s α, λ = -ln s.
    const a0 = 1 / Math.sqrt(s0 * s0 + 1);
    const a1 = 1 / Math.sqrt(s1 * s1 + 1);
    const h = Math.log(s0) - Math.log(s1);
    const x = 0.7;
    const eps = -0.4;
    const d = (x - s0 * a0 * eps) / a0;
    const expected = ((s1 * a1) / (s0 * a0)) * x - a1 * (Math.exp(-h) - 1) * d;
    expect(s.step(Float32Array.of(eps), 999, Float32Array.of(x))[0]).toBeCloseTo(expected, 5);
  });
});
