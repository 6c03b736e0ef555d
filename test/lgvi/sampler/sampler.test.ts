// The sampling loop on the analytic pack, checked against a plain-TypeScript run of the same loop
// (referenceLoop.ts), and its promises: seeded (same seed, same bytes), the guidance passes batched
// or one by one give the same result, windows sharing frames share their noise and condition, and
// a cancel stops between steps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostFeeds } from '../../../src/engine/lgvi/pack/hostTensors';
import { loadPack, type LoadedPack } from '../../../src/engine/lgvi/pack/loadPack';
import type { RunOptions } from '../../../src/engine/lgvi/pack/sessions';
import { LgviSampler, type SamplerSettings, type WindowInput } from '../../../src/engine/lgvi/sampler/lgviSampler';
import { encodeText, type TextCondition } from '../../../src/engine/lgvi/sampler/textCondition';
import { createScheduler } from '../../../src/engine/lgvi/schedulers/createScheduler';
import { ClipTokenizer } from '../../../src/engine/lgvi/tokenizer/clipTokenizer';
import { isLacunaError } from '../../../src/engine/util/errors';
import { SD_DDIM_SCHEDULER, SMALL_WORKING, writeAnalyticPack, writeTinyRandomPack, type FixturePack } from '../../helpers/fixturePacks';
import { seededRandom } from '../../helpers/packs/seededRandom';
import { referenceLoop } from './referenceLoop';

const { width: W, height: H } = SMALL_WORKING;
const PROMPT = 'remove the bird on the left';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Smooth test frames [3, H, W] in [-1, 1] that differ per frame. */
function testImages(count: number, seed = 7): Float32Array[] {
  const rng = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const [a, b, c] = [rng.uniform(0.5, 2), rng.uniform(0.5, 2), rng.uniform(0, 6)];
    const img = new Float32Array(3 * H * W);
    for (let ch = 0; ch < 3; ch++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) img[(ch * H + y) * W + x] = 0.8 * Math.sin(a * x * 0.1 + b * y * 0.13 + c + ch);
    return img;
  });
}

function settings(overrides: Partial<SamplerSettings> = {}): SamplerSettings {
  return {
    width: W,
    height: H,
    latentScale: 0.18215,
    maskResolution: 'latent',
    seed: 42,
    guidance: { text: 3, image: 1.5 },
    guidanceBatch: 'together',
    vaeBatch: 3,
    useMean: false,
    maskSteps: 1,
    ...overrides,
  };
}

function scheduler(steps: number, config: Record<string, unknown> = SD_DDIM_SCHEDULER) {
  const s = createScheduler(config);
  s.setTimesteps(steps);
  return s;
}

describe.each(['latent' as const, 'image' as const])('sampling loop vs the plain-TypeScript reference (analytic pack, mask at %s size, DDIM)', (maskSize) => {
  let fixture: FixturePack;
  let pack: LoadedPack;
  let tokenizer: ClipTokenizer;
  let text: TextCondition;
  beforeAll(async () => {
    fixture = await writeAnalyticPack({ working: SMALL_WORKING, maskSize });
    pack = await loadPack(fixture.dir, { providers: 'cpu' });
    tokenizer = await ClipTokenizer.load(pack.tokenizerPath);
    text = await encodeText(pack.models.textEncoder, tokenizer, PROMPT);
  });
  afterAll(async () => {
    await pack?.release();
    await fixture?.cleanup();
  });
  const images = testImages(5);
  const window: WindowInput = { images, noiseKeys: [10, 11, 12, 13, 14] };

  it.each([
    { label: 'three-way guidance, sampled condition', guidance: { text: 3, image: 1.5 }, useMean: false },
    { label: 'guidance off (g_text = 1), mean condition', guidance: { text: 1, image: 1.5 }, useMean: true },
    { label: 'three-way guidance, passes one by one', guidance: { text: 7.5, image: 1 }, useMean: false, guidanceBatch: 'separate' as const },
  ])('$label', async ({ guidance, useMean, guidanceBatch }) => {
    const steps = 4;
    const sampler = new LgviSampler(pack.models, scheduler(steps), settings({ guidance, useMean, maskResolution: pack.maskResolution, ...(guidanceBatch && { guidanceBatch }) }));
    const condition = await sampler.encodeCondition(window);
    const { latents, mask } = await sampler.denoise(window, condition, text);
    const frames = await sampler.decode(latents);
    const ref = referenceLoop({
      images: [...images],
      noiseKeys: [...window.noiseKeys],
      width: W,
      height: H,
      promptIds: tokenizer.encode(PROMPT).ids,
      emptyIds: tokenizer.encode('').ids,
      seed: 42,
      steps,
      guidance: guidance.text,
      imageGuidance: guidance.image,
      useMean,
      scheduler: SD_DDIM_SCHEDULER,
      latentScale: 0.18215,
      maskSize,
    });
    expect(maxAbs(ref.latents)).toBeGreaterThan(0.1);
    expect(maxAbsDiff(latents, ref.latents)).toBeLessThanOrEqual(1e-4 * Math.max(1, maxAbs(ref.latents)));
    for (let t = 0; t < frames.length; t++) expect(maxAbsDiff(frames[t], ref.frames[t])).toBeLessThanOrEqual(0.05);
    expect(maxAbsDiff(mask, ref.lastMask)).toBeLessThanOrEqual(1e-5);
  });

});

