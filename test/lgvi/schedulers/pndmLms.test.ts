// PNDM (PLMS, skip_prk_steps) and LMS Discrete against diffusers 0.29.2 itself: the values in
// test/fixtures/schedulers/pndm-lms.json were recorded by models/export/record_scheduler_reference.py
// (seeded model outputs that depend on the sample, fed step by step). Each step here is fed the
// same model output diffusers got, and must reproduce its prev_sample.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createScheduler, lagrangeBasisIntegral, LMSDiscreteScheduler, PNDMScheduler } from '../../../src/engine/lgvi/schedulers';

interface Case {
  className: string;
  config: Record<string, unknown>;
  steps: number;
  timesteps: number[];
  initNoiseSigma: number;
  initial: number[];
  calls: { scaled: number[]; modelOutput: number[]; prevSample: number[] }[];
}

const recorded = JSON.parse(readFileSync(new URL('../../fixtures/schedulers/pndm-lms.json', import.meta.url), 'utf8')) as { diffusers: string; cases: Case[] };

function maxRel(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let scale = 1e-6;
  let diff = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]));
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
  }
  return diff / scale;
}

describe(`PNDM and LMS against diffusers ${recorded.diffusers}`, () => {
  for (const c of recorded.cases) {
    it(`${c.className} ${JSON.stringify(c.config).slice(0, 200)} at ${c.steps} steps`, () => {
      const scheduler = createScheduler(c.config);
      expect(scheduler.className).toBe(c.className);
      scheduler.setTimesteps(c.steps);
      expect(scheduler.timesteps.length).toBe(c.timesteps.length);
      scheduler.timesteps.forEach((t, i) => expect(Math.abs(t - c.timesteps[i])).toBeLessThanOrEqual(1e-4 * Math.max(1, c.timesteps[i])));
      expect(scheduler.initNoiseSigma).toBeCloseTo(c.initNoiseSigma, 4);
      let sample: Float32Array = Float32Array.from(c.initial);
      c.calls.forEach((call, i) => {
        const t = scheduler.timesteps[i];
        const scaled = scheduler.scaleModelInput(sample, t);
        expect(maxRel(scaled, call.scaled)).toBeLessThan(1e-5);
        sample = scheduler.step(Float32Array.from(call.modelOutput), t, sample);
        expect(maxRel(sample, call.prevSample), `step ${i}`).toBeLessThan(1e-5);
      });
    });
  }

  it('a clone starts again from step 0 with an empty history', () => {
    const c = recorded.cases.find((x) => x.className === 'PNDMScheduler' && x.steps === 7)!;
    const a = createScheduler(c.config);
    a.setTimesteps(c.steps);
    const b = a.clone();
    let x: Float32Array = Float32Array.from(c.initial);
    a.step(Float32Array.from(c.calls[0].modelOutput), a.timesteps[0], x); // a moves on; b must not care
    for (const [i, call] of c.calls.entries()) {
      x = b.step(Float32Array.from(call.modelOutput), b.timesteps[i], x);
      expect(maxRel(x, call.prevSample)).toBeLessThan(1e-5);
    }
  });
});

describe('PNDM config', () => {
  it('refuses the Runge-Kutta variant (skip_prk_steps false, diffusers\' default) with what to set', () => {
    expect(() => PNDMScheduler.fromConfig({ num_train_timesteps: 1000 })).toThrow(/skip_prk_steps = false/);
    expect(() => createScheduler({ _class_name: 'PNDMScheduler', skip_prk_steps: false })).toThrow(/skip_prk_steps/);
  });

  it('runs as itself, with no substitution note', () => {
    const s = createScheduler({ _class_name: 'PNDMScheduler', skip_prk_steps: true, steps_offset: 1, beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012 });
    expect(s).toBeInstanceOf(PNDMScheduler);
    expect(s.notes.join(' ')).not.toMatch(/DDIM/);
    s.setTimesteps(50);
    expect(s.timesteps.length).toBe(51);
    expect(s.timesteps.slice(0, 3)).toEqual([981, 961, 961]);
  });
});

describe('LMS coefficients', () => {
  it('integrates each Lagrange basis polynomial exactly (the bases sum to the interval length)', () => {
    const nodes = [14.6, 7.1, 3.3, 1.2];
    const parts = nodes.map((_, j) => lagrangeBasisIntegral(nodes, j, 1.2, 0.4));
    expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(0.4 - 1.2, 12);
    // A cubic through the nodes is integrated exactly by its values there.
    const f = (x: number) => 2 * x ** 3 - x + 5;
    const exact = (x: number) => x ** 4 / 2 - x ** 2 / 2 + 5 * x;
    const byBasis = nodes.reduce((sum, n, j) => sum + f(n) * parts[j], 0);
    expect(byBasis).toBeCloseTo(exact(0.4) - exact(1.2), 9);
  });

  it('order 1 at the first step is the Euler step', () => {
    const s = LMSDiscreteScheduler.fromConfig({ num_train_timesteps: 1000, beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012 });
    s.setTimesteps(10);
    const [c] = s.coefficients(0);
    expect(c).toBeCloseTo(s.noiseLevels[1] - s.noiseLevels[0], 12);
  });
});
