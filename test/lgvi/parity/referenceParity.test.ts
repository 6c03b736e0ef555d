// Lacuna's LGVI pipeline against the authors' own: the fixture (test/fixtures/lgvi-parity) is a
// tiny random LGVI built from the reference's classes (RoviModel, MaskDecoder; diffusers'
// AutoencoderKL), exported by models/export, with the reference pipeline's every intermediate
// recorded (models/export/make_parity_fixture.py). Here the real pack loader opens it and the real
// sampler runs it, fed the reference's recorded noise, and each intermediate is held to 1e-5
// relative (max |Lacuna - reference| / max |reference|). Each stage is checked twice: on the
// reference's own inputs (teacher-forced) and chained from Lacuna's previous stage (end to end).
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPack, type LoadedPack } from '../../../src/engine/lgvi/pack';
import { denoiseLatents, type DenoiseWindow } from '../../../src/engine/lgvi/sampler/denoiseLoop';
import { LgviSampler, NOISE_STREAMS, type SamplerSettings, type WindowNoiseSource } from '../../../src/engine/lgvi/sampler/lgviSampler';
import { pilBilinearResize } from '../../../src/engine/lgvi/sampler/referenceResize';
import { toWorkingImage } from '../../../src/engine/lgvi/sampler/workingImage';
import { createScheduler } from '../../../src/engine/lgvi/schedulers';
import { ClipTokenizer } from '../../../src/engine/lgvi/tokenizer';
import type { Frame } from '../../../src/engine/media/types';
import { maxRelative, parityPackCopy, parityTexture, readParityFixture, type ParityFixture, type ParityRun } from '../../helpers/parityFixturePack';

const TOLERANCE = 1e-5;
// scripts/gpu-check.sh runs this file on a CUDA machine (LACUNA_PARITY_PROVIDER=cuda) for the figures;
// CI runs it on the CPU.
const PROVIDER = (process.env.LACUNA_PARITY_PROVIDER ?? 'cpu') as 'cpu' | 'cuda';
// And with LACUNA_PARITY_PRECISION=fp16 on a fixture copy with an fp16 U-Net, for its figures (an
// fp16 file is not expected to meet 1e-5).
const PRECISION = (process.env.LACUNA_PARITY_PRECISION ?? 'fp32') as 'fp32' | 'fp16';
/** Milliseconds per denoising step of each end-to-end run, for the table. */
const stepTimes: [string, number][] = [];
// Every intermediate, the mask head's included, is held to the same 1e-5. The fixture's model is
// built so that float32 rounding is not magnified past that (make_parity_fixture.py, NORM_GROUPS and
// MASK_CHANNELS: GroupNorms of 2 or 3 values had put the reference's own fp32 output 2e-5 from fp64).
let fx: ParityFixture;
let packDir: string;
let pack: LoadedPack;
/** Every figure measured, for the table printed at the end (and the issue's closing note). */
const table: [string, number][] = [];

function hold(name: string, got: ArrayLike<number>, want: ArrayLike<number>, tolerance = TOLERANCE): void {
  const rel = maxRelative(got, want);
  table.push([name, rel]);
  expect(rel, name).toBeLessThanOrEqual(tolerance);
}

beforeAll(async () => {
  fx = await readParityFixture();
  packDir = await parityPackCopy();
  pack = await loadPack(packDir, { providers: PROVIDER, strictProvider: PROVIDER !== 'cpu', precision: PRECISION, cacheDir: packDir });
}, 120_000);

afterAll(async () => {
  await pack?.release();
  if (packDir) await rm(packDir, { recursive: true, force: true });
  if (table.length) console.log(`reference parity on ${PROVIDER}, ${PRECISION} (max relative error):\n${table.map(([n, r]) => `  ${n.padEnd(48)} ${r.toExponential(2)}`).join('\n')}`);
  if (stepTimes.length) console.log(`time per step (end to end, tiny model, ${PROVIDER}; noisy on a shared machine):\n${stepTimes.map(([n, ms]) => `  ${n.padEnd(48)} ${ms.toFixed(1)} ms`).join('\n')}`);
});

/** [T, C, h, w] (as the VAE's batch of frames holds them) to the sampler's [C, T, h, w]. */
function framesToWindow(data: Float32Array, frames: number, channels: number, plane: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let t = 0; t < frames; t++) for (let c = 0; c < channels; c++) out.set(data.subarray((t * channels + c) * plane, (t * channels + c + 1) * plane), (c * frames + t) * plane);
  return out;
}

