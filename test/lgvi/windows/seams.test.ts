// A long clip through the real window machinery (plan, per-frame noise, sampler, blending) must
// show no seam where windows meet. The model here is the analytic pack's VAE with a U-Net stand-in
// whose result is smooth in time within a window but NOT the same in two windows for a shared
// frame (it tilts its output by the frame's slot in the window, as a real model's result depends
// on the window's context). Without blending that is a visible jump at every border; blended, the
// frame-to-frame change at borders must stay close to the change inside windows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPack, type LoadedPack } from '../../../src/engine/lgvi/pack/loadPack';
import type { HostFeeds } from '../../../src/engine/lgvi/pack/hostTensors';
import { LgviSampler } from '../../../src/engine/lgvi/sampler/lgviSampler';
import type { ModelRunner } from '../../../src/engine/lgvi/sampler/models';
import { alphasCumprod } from '../../../src/engine/lgvi/schedulers/betaSchedule';
import { createScheduler } from '../../../src/engine/lgvi/schedulers/createScheduler';
import { sampleKeyframes } from '../../../src/engine/lgvi/windows/sampleKeyframes';
import { planWindows, type WindowPlanOptions } from '../../../src/engine/removal/windowPlan';
import { ANALYTIC } from '../../helpers/analyticReference';
import { SD_DDIM_SCHEDULER, SMALL_WORKING, writeAnalyticPack, type FixturePack } from '../../helpers/fixturePacks';

const { width: W, height: H } = SMALL_WORKING;
const SCALE = 0.18215;
/** set_alpha_to_one: the last DDIM step lands exactly on the model's x0, so the test sees the model's output itself. */
const SCHEDULER = { ...SD_DDIM_SCHEDULER, set_alpha_to_one: true };
const ALPHAS = alphasCumprod(SCHEDULER as never);
/** How far (in [-1, 1] picture units) the stand-in tilts its output across a window. */
const TILT = 0.032;

/**
 * Predicts the noise that makes x0 = condition + tilt(slot), where tilt falls linearly across the
 * window and is expressed through the VAE's linear map so it decodes to a grey-level shift.
 */
const tiltingUnet: ModelRunner = {
  async run(feeds: HostFeeds) {
    const sample = feeds.sample.data as Float32Array;
    const cond = feeds.img_condition.data as Float32Array;
    const [batch, channels, frames, h, w] = feeds.sample.dims;
    const plane = h * w;
    const noise = new Float32Array(sample.length);
    for (let b = 0; b < batch; b++) {
      const alpha = ALPHAS[(feeds.timestep.data as Float32Array)[b]];
      for (let c = 0; c < channels; c++) {
        const rowSum = ANALYTIC.encWeight[c * 3] + ANALYTIC.encWeight[c * 3 + 1] + ANALYTIC.encWeight[c * 3 + 2];
        for (let t = 0; t < frames; t++) {
          const tilt = (-TILT * t) / (frames - 1);
          const base = (((b * channels + c) * frames + t) * plane);
          for (let i = 0; i < plane; i++) {
            const x0 = cond[base + i] + SCALE * rowSum * tilt;
            noise[base + i] = (sample[base + i] - Math.sqrt(alpha) * x0) / Math.sqrt(1 - alpha);
          }
        }
      }
    }
    return { noise_pred: { data: noise, dims: feeds.sample.dims }, mask: { data: new Float32Array(batch * frames * plane), dims: [batch, 1, frames, h, w] } };
  },
};

/** A clip of uniform grey frames brightening steadily: [3, H, W] in [-1, 1]. */
function greyRamp(frameCount: number): (f: number) => Float32Array {
  return (f) => new Float32Array(3 * H * W).fill(-0.8 + (1.6 * f) / (frameCount - 1));
}

describe('window borders on a 100-frame clip', () => {
  let fixture: FixturePack;
  let pack: LoadedPack;
  beforeAll(async () => {
    fixture = await writeAnalyticPack({ working: SMALL_WORKING });
    pack = await loadPack(fixture.dir, { providers: 'cpu' });
  });
  afterAll(async () => {
    await pack?.release();
    await fixture?.cleanup();
  });

  /** Per key frame, the mean picture value (0..255) and whether consecutive frames share a window set. */
  async function run(frameCount: number, options: WindowPlanOptions) {
    const plan = planWindows(frameCount, options);
    const scheduler = createScheduler(SCHEDULER);
    scheduler.setTimesteps(2);
    const models = { ...pack.models, unet: tiltingUnet };
    const sampler = new LgviSampler(models, scheduler, {
      width: W, height: H, latentScale: SCALE, maskResolution: 'latent', seed: 3,
      guidance: { text: 1, image: 1 }, guidanceBatch: 'together', vaeBatch: 8, useMean: true, maskSteps: 1,
    });
    const frame = greyRamp(frameCount);
    const empty = new Float32Array(77 * 768);
    const means: number[] = [];
    for await (const key of sampleKeyframes({ plan, sampler, text: { prompt: empty, empty, warnings: [] }, rangeStart: 0, image: async (p) => frame(plan.keyframes[p]) })) {
      expect(key.frame).toBe(means.length);
      means.push(key.rgb.reduce((a, b) => a + b, 0) / key.rgb.length);
    }
    const covering = (f: number) => plan.windows.map((w, k) => (f >= w.start && f < w.end ? k : -1)).filter((k) => k >= 0).join(',');
    const steps = means.slice(1).map((m, f) => Math.abs(m - means[f]));
    const border = steps.filter((_, f) => covering(f) !== covering(f + 1) || covering(f).includes(','));
    const inside = steps.filter((_, f) => covering(f) === covering(f + 1) && !covering(f).includes(','));
    const median = [...inside].sort((a, b) => a - b)[Math.floor(inside.length / 2)];
    return { means, seam: Math.max(...border) / median, windows: plan.windows.length };
  }

  it('blends overlapping windows without a jump at the borders', async () => {
    const { means, seam, windows } = await run(100, { window: 24, overlap: 8, stride: 1 });
    expect(means).toHaveLength(100);
    expect(windows).toBe(6);
    expect(seam).toBeLessThan(1.75);
  });

  it('shows the jump the blending removes when windows only touch (the measure works)', async () => {
    const { seam, windows } = await run(96, { window: 24, overlap: 0, stride: 1 });
    expect(windows).toBe(4);
    expect(seam).toBeGreaterThan(2.5);
  });
});
