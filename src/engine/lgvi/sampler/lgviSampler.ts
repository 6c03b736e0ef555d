// One LGVI window, as the reference samples it (see ../../../../../shared/docs/LGVI.md):
//   frames (working size, [-1, 1]) -> VAE encoder -> condition = sample(mean, logvar) * scale
//   (or mean * scale) -> N(0, 1) * initNoiseSigma initial latents -> per step: scaleModelInput,
//   U-Net passes with three-way guidance, scheduler.step -> latents / scale -> VAE decoder ->
//   (x/2 + 0.5) clamped.
// Every random number is keyed by the frame's noise key (its index in the source), never by the
// window: overlapping windows start from the same noise and the same condition on the frames they
// share, so their results agree there before they are blended, and any window re-run alone
// reproduces its part of the full run.
//
// The mask: the U-Net returns the mask head's output on every call. The sampler keeps the prompt
// pass's mask (the only pass that is told what to remove) averaged over the last `maskSteps` steps:
// the head reads features of the noisy latents, which are cleanest at the end, and the average over
// a few late steps damps step-to-step jitter without mixing in the early, noise-dominated guesses.
import { throwIfAborted } from '../../util/errors';
import { yieldToEventLoop } from '../../util/yieldToEventLoop';
import { fillFrameNoise } from '../noise/frameNoise';
import { sampleLatentDist } from '../noise/latentDist';
import { LATENT_CHANNELS, TEXT_TOKENS, TEXT_WIDTH, VAE_DOWNSAMPLE } from '../pack/contract';
import type { HostFeeds, HostOutputs } from '../pack/hostTensors';
import type { Scheduler } from '../schedulers/scheduler';
import { combineGuidance, guidanceOn, type GuidanceBatch, type GuidanceScales } from './guidance';
import { putFrameLatents, takeFrameLatents } from './latentLayout';
import type { SamplerModels } from './models';
import type { TextCondition } from './textCondition';
import { fromDecodedImage } from './workingImage';