function settings(guidanceBatch: SamplerSettings['guidanceBatch'], maskSteps = 1): SamplerSettings {
  const { working, latentScale, guidance } = fx.record;
  return { width: working.width, height: working.height, latentScale, maskResolution: pack.maskResolution, seed: 0, guidance: { text: guidance.text, image: guidance.image }, guidanceBatch, vaeBatch: 2, useMean: false, maskSteps };
}

/** The recorded noise of the reference run, by Lacuna's stream names. */
function recordedNoise(run?: ParityRun): WindowNoiseSource {
  const { frames, height, width } = fx.record.working;
  const plane = (height / 8) * (width / 8);
  return {
    draw(stream) {
      if (stream === NOISE_STREAMS.condition) return framesToWindow(fx.float('vae/noise'), frames, 4, plane);
      if (!run) throw new Error(`no run for noise stream ${stream}`);
      if (stream === NOISE_STREAMS.initial) return fx.float(`run/${run.name}/initial`);
      const step = /^ancestral-step-(\d+)$/.exec(stream);
      if (step) return fx.float(`run/${run.name}/noise/${step[1]}`);
      throw new Error(`unknown noise stream ${stream}`);
    },
  };
}

function workingImages(): Float32Array[] {
  const { frames, width, height } = fx.record.working;
  const all = fx.float('working_image');
  const per = 3 * width * height;
  return Array.from({ length: frames }, (_, t) => all.slice(t * per, (t + 1) * per));
}

function text() {
  return { prompt: fx.float('text/prompt'), empty: fx.float('text/empty'), warnings: [] };
}

/** The sampler's decoded frames (interleaved 0..255) as the reference's [3, T, H, W] in [0, 1]. */
function asReferenceVideo(frames: Float32Array[], width: number, height: number): Float32Array {
  const plane = width * height;
  const out = new Float32Array(3 * frames.length * plane);
  frames.forEach((f, t) => {
    for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[(c * frames.length + t) * plane + p] = f[p * 3 + c] / 255;
  });
  return out;
}

