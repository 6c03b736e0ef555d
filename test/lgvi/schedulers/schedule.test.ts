// The noise schedule and the timesteps a run visits, against values derived by hand from the
// formulas (and numpy's rounding rules, which diffusers' timesteps inherit).
import { describe, expect, it } from 'vitest';
import { alphasCumprod, betas, BETA_DEFAULTS } from '../../../src/engine/lgvi/schedulers/betaSchedule';
import { createScheduler } from '../../../src/engine/lgvi/schedulers/createScheduler';
import { roundHalfEven } from '../../../src/engine/lgvi/schedulers/timestepSpacing';
import { isLacunaError } from '../../../src/engine/util/errors';
import { SD_SCHEDULE, sdAlphaBar, veSigma } from './formulas';

const schedule = (overrides: Partial<typeof BETA_DEFAULTS>) => ({ ...BETA_DEFAULTS, ...overrides });

function timestepsOf(className: string, steps: number, extra: Record<string, unknown> = {}): readonly number[] {
  const scheduler = createScheduler({ _class_name: className, ...SD_SCHEDULE, ...extra });
  scheduler.setTimesteps(steps);
  return scheduler.timesteps;
}

describe('beta schedules', () => {
  it('linear: β_k = β_start + k (β_end - β_start) / (N - 1)', () => {
    const b = betas(schedule({ beta_schedule: 'linear' }));
    expect(b.length).toBe(1000);
    expect(b[0]).toBe(0.0001);
    expect(b[999]).toBe(0.02);
    // k = 500: 0.0001 + 500 * 0.0199 / 999 = 0.010060060...
    expect(b[500]).toBeCloseTo(0.0001 + (500 * 0.0199) / 999, 15);
  });

  it('scaled_linear: linear in sqrt(β), and ᾱ as the running product of 1 - β', () => {
    const config = schedule(SD_SCHEDULE);
    const b = betas(config);
    expect(b[0]).toBeCloseTo(0.00085, 15);
    expect(b[999]).toBeCloseTo(0.012, 15);
    const root = Math.sqrt(0.00085) + (500 / 999) * (Math.sqrt(0.012) - Math.sqrt(0.00085));
    expect(b[500]).toBeCloseTo(root * root, 15);
    const ac = alphasCumprod(config);
    const expected = sdAlphaBar();
    expect(ac[0]).toBeCloseTo(0.99915, 15);
    for (const t of [1, 10, 500, 999]) expect(ac[t]).toBeCloseTo(expected[t], 12);
    // The well-known Stable Diffusion σ_max (diffusers' EulerDiscreteScheduler.init_noise_sigma for SD 1.x).
    expect(veSigma(ac[999])).toBeCloseTo(14.6146, 3);
  });

  it('squaredcos_cap_v2: β_i = min(1 - f((i+1)/N) / f(i/N), 0.999), f(t) = cos²((t + 0.008)/1.008 · π/2)', () => {
    const f = (t: number): number => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    const b = betas(schedule({ beta_schedule: 'squaredcos_cap_v2' }));
    expect(b[0]).toBeCloseTo(1 - f(1 / 1000) / f(0), 15);
    expect(b[400]).toBeCloseTo(1 - f(401 / 1000) / f(400 / 1000), 15);
    // f(1) = cos²(π/2) ≈ 0, so the last beta would be ~1: the cap holds it at 0.999.
    expect(b[999]).toBe(0.999);
  });

  it('trained_betas replace the schedule', () => {
    const ac = alphasCumprod(schedule({ num_train_timesteps: 2, trained_betas: [0.1, 0.2] }));
    // ᾱ = [0.9, 0.9 * 0.8]
    expect(ac[0]).toBeCloseTo(0.9, 15);
    expect(ac[1]).toBeCloseTo(0.72, 15);
  });
});

describe('numpy rounding', () => {
  it('rounds halves to even', () => {
    expect([0.5, 1.5, 2.5, 166.5, 832.5, -0.5, -1.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, 166, 832, -0, -2, 2, 3]);
  });
});

describe('DDIM timesteps', () => {
  it('leading with steps_offset 1, 50 steps (SD): k·floor(1000/50) + 1 = 981, 961, ..., 1', () => {
    const ts = timestepsOf('DDIMScheduler', 50, { timestep_spacing: 'leading', steps_offset: 1 });
    expect(ts).toEqual(Array.from({ length: 50 }, (_, i) => 981 - 20 * i));
  });

  it('leading without offset, 3 steps: floor(1000/3) = 333 → 666, 333, 0', () => {
    expect(timestepsOf('DDIMScheduler', 3, { timestep_spacing: 'leading' })).toEqual([666, 333, 0]);
  });

  it('trailing, 3 steps: arange(1000, 0, -333.3) = 1000, 666.7, 333.3 → round − 1 = 999, 666, 332', () => {
    expect(timestepsOf('DDIMScheduler', 3, { timestep_spacing: 'trailing' })).toEqual([999, 666, 332]);
  });

  it('trailing ignores steps_offset, as diffusers does: 4 steps → 999, 749, 499, 249', () => {
    expect(timestepsOf('DDIMScheduler', 4, { timestep_spacing: 'trailing', steps_offset: 1 })).toEqual([999, 749, 499, 249]);
  });

  it('linspace, 7 steps: step 999/6 = 166.5, so 166.5 → 166 and 832.5 → 832 (half to even)', () => {
    // linspace(0, 999, 7) = 0, 166.5, 333, 499.5, 666, 832.5, 999 → 0, 166, 333, 500, 666, 832, 999.
    expect(timestepsOf('DDIMScheduler', 7, { timestep_spacing: 'linspace' })).toEqual([999, 832, 666, 500, 333, 166, 0]);
  });

  it('defaults to leading spacing without offset', () => {
    expect(timestepsOf('DDIMScheduler', 4)).toEqual([750, 500, 250, 0]);
  });
});