/** Names of the seeded noise streams: each purpose has its own, per frame. */
export const NOISE_STREAMS = {
  initial: 'initial-latents',
  condition: 'vae-condition',
  ancestral: (step: number) => `ancestral-step-${step}`,
} as const;

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
  /** The window's frames at working size, planar RGB [3, H, W] in [-1, 1]. */
  readonly images: readonly Float32Array[];
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
    const { plane } = this;
    const frames = keys.length;
    const out = new Float32Array(LATENT_CHANNELS * frames * plane);
    const one = new Float32Array(LATENT_CHANNELS * plane);
    keys.forEach((key, t) => {
      fillFrameNoise(one, { seed: this.settings.seed, stream, firstFrame: key, channels: LATENT_CHANNELS, frames: 1, height: this.latentHeight, width: this.latentWidth });
      putFrameLatents(out, frames, t, one, 0, LATENT_CHANNELS, plane);
    });
    return out;
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
      for (let i = 0; i < count; i++) image.set(input.images[first + i], i * perImage);
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

  /**
   * The U-Net batches of one window's steps: one batch of the three guidance passes, three batches
   * of one, or the single prompt pass without guidance. Text and condition are stacked once per
   * window; each step only copies its scaled sample into the batches' `sample` buffers.
   */
  private passBatches(condition: Float32Array, text: TextCondition): { batches: { feeds: HostFeeds; sample: Float32Array; timestep: Float32Array }[]; guided: boolean } {
    const frames = condition.length / (LATENT_CHANNELS * this.plane);
    const latentDims = [LATENT_CHANNELS, frames, this.latentHeight, this.latentWidth];
    const stack = (parts: readonly Float32Array[]) => {
      const out = new Float32Array(parts.length * parts[0].length);
      parts.forEach((p, i) => out.set(p, i * p.length));
      return out;
    };
    const batch = (items: readonly { text: Float32Array; condition: Float32Array }[]) => {
      const n = items.length;
      const sample = new Float32Array(n * condition.length);
      const timestep = new Float32Array(n);
      const feeds: HostFeeds = {
        sample: { data: sample, dims: [n, ...latentDims] },
        timestep: { data: timestep, dims: [n] },
        // The same arrays every step of the window: the model's thread keeps them between runs.
        encoder_hidden_states: { data: stack(items.map((i) => i.text)), dims: [n, TEXT_TOKENS, TEXT_WIDTH], constant: true },
        img_condition: { data: stack(items.map((i) => i.condition)), dims: [n, ...latentDims], constant: true },
      };
      return { feeds, sample, timestep };
    };
    const textPass = { text: text.prompt, condition };
    if (!guidanceOn(this.settings.guidance)) return { batches: [batch([textPass])], guided: false };
    const passes = [textPass, { text: text.empty, condition }, { text: text.empty, condition: new Float32Array(condition.length) }];
    const batches = this.settings.guidanceBatch === 'together' ? [batch(passes)] : passes.map((p) => batch([p]));
    return { batches, guided: true };
  }

  /**
   * Runs the U-Net passes of one step; returns the guided noise prediction and, when `wantMask`,
   * the prompt pass's mask (the prompt pass is the first item of the first batch). The mask is
   * fetched only then, and only its first item: on the other steps nobody reads it, and at image
   * size it is the largest output by far. `reuse[i]` holds arrays batch i's run may write its
   * outputs into (outputs of earlier steps that nothing reads any more).
   */
  private async predict(
    plan: ReturnType<LgviSampler['passBatches']>,
    scaled: Float32Array,
    timestep: number,
    out: Float32Array,
    wantMask: boolean,
    reuse: readonly Float32Array[][],
    signal?: AbortSignal,
  ): Promise<{ noise: Float32Array; mask: Float32Array | undefined; outputs: HostOutputs[] }> {
    const outputs: HostOutputs[] = [];
    for (const [i, b] of plan.batches.entries()) {
      for (let k = 0; k < b.timestep.length; k++) b.sample.set(scaled, k * scaled.length);
      b.timestep.fill(timestep);
      const fetch = wantMask && i === 0 ? { outputs: ['noise_pred', 'mask'], firstItemOf: ['mask'] } : { outputs: ['noise_pred'] };
      outputs.push(await this.models.unet.run(b.feeds, { signal, ...fetch, reuse: reuse[i] ?? [] }));
    }
    const first = outputs[0];
    const mask = wantMask ? first.mask.data : undefined;
    if (!plan.guided) return { noise: first.noise_pred.data, mask, outputs };
    const n = scaled.length;
    const item = (k: number) => (outputs.length === 1 ? first.noise_pred.data.subarray(k * n, (k + 1) * n) : outputs[k].noise_pred.data);
    return { noise: combineGuidance(item(0), item(1), item(2), this.settings.guidance, out), mask, outputs };
  }

  /** The window's initial N(0, 1) latents ([4, T, h, w]), before the scheduler's initNoiseSigma. */
  initialNoise(input: WindowInput): Float32Array {
    return this.frameNoise(NOISE_STREAMS.initial, input.noiseKeys);
  }

  /**
   * The denoising loop on one window; returns the final latents ([4, T, h, w], scaled) and the
   * averaged mask ([T, mh, mw]). `initial`: initialNoise(input), when made ahead (it is taken over).
   */
  async denoise(input: WindowInput, condition: Float32Array, text: TextCondition, hooks: WindowHooks = {}, initial?: Float32Array): Promise<{ latents: Float32Array; mask: Float32Array }> {
    const scheduler = this.scheduler.clone();
    const timesteps = scheduler.timesteps;
    const latents = initial ?? this.initialNoise(input);
    const sigma = scheduler.initNoiseSigma;
    for (let i = 0; i < latents.length; i++) latents[i] *= sigma;
    const scaled = new Float32Array(latents.length);
    const guided = new Float32Array(latents.length);
    const batches = this.passBatches(condition, text);
    const maskFrom = Math.max(0, timesteps.length - Math.max(1, this.settings.maskSteps));
    // The sum of the prompt pass's masks over the last steps. A step's mask is added while the
    // next step's U-Net runs: the sum is not needed before the end, and at image size the addition
    // would otherwise keep the model waiting on every one of those steps.
    let maskSum: Float32Array | undefined;
    let unsummed: Float32Array | undefined;
    const addMask = (m: Float32Array) => {
      const sum = (maskSum ??= new Float32Array(m.length));
      for (let k = 0; k < sum.length; k++) sum[k] += m[k];
    };
    // Per batch, output arrays nothing reads any more: the next run of that batch may reuse them.
    let spent: Float32Array[][] = batches.batches.map(() => []);
    for (let s = 0; s < timesteps.length; s++) {
      throwIfAborted(hooks.signal);
      const t = timesteps[s];
      const input_ = scheduler.scaleModelInput(latents, t, scaled);
      const reuse = spent;
      spent = batches.batches.map(() => []);
      const predicting = this.predict(batches, input_, t, guided, s >= maskFrom, reuse, hooks.signal);
      predicting.catch(() => {}); // awaited below; handled here so a failure during the yield is not "unhandled"
      // Work that does not need this step's prediction is done while the U-Net runs.
      if (unsummed || scheduler.stochastic) await yieldToEventLoop(); // the run's request goes out first
      if (unsummed) {
        addMask(unsummed);
        spent[0].push(unsummed);
        unsummed = undefined;
      }
      const stepNoise = scheduler.stochastic ? this.frameNoise(NOISE_STREAMS.ancestral(s), input.noiseKeys) : undefined;
      const { noise, mask: stepMask, outputs } = await predicting;
      scheduler.step(noise, t, latents, { out: latents, ...(stepNoise && { noise: stepNoise }) });
      outputs.forEach((o, i) => spent[i].push(...Object.values(o).map((tensor) => tensor.data).filter((d) => d !== stepMask)));
      unsummed = stepMask;
      hooks.onStep?.(s + 1, timesteps.length);
    }
    if (unsummed) addMask(unsummed);
    const averaged = maskSum!;
    const count = timesteps.length - maskFrom;
    for (let k = 0; k < averaged.length; k++) averaged[k] /= count;
    return { latents, mask: averaged };
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