describe('LGVI against the reference implementation (tiny random model from the authors\' classes)', () => {
  it('the fixture was made by the exporter from the authors\' code, and its checks passed', () => {
    expect(fx.record.reference).toMatch(/Language-Driven-Video-Inpainting .* diffusers 0\.2\d/);
    expect(fx.record.export_report.join('\n')).toMatch(/unet\.onnx on CPUExecutionProvider/);
    expect(pack.manifest.source.notes).toMatch(/make_parity_fixture/);
  });

  it('tokenizer: the same 77 ids as the slow CLIPTokenizer the reference calls', async () => {
    const tokenizer = await ClipTokenizer.load(pack.tokenizerPath);
    for (const { prompt, ids } of fx.record.tokenizer) expect(Array.from(tokenizer.encode(prompt).ids), JSON.stringify(prompt)).toEqual(Array.from(fx.int(ids)));
  });

  it('resize: PIL BILINEAR to within 1 in 0..255 (shrinking, enlarging, and one axis each way)', () => {
    const [frames, h0, w0] = fx.shape('source_rgb');
    const source = fx.bytes('source_rgb');
    for (const r of fx.record.resizes) {
      const src = typeof r.source === 'string' ? { data: source.subarray(0, h0 * w0 * 3), width: w0, height: h0 } : { data: parityTexture(r.source.width, r.source.height, r.source.texture), width: r.source.width, height: r.source.height };
      const got = pilBilinearResize(src.data, src.width, src.height, 3, r.width, r.height);
      const want = fx.bytes(`resize/${r.name}`);
      let max = 0;
      for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(got[i] - want[i]));
      table.push([`resize ${r.name} (max |diff| in 0..255)`, max]);
      expect(max, r.name).toBeLessThanOrEqual(1);
    }
    // And the working frames the pipeline saw, from PIL's decode of the clip's JPEGs.
    const { width, height } = fx.record.working;
    const images = workingImages();
    for (let t = 0; t < frames; t++) {
      const frame = { width: w0, height: h0, channels: 3, data: source.slice(t * h0 * w0 * 3, (t + 1) * h0 * w0 * 3), index: t, sourceIndex: t } as Frame;
      hold(`working image, frame ${t}`, toWorkingImage(frame, width, height), images[t]);
    }
  });

  it('condition latents: VAE encoder, sample with the reference\'s noise, scale', async () => {
    const sampler = samplerFor(fx.record.runs[0], 'separate');
    const condition = await sampler.encodeCondition({ images: workingImages(), noiseKeys: [0, 1, 2].slice(0, fx.record.working.frames) });
    hold('condition latents', condition, fx.float('condition'));
  });

  function samplerFor(run: ParityRun, batch: SamplerSettings['guidanceBatch'], maskSteps = 1): LgviSampler {
    const scheduler = createScheduler(run.scheduler);
    scheduler.setTimesteps(run.steps);
    return new LgviSampler(pack.models, scheduler, settings(batch, maskSteps), recordedNoise(run));
  }

  const cases: [string, SamplerSettings['guidanceBatch']][] = [
    ['ddim', 'separate'],
    ['ddim', 'together'],
    ['euler_ancestral', 'separate'],
    ['pndm', 'separate'],
    ['lms', 'separate'],
  ];
  for (const [name, batch] of cases) {
    it(`${name}, guidance passes ${batch}: timesteps, every step's latents and mask, decoded frames`, async () => {
      const run = fx.record.runs.find((r) => r.name === name)!;
      const label = `${name}${batch === 'together' ? ' (batched)' : ''}`;
      const scheduler = createScheduler(run.scheduler);
      scheduler.setTimesteps(run.steps);
      expect(scheduler.timesteps.map(Number)).toEqual(run.timesteps);
      expect(scheduler.initNoiseSigma).toBeCloseTo(run.initNoiseSigma, 4);
      const { frames, width, height } = fx.record.working;
      const condition = fx.float('condition');
      // The loop's own code on the pack's U-Net session from the reference's initial noise, every
      // step's latents read back from the buffer the loop steps in place (chained: step s starts
      // from Lacuna's step s - 1, so rounding accumulates as in a job).
      const masks: Float32Array[] = [];
      const window: DenoiseWindow = {
        initial: fx.float(`run/${name}/initial`),
        condition,
        text: text(),
        latentDims: [4, frames, height / 8, width / 8],
        guidance: settings(batch).guidance,
        guidanceBatch: batch,
        maskSteps: run.timesteps.length,
        noise: { seed: 0, keys: [0, 1, 2].slice(0, frames), steps: run.ancestral ? run.timesteps.map((_, s) => fx.float(`run/${name}/noise/${s}`)) : undefined },
      };
      const steps: Float32Array[] = [];
      await denoiseLatents(window, scheduler, (feeds, request) => pack.models.unet.run(feeds, request), { add: (m) => masks.push(Float32Array.from(m)) }, { onStep: () => steps.push(Float32Array.from(window.initial)) });
      expect(steps.length).toBe(run.timesteps.length);
      steps.forEach((lat, s) => hold(`${label}: latents after step ${s + 1}`, lat, fx.float(`run/${name}/latents/${s}`)));
      masks.forEach((m, s) => hold(`${label}: mask at step ${s + 1}`, m, fx.float(`run/${name}/mask/${s}`)));

      // End to end through the sampler's own API (its loop next to the model, as in a job).
      const sampler = samplerFor(run, batch, run.timesteps.length);
      const input = { images: workingImages(), noiseKeys: [0, 1, 2].slice(0, frames) };
      const ownCondition = await sampler.encodeCondition(input);
      const started = performance.now();
      const { latents, mask } = await sampler.denoise(input, ownCondition, text());
      stepTimes.push([label, (performance.now() - started) / run.timesteps.length]);
      const last = run.timesteps.length - 1;
      hold(`${label}: final latents, end to end`, latents, fx.float(`run/${name}/latents/${last}`));
      const meanMask = new Float32Array(mask.length);
      for (let s = 0; s <= last; s++) fx.float(`run/${name}/mask/${s}`).forEach((v, k) => (meanMask[k] += v / (last + 1)));
      hold(`${label}: averaged mask, end to end`, mask, meanMask);
      const decoded = await sampler.decode(latents);
      hold(`${label}: decoded frames, end to end`, asReferenceVideo(decoded, width, height), fx.float(`run/${name}/decoded`));
      const forced = await sampler.decode(fx.float(`run/${name}/latents/${last}`));
      hold(`${label}: decoded frames from the reference's latents`, asReferenceVideo(forced, width, height), fx.float(`run/${name}/decoded`));
    }, 120_000);
  }
});