describe('Euler timesteps', () => {
  it.each(['EulerDiscreteScheduler', 'EulerAncestralDiscreteScheduler'])('%s linspace keeps fractional float32 timesteps', (cls) => {
    // linspace(0, 999, 50)[k] = k · 999/49 = k · 20.3877551..., not rounded, stored as float32.
    const ts = timestepsOf(cls, 50);
    expect(ts.length).toBe(50);
    expect(ts[0]).toBe(999);
    expect(ts[1]).toBe(Math.fround(48 * (999 / 49)));
    expect(ts[1]).toBeCloseTo(978.6122, 3);
    expect(ts[48]).toBe(Math.fround(999 / 49));
    expect(ts[49]).toBe(0);
  });

  it('uses the DDIM formulas for leading and trailing', () => {
    expect(timestepsOf('EulerDiscreteScheduler', 50, { timestep_spacing: 'leading', steps_offset: 1 })).toEqual(Array.from({ length: 50 }, (_, i) => 981 - 20 * i));
    expect(timestepsOf('EulerAncestralDiscreteScheduler', 3, { timestep_spacing: 'trailing' })).toEqual([999, 666, 332]);
  });
});

describe('DPM-Solver timesteps', () => {
  it('linspace, 50 steps: round(linspace(0, 999, 51)) without its final 0: 999, 979, ..., 20', () => {
    // linspace(0, 999, 51)[k] = 19.98 k; k = 49: 979.02 → 979; k = 1: 19.98 → 20.
    const ts = timestepsOf('DPMSolverMultistepScheduler', 50);
    expect(ts.length).toBe(50);
    expect(ts.slice(0, 3)).toEqual([999, 979, 959]);
    expect(ts[49]).toBe(20);
    expect(ts).toEqual(Array.from({ length: 50 }, (_, i) => Math.round(19.98 * (50 - i))));
  });

  it('linspace, 6 steps: step 166.5 rounds half to even: 999, 832, 666, 500, 333, 166', () => {
    expect(timestepsOf('DPMSolverMultistepScheduler', 6)).toEqual([999, 832, 666, 500, 333, 166]);
  });

  it('leading, 50 steps, offset 1: floor(1000/51) = 19 → 50·19 + 1 = 951, ..., 1·19 + 1 = 20', () => {
    const ts = timestepsOf('DPMSolverMultistepScheduler', 50, { timestep_spacing: 'leading', steps_offset: 1 });
    expect(ts).toEqual(Array.from({ length: 50 }, (_, i) => 19 * (50 - i) + 1));
  });

  it('trailing, 4 steps: arange(1000, 0, -250) − 1 = 999, 749, 499, 249', () => {
    expect(timestepsOf('DPMSolverMultistepScheduler', 4, { timestep_spacing: 'trailing' })).toEqual([999, 749, 499, 249]);
  });

  it('lambda_min_clipped drops the noisiest timesteps whose λ = ln(α/σ) is below it', () => {
    // λ_t = ½ ln(ᾱ_t / (1 - ᾱ_t)); count how many of t = 999, 998, ... fall below -2.5.
    const ab = sdAlphaBar();
    let clipped = 0;
    while (0.5 * Math.log(ab[999 - clipped] / (1 - ab[999 - clipped])) < -2.5) clipped++;
    expect(clipped).toBeGreaterThan(0);
    const last = 1000 - clipped;
    // linspace, 4 steps: round(linspace(0, last - 1, 5)) reversed, without 0.
    const step = (last - 1) / 4;
    const expected = [4, 3, 2, 1].map((k) => roundHalfEven(k === 4 ? last - 1 : k * step));
    expect(timestepsOf('DPMSolverMultistepScheduler', 4, { lambda_min_clipped: -2.5 })).toEqual(expected);
  });
});

describe('step counts', () => {
  it.each([0, -1, 2.5, 1001])('refuses %s steps with BAD_ARGUMENT', (steps) => {
    const scheduler = createScheduler({ _class_name: 'DDIMScheduler', ...SD_SCHEDULE });
    let caught: unknown;
    try {
      scheduler.setTimesteps(steps);
    } catch (e) {
      caught = e;
    }
    expect(isLacunaError(caught, 'BAD_ARGUMENT')).toBe(true);
  });

  it('refuses a steps_offset that pushes a timestep past the last trained one', () => {
    // leading, 1000 steps: (999 · 1) + 1 = 1000 does not exist.
    const scheduler = createScheduler({ _class_name: 'DDIMScheduler', ...SD_SCHEDULE, steps_offset: 1 });
    expect(() => scheduler.setTimesteps(1000)).toThrow(/timestep 1000, outside 0..999/);
    scheduler.setTimesteps(999);
    expect(scheduler.timesteps[0]).toBe(999);
  });
});
