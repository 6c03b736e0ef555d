// One LGVI window, as the reference samples it (see ../../../../../shared/docs/LGVI.md):
//   frames (working size, [-1, 1]) -> VAE encoder -> condition = sample(mean, logvar) * scale
//   (or mean * scale) -> N(0, 1) * initNoiseSigma initial latents -> per step: scaleModelInput,
//   U-Net passes with three-way guidance, scheduler.step -> latents / scale -> VAE decoder ->
//   (x/2 + 0.5) clamped.
// Every random number is keyed by the frame's noise key (its index in the source), never by the
// window: overlapping windows start from the same noise and the same condition on the frames they
// share, so their results agree there before they are blended, and any window re-run alone
// reproduces its part of the full run. The denoising loop itself is denoiseLoop.ts.
import { throwIfAborted } from '../../util/errors';
import { yieldToEventLoop } from '../../util/yieldToEventLoop';
import { sampleLatentDist } from '../noise/latentDist';
import { LATENT_CHANNELS, VAE_DOWNSAMPLE } from '../pack/contract';
import type { HostOutputs } from '../pack/hostTensors';
import { isOutOfMemoryError } from '../pack/oomFallback';
import type { Scheduler } from '../schedulers/scheduler';
import { denoiseWindow, schedulerSpec, type DenoiseWindow } from './denoiseLoop';
import type { GuidanceBatch, GuidanceScales } from './guidance';
import { putFrameLatents, takeFrameLatents } from './latentLayout';
import type { SamplerModels } from './models';
import { NOISE_STREAMS, windowNoise, type WindowNoiseSource } from './windowNoise';
import type { TextCondition } from './textCondition';
import { fromDecodedImage } from './workingImage';

export { NOISE_STREAMS, type WindowNoiseSource } from './windowNoise';

export interface SamplerSettings {
  /** Working size in pixels (multiples of 8) and the pack's latent scale factor. */
  readonly width: number;
  readonly height: number;
  readonly latentScale: number;
  /** Whether the U-Net's mask comes out at latent or image size. */
  readonly maskResolution: 'latent' | 'image';
  readonly seed: number;
  readonly guidance: GuidanceScales;
  readonly guidanceBatch: GuidanceBatch;
  /** Frames per VAE run. */
  readonly vaeBatch: number;
  /** Condition latents from the distribution's mean instead of a seeded sample of it. */
  readonly useMean: boolean;
  /** Steps at the end whose prompt-pass masks are averaged (at least 1). */
  readonly maskSteps: number;
}

export interface WindowInput {
  /**
   * The window's frames at working size, planar RGB [3, H, W] in [-1, 1]; ones still being decoded
   * may be promises: the VAE encoder's first batch goes out as soon as its own frames are there.
   */
  readonly images: readonly (Float32Array | Promise<Float32Array>)[];
  /** Per frame, the index its noise is drawn for (its frame number in the source). */
  readonly noiseKeys: readonly number[];
}

export interface WindowOutput {
  /** Per frame, interleaved RGB at working size in 0..255 (float, not yet rounded). */
  readonly frames: Float32Array[];
  /** Per frame, the mask head's output in [0, 1], maskWidth x maskHeight, row-major. */
  readonly masks: Float32Array[];
  readonly maskWidth: number;
  readonly maskHeight: number;
}

export interface WindowHooks {
  readonly signal?: AbortSignal;
  /** After each denoising step (1-based count of steps done in this window). */
  readonly onStep?: (done: number, total: number) => void;
}

export class LgviSampler {
  readonly latentWidth: number;
  readonly latentHeight: number;

  constructor(
    private readonly models: SamplerModels,
    /** Configured with setTimesteps; each window runs on a clone. */
    private readonly scheduler: Scheduler,
    readonly settings: SamplerSettings,
    /** Replaces the seeded noise streams (a reference run's recorded noise, in parity tests). */
    private readonly noiseSource?: WindowNoiseSource,
  ) {
    if (settings.width % VAE_DOWNSAMPLE || settings.height % VAE_DOWNSAMPLE) {
      throw new Error(`LgviSampler: working size ${settings.width}x${settings.height} is not a multiple of ${VAE_DOWNSAMPLE}`);
    }
    if (scheduler.timesteps.length === 0) throw new Error('LgviSampler: call scheduler.setTimesteps first');
    this.latentWidth = settings.width / VAE_DOWNSAMPLE;
    this.latentHeight = settings.height / VAE_DOWNSAMPLE;
  }