describe.each([
  { maskSize: 'latent' as const, schedulerConfig: SD_DDIM_SCHEDULER },
  { maskSize: 'image' as const, schedulerConfig: { ...SD_DDIM_SCHEDULER, _class_name: 'EulerAncestralDiscreteScheduler' } },
])('sampler promises on the analytic pack (mask at $maskSize size, $schedulerConfig._class_name)', ({ maskSize, schedulerConfig }) => {
  let fixture: FixturePack;
  let pack: LoadedPack;
  let tokenizer: ClipTokenizer;
  let text: TextCondition;
  beforeAll(async () => {
    fixture = await writeAnalyticPack({ working: SMALL_WORKING, maskSize });
    pack = await loadPack(fixture.dir, { providers: 'cpu' });
    tokenizer = await ClipTokenizer.load(pack.tokenizerPath);
    text = await encodeText(pack.models.textEncoder, tokenizer, PROMPT);
  });
  afterAll(async () => {
    await pack?.release();
    await fixture?.cleanup();
  });

  const window: WindowInput = { images: testImages(5), noiseKeys: [10, 11, 12, 13, 14] };

  it.each(['together' as const, 'separate' as const])('fetches the U-Net mask only on the steps it averages (guidance passes %s), with the same result', async (guidanceBatch) => {
    const fetched: string[] = [];
    const recording = {
      ...pack.models,
      unet: { run: (feeds: HostFeeds, options?: RunOptions) => (fetched.push((options?.outputs ?? ['all']).join('+')), pack.models.unet.run(feeds, options)) },
    };
    // The same models, but every output fetched on every run (the behaviour before).
    const everything = { ...pack.models, unet: { run: (feeds: HostFeeds, options?: RunOptions) => pack.models.unet.run(feeds, { ...options, outputs: undefined }) } };
    const config = settings({ maskResolution: pack.maskResolution, maskSteps: 2, guidanceBatch });
    const sampled = await new LgviSampler(recording, scheduler(4, schedulerConfig), config).sampleWindow(window, text);
    const full = await new LgviSampler(everything, scheduler(4, schedulerConfig), config).sampleWindow(window, text);
    const perStep = guidanceBatch === 'together' ? 1 : 3;
    const plain = Array.from({ length: perStep }, () => 'noise_pred');
    const withMask = ['noise_pred+mask', ...plain.slice(1)];
    expect(fetched).toEqual([...plain, ...plain, ...withMask, ...withMask]);
    for (let t = 0; t < sampled.masks.length; t++) {
      expect(Buffer.from(sampled.masks[t].buffer).equals(Buffer.from(full.masks[t].buffer))).toBe(true);
      expect(Buffer.from(sampled.frames[t].buffer).equals(Buffer.from(full.frames[t].buffer))).toBe(true);
    }
  });

  it('gives identical output for the same seed and different output for another', async () => {
    const run = async (seed: number) => {
      const sampler = new LgviSampler(pack.models, scheduler(3, schedulerConfig), settings({ seed, maskResolution: pack.maskResolution }));
      return sampler.sampleWindow(window, text);
    };
    const [a, b, c] = [await run(5), await run(5), await run(6)];
    for (let t = 0; t < a.frames.length; t++) {
      expect(Buffer.from(a.frames[t].buffer).equals(Buffer.from(b.frames[t].buffer))).toBe(true);
      expect(Buffer.from(a.masks[t].buffer).equals(Buffer.from(b.masks[t].buffer))).toBe(true);
    }
    expect(maxAbsDiff(a.frames[0], c.frames[0])).toBeGreaterThan(1);
    expect(a.masks[0].length).toBe(maskSize === 'image' ? W * H : (W * H) / 64);
  });

  it('gives frames shared by two windows the same condition and initial noise (noise keyed by frame)', async () => {
    const images = testImages(6, 3);
    const sampler = new LgviSampler(pack.models, scheduler(2, schedulerConfig), settings({ maskResolution: pack.maskResolution }));
    const first = await sampler.encodeCondition({ images: images.slice(0, 4), noiseKeys: [20, 21, 22, 23] });
    const second = await sampler.encodeCondition({ images: images.slice(2, 6), noiseKeys: [22, 23, 24, 25] });
    const plane = (H / 8) * (W / 8);
    for (let c = 0; c < 4; c++) {
      for (const [t1, t2] of [[2, 0], [3, 1]]) {
        const a = first.subarray((c * 4 + t1) * plane, (c * 4 + t1 + 1) * plane);
        const b = second.subarray((c * 4 + t2) * plane, (c * 4 + t2 + 1) * plane);
        expect(maxAbsDiff(a, b)).toBe(0);
      }
    }
  });

  it('stops between steps when cancelled, with CANCELLED', async () => {
    const controller = new AbortController();
    const sampler = new LgviSampler(pack.models, scheduler(5, schedulerConfig), settings({ maskResolution: pack.maskResolution }));
    let stepsSeen = 0;
    const run = sampler.sampleWindow(window, text, {
      signal: controller.signal,
      onStep: (done) => {
        stepsSeen = done;
        if (done === 2) controller.abort();
      },
    });
    await expect(run).rejects.toSatisfy((e: unknown) => isLacunaError(e, 'CANCELLED'));
    expect(stepsSeen).toBe(2);
  });
});

