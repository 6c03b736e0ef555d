// DDIM against eq. 12 of Song et al. (2021) with η = 0, evaluated here in float64:
//   x0 = (x_t - sqrt(1-ᾱ_t) ε) / sqrt(ᾱ_t),  x_prev = sqrt(ᾱ_prev) x0 + sqrt(1-ᾱ_prev) ε.
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../src/engine/lgvi/schedulers/createScheduler';
import { DDIMScheduler } from '../../../src/engine/lgvi/schedulers/ddim';
import { SD_DDIM, sdAlphaBar } from './formulas';

const ab = sdAlphaBar();
const sample = Float32Array.of(0.8, -1.3, 0.05, 2.2, -0.4);
const model = Float32Array.of(0.3, -0.9, 1.1, 0.0, -2.0);

function closeTo(actual: Float32Array, expected: number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, digits));
}

describe('DDIMScheduler', () => {
  it('has no input scaling and unit initial noise', () => {
    const s = DDIMScheduler.fromConfig(SD_DDIM);
    s.setTimesteps(50);
    expect(s.initNoiseSigma).toBe(1);
    const out = new Float32Array(5);
    expect(s.scaleModelInput(sample, 981)).toBe(sample);
    expect(Array.from(s.scaleModelInput(sample, 981, out))).toEqual(Array.from(sample));
  });

  it('steps epsilon predictions as eq. 12 says (t = 981 → 961)', () => {
    const s = DDIMScheduler.fromConfig(SD_DDIM);
    s.setTimesteps(50);
    const at = ab[981];
    const ap = ab[961];
    const x0 = Array.from(sample, (x, i) => (x - Math.sqrt(1 - at) * model[i]) / Math.sqrt(at));
    const expected = x0.map((v, i) => Math.sqrt(ap) * v + Math.sqrt(1 - ap) * model[i]);
    const predOriginal = new Float32Array(5);
    closeTo(s.step(model, 981, sample, { predOriginalSample: predOriginal }), expected);
    closeTo(predOriginal, x0);
    expect(s.stepIndex).toBe(1);
  });

  it('steps v predictions: x0 = sqrt(ᾱ) x - sqrt(1-ᾱ) v, ε = sqrt(ᾱ) v + sqrt(1-ᾱ) x', () => {
    const s = DDIMScheduler.fromConfig({ ...SD_DDIM, prediction_type: 'v_prediction' });
    s.setTimesteps(50);
    const at = ab[981];
    const ap = ab[961];
    const expected = Array.from(sample, (x, i) => {
      const x0 = Math.sqrt(at) * x - Math.sqrt(1 - at) * model[i];
      const eps = Math.sqrt(at) * model[i] + Math.sqrt(1 - at) * x;
      return Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * eps;
    });
    closeTo(s.step(model, 981, sample), expected);
  });

  it('steps sample predictions: x0 = m, ε = (x - sqrt(ᾱ) m) / sqrt(1-ᾱ)', () => {
    const s = DDIMScheduler.fromConfig({ ...SD_DDIM, prediction_type: 'sample' });
    s.setTimesteps(50);
    const at = ab[981];
    const ap = ab[961];
    const expected = Array.from(sample, (x, i) => Math.sqrt(ap) * model[i] + Math.sqrt(1 - ap) * ((x - Math.sqrt(at) * model[i]) / Math.sqrt(1 - at)));
    closeTo(s.step(model, 981, sample), expected);
  });

  it('lands the last step on ᾱ_0 (set_alpha_to_one false) or on 1 (true)', () => {
    // Last step of 50 leading/offset-1: t = 1, previous t = 1 - 20 < 0 → the final ᾱ.
    const run = (setAlphaToOne: boolean): Float32Array => {
      const s = DDIMScheduler.fromConfig({ ...SD_DDIM, set_alpha_to_one: setAlphaToOne });
      s.setTimesteps(50);
      for (let i = 0; i < 49; i++) s.step(model, s.timesteps[i], new Float32Array(5));
      expect(s.timesteps[49]).toBe(1);
      return s.step(model, 1, sample);
    };
    const x0 = Array.from(sample, (x, i) => (x - Math.sqrt(1 - ab[1]) * model[i]) / Math.sqrt(ab[1]));
    closeTo(run(true), x0);
    closeTo(run(false), x0.map((v, i) => Math.sqrt(ab[0]) * v + Math.sqrt(1 - ab[0]) * model[i]));
  });

  it('takes the previous timestep as t - floor(N/S) whatever the spacing, as diffusers does', () => {
    // linspace, 7 steps: 999, 832, ...; the step from 999 goes to 999 - floor(1000/7) = 857, not 832.
    const s = DDIMScheduler.fromConfig({ ...SD_DDIM, timestep_spacing: 'linspace' });
    s.setTimesteps(7);
    const at = ab[999];
    const ap = ab[857];
    const expected = Array.from(sample, (x, i) => Math.sqrt(ap) * ((x - Math.sqrt(1 - at) * model[i]) / Math.sqrt(at)) + Math.sqrt(1 - ap) * model[i]);
    closeTo(s.step(model, 999, sample), expected);
  });

  it('clips x0 to ±clip_sample_range when clip_sample is on (diffusers default), keeping the unclipped ε', () => {
    const { clip_sample: _off, ...withDefaultClip } = SD_DDIM;
    const s = createScheduler({ ...withDefaultClip, clip_sample_range: 1.5 });
    s.setTimesteps(50);
    const at = ab[981];
    const ap = ab[961];
    const expected = Array.from(sample, (x, i) => {
      const x0 = Math.min(1.5, Math.max(-1.5, (x - Math.sqrt(1 - at) * model[i]) / Math.sqrt(at)));
      return Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * model[i];
    });
    // At t = 981 x0 = (x - 0.998 ε) / 0.07 is far outside ±1.5 for most elements, so clipping shows.
    closeTo(s.step(model, 981, sample), expected);
  });

  it('writes in place when out is the sample', () => {
    const s = DDIMScheduler.fromConfig(SD_DDIM);
    s.setTimesteps(50);
    const expected = DDIMScheduler.fromConfig(SD_DDIM);
    expected.setTimesteps(50);
    const want = expected.step(model, 981, sample);
    const x = Float32Array.from(sample);
    expect(s.step(model, 981, x, { out: x })).toBe(x);
    expect(x).toEqual(want);
  });
});
