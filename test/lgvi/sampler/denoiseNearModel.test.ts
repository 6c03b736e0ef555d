// The denoising loop next to the U-Net (on the onnxruntime thread, pack/ortWorker.ts) against the
// same loop run by the sampler: the same bits, progress per step, a cancel that stops the thread's
// loop within a step or two, and an out-of-memory error there that sends the window back to the
// sampler's own loop (where the runner's fallback can split batches or move to the CPU).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostFeeds } from '../../../src/engine/lgvi/pack/hostTensors';
import { loadPack, type LoadedPack } from '../../../src/engine/lgvi/pack/loadPack';
import { sharedOrtThread } from '../../../src/engine/lgvi/pack/ortThread';
import type { RunOptions } from '../../../src/engine/lgvi/pack/sessions';
import { LgviSampler, type SamplerSettings, type WindowInput } from '../../../src/engine/lgvi/sampler/lgviSampler';
import type { SamplerModels } from '../../../src/engine/lgvi/sampler/models';
import { encodeText, type TextCondition } from '../../../src/engine/lgvi/sampler/textCondition';
import { createScheduler } from '../../../src/engine/lgvi/schedulers/createScheduler';
import { ClipTokenizer } from '../../../src/engine/lgvi/tokenizer/clipTokenizer';
import { isLacunaError } from '../../../src/engine/util/errors';
import { LGVI_WORKING, SD_DDIM_SCHEDULER, SMALL_WORKING, writeAnalyticPack, type FixturePack } from '../../helpers/fixturePacks';

const { width: W, height: H } = SMALL_WORKING;

function images(count: number, width = W, height = H): Float32Array[] {
  return Array.from({ length: count }, (_, t) => Float32Array.from({ length: 3 * width * height }, (_, i) => 0.8 * Math.sin(i * 0.013 + t)));
}

function settings(overrides: Partial<SamplerSettings> = {}): SamplerSettings {
  return { width: W, height: H, latentScale: 0.18215, maskResolution: 'image', seed: 9, guidance: { text: 3, image: 1.5 }, guidanceBatch: 'together', vaeBatch: 4, useMean: false, maskSteps: 2, ...overrides };
}

function scheduler(steps: number, config: Record<string, unknown> = SD_DDIM_SCHEDULER) {
  const s = createScheduler(config);
  s.setTimesteps(steps);
  return s;
}

/** The pack's models with a U-Net that can only run single steps: the sampler runs the loop itself. */
const stepByStep = (models: SamplerModels): SamplerModels => ({ ...models, unet: { run: (f: HostFeeds, o?: RunOptions) => models.unet.run(f, o) } });

