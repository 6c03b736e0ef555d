// The folded fast path of a step (coefficients combined per step, used when nobody asks for x0 and
// nothing is clipped) must take the same step as the per-element formula that also writes x0: run
// each scheduler twice on the same inputs, once asking for x0, and compare.
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../src/engine/lgvi/schedulers/createScheduler';
import { combineGuidance } from '../../../src/engine/lgvi/sampler/guidance';
import { SD_DDIM, SD_SCHEDULE } from './formulas';

const N = 4096;
const wave = (phase: number, scale = 1) => Float32Array.from({ length: N }, (_, i) => scale * Math.sin(i * 0.37 + phase));

/** Largest difference relative to the larger magnitude of the two arrays. */
function relativeGap(a: Float32Array, b: Float32Array): number {
  let gap = 0;
  let size = 1e-12;
  for (let i = 0; i < a.length; i++) {
    gap = Math.max(gap, Math.abs(a[i] - b[i]));
    size = Math.max(size, Math.abs(a[i]), Math.abs(b[i]));
  }
  return gap / size;
}

const CONFIGS = {
  DDIMScheduler: SD_DDIM,
  EulerDiscreteScheduler: { ...SD_SCHEDULE, _class_name: 'EulerDiscreteScheduler' },
  EulerAncestralDiscreteScheduler: { ...SD_SCHEDULE, _class_name: 'EulerAncestralDiscreteScheduler' },
} as const;

describe('folded scheduler steps', () => {
  for (const [name, base] of Object.entries(CONFIGS)) {
    for (const prediction of ['epsilon', 'v_prediction'] as const) {
      it(`${name} (${prediction}): the folded step equals the step that writes x0`, () => {
        const fast = createScheduler({ ...base, prediction_type: prediction });
        fast.setTimesteps(12);
        const slow = fast.clone();
        let a: Float32Array = wave(0, fast.initNoiseSigma);
        let b: Float32Array = a.slice();
        const x0 = new Float32Array(N);
        for (const [s, t] of fast.timesteps.entries()) {
          const model = wave(s + 1, 0.8);
          const noise = wave(2 * s + 5);
          a = fast.step(model, t, fast.scaleModelInput(a, t), { noise });
          b = slow.step(model, t, slow.scaleModelInput(b, t), { noise, predOriginalSample: x0 });
          expect(relativeGap(a, b)).toBeLessThan(1e-6);
        }
        // And the steps did something: the sample moved away from its start.
        expect(relativeGap(a, wave(0, fast.initNoiseSigma))).toBeGreaterThan(0.1);
      });
    }
  }

  it('guidance in expanded form equals e_u + g_t(e_t - e_i) + g_i(e_i - e_u)', () => {
    const [t, i, u] = [wave(1), wave(2), wave(3)];
    const got = combineGuidance(t, i, u, { text: 7.5, image: 1.5 }, new Float32Array(N));
    const want = Float32Array.from({ length: N }, (_, k) => u[k] + 7.5 * (t[k] - i[k]) + 1.5 * (i[k] - u[k]));
    expect(relativeGap(got, want)).toBeLessThan(1e-6);
  });
});