  get steps(): number {
    return this.scheduler.timesteps.length;
  }

  private get plane(): number {
    return this.latentWidth * this.latentHeight;
  }

  /** Frame noise for one purpose, laid out as a [4, T, h, w] window. */
  private frameNoise(stream: string, keys: readonly number[]): Float32Array {
    if (this.noiseSource) return this.noiseSource.draw(stream, keys);
    return windowNoise({ seed: this.settings.seed, latentHeight: this.latentHeight, latentWidth: this.latentWidth }, stream, keys);
  }

  /**
   * The source condition: VAE-encoded frames, sampled (or mean) and scaled, as a [4, T, h, w] window.
   * Every batch's run is sent before any result is awaited, so the model's thread goes from one
   * batch to the next without waiting on this one; the condition noise, and the caller's
   * `meanwhile` work, are done while the encoder runs.
   */
  async encodeCondition(input: WindowInput, signal?: AbortSignal, meanwhile?: () => void): Promise<Float32Array> {
    const { width, height, vaeBatch, latentScale, useMean } = this.settings;
    const { plane } = this;
    const frames = input.images.length;
    const perImage = 3 * width * height;
    const perLatent = LATENT_CHANNELS * plane;
    const runs: { first: number; count: number; run: Promise<HostOutputs> }[] = [];
    for (let first = 0; first < frames; first += vaeBatch) {
      const count = Math.min(vaeBatch, frames - first);
      const image = new Float32Array(count * perImage);
      for (let i = 0; i < count; i++) image.set(await input.images[first + i], i * perImage);
      const run = this.models.vaeEncoder.run({ image: { data: image, dims: [count, 3, height, width] } }, { signal });
      run.catch(() => {}); // awaited below, in order
      runs.push({ first, count, run });
      await yieldToEventLoop(); // the request goes out before the next batch is stacked
    }
    const noise = useMean ? undefined : this.frameNoise(NOISE_STREAMS.condition, input.noiseKeys);
    meanwhile?.();
    const condition = new Float32Array(LATENT_CHANNELS * frames * plane);
    const frameNoise = new Float32Array(perLatent);
    const sampled = new Float32Array(perLatent);
    for (const { first, count, run } of runs) {
      const out = await run;
      const mean = out.latent_mean.data;
      const logvar = out.latent_logvar.data;
      for (let i = 0; i < count; i++) {
        const t = first + i;
        const m = mean.subarray(i * perLatent, (i + 1) * perLatent);
        if (noise) {
          takeFrameLatents(noise, frames, t, frameNoise, 0, LATENT_CHANNELS, plane);
          sampleLatentDist(m, logvar.subarray(i * perLatent, (i + 1) * perLatent), frameNoise, { scale: latentScale, out: sampled });
        } else {
          for (let k = 0; k < perLatent; k++) sampled[k] = m[k] * latentScale;
        }
        putFrameLatents(condition, frames, t, sampled, 0, LATENT_CHANNELS, plane);
      }
    }
    return condition;
  }

  /** The window's initial N(0, 1) latents ([4, T, h, w]), before the scheduler's initNoiseSigma. */
  initialNoise(input: WindowInput): Float32Array {
    return this.frameNoise(NOISE_STREAMS.initial, input.noiseKeys);
  }

