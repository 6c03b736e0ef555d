// The factory and the config reader: the pack's scheduler_config.json picks the class, bad values
// fail with the field named, unimplemented options fail as UNSUPPORTED, the rest is noted.
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../src/engine/lgvi/schedulers/createScheduler';
import { DDIMScheduler } from '../../../src/engine/lgvi/schedulers/ddim';
import { SCHEDULER_CLASS_NAMES } from '../../../src/engine/lgvi/schedulers/scheduler';
import { isLacunaError, type LacunaError, type LacunaErrorCode } from '../../../src/engine/util/errors';
import { SD_DDIM_SCHEDULER } from '../../helpers/fixturePacks';
import { SD_SCHEDULE } from './formulas';

function failure(config: unknown, code: LacunaErrorCode): LacunaError {
  let caught: unknown;
  try {
    createScheduler(config);
  } catch (e) {
    caught = e;
  }
  expect(isLacunaError(caught, code), `expected ${code}, got ${String(caught)}`).toBe(true);
  return caught as LacunaError;
}

/** diffusers' PNDMScheduler config for Stable Diffusion 1.x checkpoints. */
const SD_PNDM = {
  _class_name: 'PNDMScheduler',
  _diffusers_version: '0.6.0',
  ...SD_SCHEDULE,
  num_train_timesteps: 1000,
  set_alpha_to_one: false,
  skip_prk_steps: true,
  steps_offset: 1,
  trained_betas: null,
};

/** A config of `name` on SD's schedule (PNDM only in its PLMS form, as SD ships it). */
function configFor(name: string): Record<string, unknown> {
  return { _class_name: name, ...SD_SCHEDULE, ...(name === 'PNDMScheduler' && { skip_prk_steps: true }) };
}

describe('createScheduler', () => {
  it.each(SCHEDULER_CLASS_NAMES)('creates %s', (name) => {
    const s = createScheduler(configFor(name));
    expect(s.className).toBe(name);
    s.setTimesteps(25);
    // PLMS calls the model once more than it has steps (its second timestep twice).
    expect(s.timesteps.length).toBe(name === 'PNDMScheduler' ? 26 : 25);
  });

  it("reads the fixture packs' SD DDIM config without notes", () => {
    const s = createScheduler(SD_DDIM_SCHEDULER);
    expect(s.className).toBe('DDIMScheduler');
    expect(s.notes).toEqual([]);
    expect(s.stochastic).toBe(false);
    s.setTimesteps(10);
    expect(s.noiseLevels).toEqual([]);
  });

  it('refuses an unknown class with UNSUPPORTED, naming the supported ones', () => {
    const e = failure({ _class_name: 'HeunDiscreteScheduler', ...SD_SCHEDULE }, 'UNSUPPORTED');
    expect(e.message).toContain('HeunDiscreteScheduler');
    for (const name of SCHEDULER_CLASS_NAMES) expect(e.hint).toContain(name);
  });

  it('refuses a config without _class_name', () => {
    expect(failure({ ...SD_SCHEDULE }, 'MODEL_PACK_INVALID').message).toContain('scheduler._class_name');
    failure(null, 'MODEL_PACK_INVALID');
  });

  it('runs an SD 1.x PNDM config as PNDM (PLMS), not as DDIM, with no note', () => {
    const s = createScheduler(SD_PNDM);
    expect(s.className).toBe('PNDMScheduler');
    expect(s).not.toBeInstanceOf(DDIMScheduler);
    expect(s.notes).toEqual([]);
    s.setTimesteps(50);
    expect(s.timesteps.slice(0, 4)).toEqual([981, 961, 961, 941]);
  });

  it('notes fields it ignores: unknown ones, and known ones the class does not use', () => {
    const s = createScheduler({ ...SD_DDIM_SCHEDULER, _class_name: 'EulerDiscreteScheduler', karras_rho: 7 });
    expect(s.notes).toContain('scheduler.karras_rho is not a field Lacuna knows; ignored');
    expect(s.notes).toContain('scheduler.set_alpha_to_one is not used by EulerDiscreteScheduler; ignored');
    expect(s.notes.some((n) => n.includes('_diffusers_version'))).toBe(false);
  });

  it.each([
    [{ beta_schedule: 'cosine' }, 'scheduler.beta_schedule'],
    [{ beta_start: -0.1 }, 'scheduler.beta_start'],
    [{ steps_offset: 1.5 }, 'scheduler.steps_offset'],
    [{ prediction_type: 'noise' }, 'scheduler.prediction_type'],
    [{ timestep_spacing: 'uniform' }, 'scheduler.timestep_spacing'],
    [{ set_alpha_to_one: 'yes' }, 'scheduler.set_alpha_to_one'],
    [{ trained_betas: [0.1, 2] }, 'scheduler.trained_betas[1]'],
  ])('refuses the bad value %j naming the field', (bad, field) => {
    const e = failure({ ...SD_DDIM_SCHEDULER, ...bad }, 'MODEL_PACK_INVALID');
    expect(e.message).toContain(field);
    expect(e.hint).toMatch(/manifest\.json/);
  });

  it('refuses trained_betas whose length is not num_train_timesteps', () => {
    expect(failure({ ...SD_DDIM_SCHEDULER, trained_betas: [0.1, 0.2] }, 'MODEL_PACK_INVALID').message).toMatch(/trained_betas has 2 values but scheduler.num_train_timesteps is 1000/);
  });

  it('uses trained_betas when given', () => {
    const s = createScheduler({ _class_name: 'DDIMScheduler', num_train_timesteps: 2, trained_betas: [0.1, 0.2], clip_sample: false, set_alpha_to_one: true });
    s.setTimesteps(1);
    // One step from t = 0 (leading: 0 · 2): ᾱ_0 = 0.9 → final ᾱ = 1, so x_prev = x0 = (x - sqrt(0.1) ε)/sqrt(0.9).
    expect(s.timesteps).toEqual([0]);
    expect(s.step(Float32Array.of(1), 0, Float32Array.of(2))[0]).toBeCloseTo((2 - Math.sqrt(0.1)) / Math.sqrt(0.9), 6);
  });

  it.each([
    ['DDIMScheduler', { thresholding: true }, 'scheduler.thresholding'],
    ['DDIMScheduler', { rescale_betas_zero_snr: true }, 'scheduler.rescale_betas_zero_snr'],
    ['EulerDiscreteScheduler', { use_exponential_sigmas: true }, 'scheduler.use_exponential_sigmas'],
    ['EulerDiscreteScheduler', { interpolation_type: 'log_linear' }, 'scheduler.interpolation_type'],
    ['EulerAncestralDiscreteScheduler', { prediction_type: 'sample' }, 'scheduler.prediction_type'],
    ['DPMSolverMultistepScheduler', { algorithm_type: 'sde-dpmsolver++' }, 'scheduler.algorithm_type'],
    ['DPMSolverMultistepScheduler', { solver_order: 3 }, 'scheduler.solver_order'],
    ['DPMSolverMultistepScheduler', { use_beta_sigmas: true }, 'scheduler.use_beta_sigmas'],
    ['DPMSolverMultistepScheduler', { variance_type: 'learned_range' }, 'scheduler.variance_type'],
  ])('%s refuses %j as UNSUPPORTED naming the field', (name, setting, field) => {
    const e = failure({ _class_name: name, ...SD_SCHEDULE, ...setting }, 'UNSUPPORTED');
    expect(e.message).toContain(field);
    expect(e.hint).toContain(field);
  });

  it('accepts null for the fields diffusers allows to be None', () => {
    const s = createScheduler({ _class_name: 'EulerDiscreteScheduler', ...SD_SCHEDULE, trained_betas: null, use_karras_sigmas: null, sigma_min: null, sigma_max: null });
    s.setTimesteps(10);
    expect(s.timesteps[0]).toBe(999);
  });
});