const same = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('denoising next to the model', () => {
  let fixture: FixturePack;
  let pack: LoadedPack;
  let text: TextCondition;
  beforeAll(async () => {
    fixture = await writeAnalyticPack({ working: SMALL_WORKING, maskSize: 'image' });
    pack = await loadPack(fixture.dir, { providers: 'cpu' });
    text = await encodeText(pack.models.textEncoder, await ClipTokenizer.load(pack.tokenizerPath), 'remove the bird on the left');
  });
  afterAll(async () => {
    await pack?.release();
    await fixture?.cleanup();
  });
  const window: WindowInput = { images: images(5), noiseKeys: [3, 4, 5, 6, 7] };

  it.each([
    { label: 'DDIM, passes together', config: SD_DDIM_SCHEDULER, guidanceBatch: 'together' as const },
    { label: 'Euler ancestral, passes one by one', config: { ...SD_DDIM_SCHEDULER, _class_name: 'EulerAncestralDiscreteScheduler' }, guidanceBatch: 'separate' as const },
    { label: 'DPM-Solver++, no guidance', config: { ...SD_DDIM_SCHEDULER, _class_name: 'DPMSolverMultistepScheduler' }, guidanceBatch: 'together' as const, guidance: { text: 1, image: 1 } },
  ])('$label: the same bits as the loop in the sampler, with progress per step', async ({ config, guidanceBatch, guidance }) => {
    const s = settings({ guidanceBatch, ...(guidance && { guidance }) });
    const loopsBefore = sharedOrtThread().stats.loops;
    const near = new LgviSampler(pack.models, scheduler(5, config), s);
    const condition = await near.encodeCondition(window);
    const steps: number[] = [];
    const a = await near.denoise(window, condition, text, { onStep: (done) => steps.push(done) });
    expect(sharedOrtThread().stats.loops).toBe(loopsBefore + 1);
    expect(steps).toEqual([1, 2, 3, 4, 5]);
    const b = await new LgviSampler(stepByStep(pack.models), scheduler(5, config), s).denoise(window, condition, text);
    expect(sharedOrtThread().stats.loops).toBe(loopsBefore + 1);
    expect(same(a.latents, b.latents)).toBe(true);
    expect(same(a.mask, b.mask)).toBe(true);
    expect(Math.max(...a.mask.subarray(0, 500))).toBeGreaterThan(0);
  });

  it('runs an fp16 pack the same way: half-precision feeds and outputs on the thread, the same bits as in the sampler', async () => {
    const halfFixture = await writeAnalyticPack({ working: SMALL_WORKING, maskSize: 'image', fp16: true });
    const halfPack = await loadPack(halfFixture.dir, { providers: 'cpu', precision: 'fp16' });
    try {
      const s = settings();
      const condition = await new LgviSampler(halfPack.models, scheduler(3), s).encodeCondition(window);
      const loopsBefore = sharedOrtThread().stats.loops;
      const a = await new LgviSampler(halfPack.models, scheduler(3), s).denoise(window, condition, text);
      expect(sharedOrtThread().stats.loops).toBe(loopsBefore + 1);
      expect(halfPack.models.unet.precision).toBe('fp16');
      const b = await new LgviSampler(stepByStep(halfPack.models), scheduler(3), s).denoise(window, condition, text);
      expect(same(a.latents, b.latents)).toBe(true);
      expect(same(a.mask, b.mask)).toBe(true);
    } finally {
      await halfPack.release();
      await halfFixture.cleanup();
    }
  });

  it('checks the loop\'s input shapes against the manifest before it starts, naming the file and tensor', async () => {
    const loopsBefore = sharedOrtThread().stats.loops;
    const n = 4 * 5 * 5 * 8;
    const bad = {
      initial: new Float32Array(n), condition: new Float32Array(n), text: { prompt: text.prompt, empty: text.empty },
      latentDims: [4, 5, 40], guidance: { text: 3, image: 1.5 }, guidanceBatch: 'together' as const, maskSteps: 1, noise: { seed: 1, keys: [0, 1, 2, 3, 4] },
    };
    await expect(pack.models.unet.denoiseNearModel({ window: bad, scheduler: { config: SD_DDIM_SCHEDULER, steps: 2 } }, {})).rejects.toThrow(/unet\.onnx: input "sample" has rank 4 \[3, 4, 5, 40\]/);
    expect(sharedOrtThread().stats.loops).toBe(loopsBefore);
  });

  it("stops the thread's loop within a step or two of a cancel", async () => {
    // LGVI's real latent size, so a step takes long enough for the cancel to arrive mid-loop.
    const big = await writeAnalyticPack({ working: LGVI_WORKING, maskSize: 'latent' });
    const bigPack = await loadPack(big.dir, { providers: 'cpu' });
    try {
      const sampler = new LgviSampler(bigPack.models, scheduler(50), settings({ width: 512, height: 320, maskResolution: 'latent' }));
      const input: WindowInput = { images: images(8, 512, 320), noiseKeys: [0, 1, 2, 3, 4, 5, 6, 7] };
      const condition = await sampler.encodeCondition(input);
      const controller = new AbortController();
      const seen: number[] = [];
      const runsBefore = sharedOrtThread().stats.runs;
      const run = sampler.denoise(input, condition, text, { signal: controller.signal, onStep: (done) => (seen.push(done), done === 2 && controller.abort()) });
      await expect(run).rejects.toSatisfy((e: unknown) => isLacunaError(e, 'CANCELLED'));
      expect(seen).toEqual([1, 2]); // no progress after the cancel
      const runs = sharedOrtThread().stats.runs - runsBefore;
      expect(runs).toBeGreaterThanOrEqual(2);
      expect(runs).toBeLessThan(10);
    } finally {
      await bigPack.release();
      await big.cleanup();
    }
  });

  it('sends a window whose loop ran out of GPU memory back to the sampler, and passes other errors on', async () => {
    const s = settings();
    const condition = await new LgviSampler(pack.models, scheduler(3), s).encodeCondition(window);
    const failingWith = (message: string): SamplerModels => ({
      ...pack.models,
      unet: {
        run: (f: HostFeeds, o?: RunOptions) => pack.models.unet.run(f, o),
        denoiseNearModel: async () => Promise.reject(new Error(message)),
      },
    });
    const oom = await new LgviSampler(failingWith('CUDA failure 2: out of memory'), scheduler(3), s).denoise(window, condition, text);
    const plain = await new LgviSampler(stepByStep(pack.models), scheduler(3), s).denoise(window, condition, text);
    expect(same(oom.latents, plain.latents)).toBe(true);
    await expect(new LgviSampler(failingWith('Invalid rank for input: sample'), scheduler(3), s).denoise(window, condition, text)).rejects.toThrow('Invalid rank');
  });
});