  /**
   * The denoising loop on one window; returns the final latents ([4, T, h, w], scaled) and the
   * averaged mask ([T, mh, mw]). `initial`: initialNoise(input), when made ahead (it is taken over).
   * The loop runs next to the U-Net when its runner can (on the onnxruntime thread a step then
   * costs no round trip to this thread), else here; a GPU out of memory there is retried here,
   * where the runner's fallback (smaller batches, then the CPU) takes over.
   */
  async denoise(input: WindowInput, condition: Float32Array, text: TextCondition, hooks: WindowHooks = {}, initial?: Float32Array): Promise<{ latents: Float32Array; mask: Float32Array }> {
    const scheduler = this.scheduler.clone();
    const window: DenoiseWindow = {
      initial: initial ?? this.initialNoise(input),
      condition,
      text: { prompt: text.prompt, empty: text.empty },
      latentDims: [LATENT_CHANNELS, input.noiseKeys.length, this.latentHeight, this.latentWidth],
      guidance: this.settings.guidance,
      guidanceBatch: this.settings.guidanceBatch,
      maskSteps: this.settings.maskSteps,
      noise: {
        seed: this.settings.seed,
        keys: input.noiseKeys,
        ...(this.noiseSource && scheduler.stochastic && { steps: scheduler.timesteps.map((_, s) => this.frameNoise(NOISE_STREAMS.ancestral(s), input.noiseKeys)) }),
      },
    };
    const unet = this.models.unet;
    if (unet.denoiseNearModel) {
      try {
        const near = await unet.denoiseNearModel({ window, scheduler: schedulerSpec(scheduler) }, hooks);
        if (near) return near;
      } catch (e) {
        if (!isOutOfMemoryError(e)) throw e;
      }
    }
    return denoiseWindow(window, scheduler, (feeds, request) => unet.run(feeds, { ...request, ...(hooks.signal && { signal: hooks.signal }) }), hooks);
  }

  /**
   * Final latents ([4, T, h, w], scaled) to interleaved RGB frames in 0..255 at working size. As in
   * encodeCondition, every batch is sent at once and each is converted while the next decodes.
   */
  async decode(latents: Float32Array, signal?: AbortSignal): Promise<Float32Array[]> {
    const { width, height, vaeBatch, latentScale } = this.settings;
    const { plane } = this;
    const perLatent = LATENT_CHANNELS * plane;
    const frames = latents.length / perLatent;
    const perImage = 3 * width * height;
    const runs: { count: number; run: Promise<HostOutputs> }[] = [];
    for (let first = 0; first < frames; first += vaeBatch) {
      const count = Math.min(vaeBatch, frames - first);
      const latent = new Float32Array(count * perLatent);
      for (let i = 0; i < count; i++) takeFrameLatents(latents, frames, first + i, latent, i * perLatent, LATENT_CHANNELS, plane);
      for (let k = 0; k < latent.length; k++) latent[k] /= latentScale;
      const run = this.models.vaeDecoder.run({ latent: { data: latent, dims: [count, LATENT_CHANNELS, this.latentHeight, this.latentWidth] } }, { signal });
      run.catch(() => {}); // awaited below, in order
      runs.push({ count, run });
      await yieldToEventLoop();
    }
    const out: Float32Array[] = [];
    for (const { count, run } of runs) {
      const image = (await run).image.data;
      for (let i = 0; i < count; i++) out.push(fromDecodedImage(image, i * perImage, width, height));
    }
    return out;
  }

  /** A window's averaged mask ([T, mh, mw], from denoise) as one array per frame, and its size. */
  frameMasks(mask: Float32Array, frames: number): { masks: Float32Array[]; maskWidth: number; maskHeight: number } {
    const scale = this.settings.maskResolution === 'image' ? VAE_DOWNSAMPLE : 1;
    const maskWidth = this.latentWidth * scale;
    const maskHeight = this.latentHeight * scale;
    const perMask = maskWidth * maskHeight;
    const masks = Array.from({ length: frames }, (_, t) => mask.slice(t * perMask, (t + 1) * perMask));
    return { masks, maskWidth, maskHeight };
  }

  /**
   * The whole window: condition, denoising, decoding, one after the other. (A clip's windows go
   * through these stages overlapped, windows/sampleKeyframes.ts.)
   */
  async sampleWindow(input: WindowInput, text: TextCondition, hooks: WindowHooks = {}): Promise<WindowOutput> {
    if (input.images.length !== input.noiseKeys.length || input.images.length === 0) {
      throw new Error(`sampleWindow: ${input.images.length} images but ${input.noiseKeys.length} noise keys`);
    }
    let initial: Float32Array | undefined;
    const condition = await this.encodeCondition(input, hooks.signal, () => (initial = this.initialNoise(input)));
    const { latents, mask } = await this.denoise(input, condition, text, hooks, initial);
    throwIfAborted(hooks.signal);
    const frames = await this.decode(latents, hooks.signal);
    return { frames, ...this.frameMasks(mask, frames.length) };
  }
}