describe('scheduler protocol', () => {
  it('refuses misuse: steps before setTimesteps, a wrong timestep, steps past the end, mismatched lengths', () => {
    const s = createScheduler(SD_DDIM_SCHEDULER);
    const x = new Float32Array(3);
    expect(() => s.step(x, 981, x)).toThrow(/call setTimesteps first/);
    s.setTimesteps(2);
    expect(s.timesteps).toEqual([501, 1]);
    expect(() => s.step(x, 1, x)).toThrow(/timestep 1 is not the current one \(501, step 0\)/);
    expect(() => s.step(new Float32Array(2), 501, x)).toThrow(/modelOutput has 2 elements but sample has 3/);
    s.step(x, 501, x);
    s.step(x, 1, x);
    expect(() => s.step(x, 1, x)).toThrow(/all 2 steps are done/);
  });

  it.each(SCHEDULER_CLASS_NAMES)('%s: setTimesteps restarts a run, and clone() starts fresh with shared timesteps', (name) => {
    const s = createScheduler(configFor(name));
    s.setTimesteps(6);
    const x = Float32Array.of(0.5, -0.5);
    const eps = Float32Array.of(0.1, 0.2);
    const noise = Float32Array.of(0.3, -0.3);
    const runTwo = (sch: typeof s): Float32Array => {
      const y = Float32Array.from(x);
      for (const t of sch.timesteps.slice(0, 2)) {
        const model = Float32Array.from(sch.scaleModelInput(y, t), (v, k) => v * 0.5 + eps[k]);
        sch.step(model, t, y, { out: y, noise });
      }
      return y;
    };
    const first = runTwo(s);
    const fresh = s.clone();
    expect(fresh.stepIndex).toBe(0);
    expect(s.stepIndex).toBe(2);
    expect(runTwo(fresh)).toEqual(first);
    s.setTimesteps(6);
    expect(runTwo(s)).toEqual(first);
  });
});