describe('guidance batching on the tiny random pack', () => {
  let fixture: FixturePack;
  let pack: LoadedPack;
  afterAll(async () => {
    await pack?.release();
    await fixture?.cleanup();
  });

  it('gives the same result for one batch of 3 and three batches of 1 (to 1e-5)', async () => {
    fixture = await writeTinyRandomPack({ working: SMALL_WORKING });
    pack = await loadPack(fixture.dir, { providers: 'cpu' });
    const tokenizer = await ClipTokenizer.load(pack.tokenizerPath);
    const text = await encodeText(pack.models.textEncoder, tokenizer, PROMPT);
    const window: WindowInput = { images: testImages(4, 11), noiseKeys: [0, 1, 2, 3] };
    const run = async (guidanceBatch: 'together' | 'separate') => {
      const sampler = new LgviSampler(pack.models, scheduler(3), settings({ guidanceBatch }));
      return sampler.denoise(window, await sampler.encodeCondition(window), text);
    };
    const together = await run('together');
    const separate = await run('separate');
    expect(maxAbs(together.latents)).toBeGreaterThan(0.5);
    expect(maxAbsDiff(together.latents, separate.latents)).toBeLessThanOrEqual(1e-5 * maxAbs(together.latents));
    expect(maxAbsDiff(together.mask, separate.mask)).toBeLessThanOrEqual(1e-5);
  });
});
