// A scheduler rebuilt from its spec (config as read + step count) on another thread must be the
// same scheduler: same timesteps, same noise levels, the same steps to the last bit.
import { describe, expect, it } from 'vitest';
import { schedulerFromSpec, schedulerSpec } from '../../../src/engine/lgvi/sampler/denoiseLoop';
import { createScheduler } from '../../../src/engine/lgvi/schedulers/createScheduler';
import { SD_DDIM, SD_SCHEDULE } from '../schedulers/formulas';

const CONFIGS = [
  SD_DDIM,
  { ...SD_SCHEDULE, _class_name: 'EulerDiscreteScheduler', timestep_spacing: 'trailing', prediction_type: 'v_prediction' },
  { ...SD_SCHEDULE, _class_name: 'EulerAncestralDiscreteScheduler' },
  { ...SD_SCHEDULE, _class_name: 'DPMSolverMultistepScheduler', use_karras_sigmas: true },
  { ...SD_SCHEDULE, _class_name: 'PNDMScheduler', skip_prk_steps: true, steps_offset: 1 },
];

describe('schedulerSpec', () => {
  for (const config of CONFIGS) {
    it(`${config._class_name}: rebuilt from its spec, it steps exactly as the original`, () => {
      const original = createScheduler(config);
      original.setTimesteps(9);
      const rebuilt = schedulerFromSpec(structuredClone(schedulerSpec(original))) // as postMessage copies it;
      expect(rebuilt.className).toBe(original.className);
      expect(rebuilt.timesteps).toEqual(original.timesteps);
      expect(rebuilt.noiseLevels).toEqual(original.noiseLevels);
      let a: Float32Array = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i));
      let b: Float32Array = a.slice();
      for (const [s, t] of original.timesteps.entries()) {
        const model = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i * (s + 1)));
        const noise = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i * 3 + s));
        a = original.step(model, t, original.scaleModelInput(a, t), { noise });
        b = rebuilt.step(model, t, rebuilt.scaleModelInput(b, t), { noise });
        expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
      }
    });
  }
});
