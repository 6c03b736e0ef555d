// One window's denoising loop: N(0, 1) · initNoiseSigma initial latents, then per step
// scaleModelInput, the U-Net passes with three-way guidance, scheduler.step. It only drives a
// U-Net through `runUnet`, so the same code runs where the sampler is (any model runner) and next
// to the model on the onnxruntime thread (pack/ortWorker.ts), where a step then costs no round
// trip between threads and no wait for the sampler's thread, which has frames to decode, blend
// and composite meanwhile.
//
// The mask: the U-Net returns the mask head's output on every call. The loop keeps the prompt
// pass's mask (the only pass that is told what to remove) averaged over the last `maskSteps` steps:
// the head reads features of the noisy latents, which are cleanest at the end, and the average over
// a few late steps damps step-to-step jitter without mixing in the early, noise-dominated guesses.
import { throwIfAborted } from '../../util/errors';
import { TEXT_TOKENS, TEXT_WIDTH } from '../pack/contract';
import type { HostFeeds, HostOutputs } from '../pack/hostTensors';
import type { RunRequest } from '../pack/oomFallback';
import { createScheduler } from '../schedulers/createScheduler';
import type { Scheduler } from '../schedulers/scheduler';
import { combineGuidance, guidanceOn, type GuidanceBatch, type GuidanceScales } from './guidance';
import { NOISE_STREAMS, windowNoise } from './windowNoise';

/** Everything one window's loop needs besides the scheduler and the U-Net (plain data: it can cross to another thread). */
export interface DenoiseWindow {
  /** The initial latents, N(0, 1), [4, T, h, w] (taken over: they become the result). */
  readonly initial: Float32Array;
  /** The source condition [4, T, h, w], scaled. */
  readonly condition: Float32Array;
  /** [77, 768] embeddings of the prompt and of the empty prompt. */
  readonly text: { readonly prompt: Float32Array; readonly empty: Float32Array };
  /** [4, T, h, w]. */
  readonly latentDims: readonly number[];
  readonly guidance: GuidanceScales;
  readonly guidanceBatch: GuidanceBatch;
  /** Steps at the end whose prompt-pass masks are averaged (at least 1). */
  readonly maskSteps: number;
  /**
   * Seed and per-frame noise keys, for a scheduler that adds noise each step; `steps`, when given,
   * is each step's noise drawn ahead (a replayed reference run's), used instead of the seeded streams.
   */
  readonly noise: { readonly seed: number; readonly keys: readonly number[]; readonly steps?: readonly Float32Array[] };
}

export interface DenoiseResult {
  /** Final latents [4, T, h, w], scaled. */
  readonly latents: Float32Array;
  /** The averaged mask [T, mh, mw]. */
  readonly mask: Float32Array;
}

export interface DenoiseHooks {
  readonly signal?: AbortSignal;
  /** After each step (1-based count of steps done in this window). */
  readonly onStep?: (done: number, total: number) => void;
}

/** A U-Net run: feeds in, the outputs asked for out. */
export type UnetRun = (feeds: HostFeeds, request: RunRequest) => Promise<HostOutputs>;

/** A scheduler as plain data, to build the same one on another thread. */
export interface SchedulerSpec {
  readonly config: Readonly<Record<string, unknown>>;
  readonly steps: number;
}

export function schedulerSpec(scheduler: Scheduler): SchedulerSpec {
  // A non-finite value is a default standing for "not set" (DPM-Solver's lambda_min_clipped = -inf),
  // which a config file cannot hold and the config reader refuses: leaving it out gives it back.
  const config = Object.fromEntries(Object.entries(scheduler.config).filter(([, v]) => typeof v !== 'number' || Number.isFinite(v)));
  return { config: { ...config, _class_name: scheduler.className }, steps: scheduler.inferenceSteps };
}

/** A fresh scheduler at step 0 from its spec: the same timesteps and arithmetic as the original. */
export function schedulerFromSpec(spec: SchedulerSpec): Scheduler {
  const scheduler = createScheduler(spec.config);
  scheduler.setTimesteps(spec.steps);
  return scheduler;
}

/**
 * The U-Net's input shapes for a batch of `n` passes. The text length is CLIP's 77 tokens, or an
 * LGVI-I instruction's own length (its transfer head's rows; the guidance passes use zeros of it).
 */
function batchShapes(n: number, latentDims: readonly number[], textTokens = TEXT_TOKENS) {
  return { sample: [n, ...latentDims], timestep: [n], encoder_hidden_states: [n, textTokens, TEXT_WIDTH], img_condition: [n, ...latentDims] };
}

function textTokensOf(window: DenoiseWindow): number {
  return window.text.prompt.length / TEXT_WIDTH;
}

/** The input shapes of a window's U-Net runs (one per distinct batch size), to check against the manifest before the loop starts. */
export function unetInputShapes(window: DenoiseWindow): Record<string, number[]>[] {
  const sizes = !guidanceOn(window.guidance) ? [1] : window.guidanceBatch === 'together' ? [3] : [1];
  return sizes.map((n) => batchShapes(n, window.latentDims, textTokensOf(window)));
}

interface PassBatch {
  readonly feeds: HostFeeds;
  readonly sample: Float32Array;
  readonly timestep: Float32Array;
}

/**
 * The U-Net batches of one window's steps: one batch of the three guidance passes, three batches
 * of one, or the single prompt pass without guidance. Text and condition are stacked once per
 * window; each step only copies its scaled sample into the batches' `sample` buffers.
 */
function passBatches(window: DenoiseWindow): { batches: PassBatch[]; guided: boolean } {
  const { condition, text, latentDims } = window;
  const stack = (parts: readonly Float32Array[]) => {
    const out = new Float32Array(parts.length * parts[0].length);
    parts.forEach((p, i) => out.set(p, i * p.length));
    return out;
  };
  const batch = (items: readonly { text: Float32Array; condition: Float32Array }[]): PassBatch => {
    const n = items.length;
    const sample = new Float32Array(n * condition.length);
    const timestep = new Float32Array(n);
    const dims = batchShapes(n, latentDims, textTokensOf(window));
    const feeds: HostFeeds = {
      sample: { data: sample, dims: dims.sample },
      timestep: { data: timestep, dims: dims.timestep },
      // The same arrays every step of the window: a runner on another thread keeps them there.
      encoder_hidden_states: { data: stack(items.map((i) => i.text)), dims: dims.encoder_hidden_states, constant: true },
      img_condition: { data: stack(items.map((i) => i.condition)), dims: dims.img_condition, constant: true },
    };
    return { feeds, sample, timestep };
  };
  const textPass = { text: text.prompt, condition };
  if (!guidanceOn(window.guidance)) return { batches: [batch([textPass])], guided: false };
  const passes = [textPass, { text: text.empty, condition }, { text: text.empty, condition: new Float32Array(condition.length) }];
  const batches = window.guidanceBatch === 'together' ? [batch(passes)] : passes.map((p) => batch([p]));
  return { batches, guided: true };
}

/**
 * Runs the U-Net passes of one step; returns the guided noise prediction and, when `wantMask`,
 * the prompt pass's mask (the prompt pass is the first item of the first batch). The mask is
 * fetched only then, and only its first item: on the other steps nobody reads it, and at image
 * size it is the largest output by far.
 */
async function predict(
  plan: { batches: PassBatch[]; guided: boolean },
  guidance: GuidanceScales,
  runUnet: UnetRun,
  scaled: Float32Array,
  timestep: number,
  out: Float32Array,
  wantMask: boolean,
): Promise<{ noise: Float32Array; mask: Float32Array | undefined }> {
  const outputs: HostOutputs[] = [];
  for (const [i, b] of plan.batches.entries()) {
    for (let k = 0; k < b.timestep.length; k++) b.sample.set(scaled, k * scaled.length);
    b.timestep.fill(timestep);
    const fetch = wantMask && i === 0 ? { outputs: ['noise_pred', 'mask'], firstItemOf: ['mask'] } : { outputs: ['noise_pred'] };
    outputs.push(await runUnet(b.feeds, fetch));
  }
  const first = outputs[0];
  const mask = wantMask ? first.mask.data : undefined;
  if (!plan.guided) return { noise: first.noise_pred.data, mask };
  const n = scaled.length;
  const item = (k: number) => (outputs.length === 1 ? first.noise_pred.data.subarray(k * n, (k + 1) * n) : outputs[k].noise_pred.data);
  return { noise: combineGuidance(item(0), item(1), item(2), guidance, out), mask };
}

/** Where the prompt pass's masks of the averaged steps go, one per step. */
export interface MaskSink {
  add(mask: Float32Array): void;
}

/** The average of the masks added (the window's mask, [T, mh, mw]). */
export class MaskAverage implements MaskSink {
  private sum: Float32Array | undefined;
  private count = 0;

  add(mask: Float32Array): void {
    const sum = (this.sum ??= new Float32Array(mask.length));
    for (let k = 0; k < sum.length; k++) sum[k] += mask[k];
    this.count++;
  }

  average(): Float32Array {
    if (!this.sum) throw new Error('MaskAverage: no mask was added');
    const out = this.sum;
    for (let k = 0; k < out.length; k++) out[k] /= this.count;
    return out;
  }
}

/**
 * The loop on one window, with `scheduler` fresh at step 0 (a clone); returns the final latents.
 * The prompt pass's masks of the last `maskSteps` steps go to `masks` as they come: next to the
 * model, the onnxruntime thread sends them on to be averaged elsewhere (16 MB a step at image
 * size), so the model's thread goes straight on to the next step.
 */
export async function denoiseLatents(window: DenoiseWindow, scheduler: Scheduler, runUnet: UnetRun, masks: MaskSink, hooks: DenoiseHooks = {}): Promise<Float32Array> {
  const timesteps = scheduler.timesteps;
  const latents = window.initial;
  const sigma = scheduler.initNoiseSigma;
  for (let i = 0; i < latents.length; i++) latents[i] *= sigma;
  const scaled = new Float32Array(latents.length);
  const guided = new Float32Array(latents.length);
  const plan = passBatches(window);
  const [, , latentHeight, latentWidth] = window.latentDims;
  const noiseShape = { seed: window.noise.seed, latentHeight, latentWidth };
  const maskFrom = Math.max(0, timesteps.length - Math.max(1, window.maskSteps));
  for (let s = 0; s < timesteps.length; s++) {
    throwIfAborted(hooks.signal);
    const t = timesteps[s];
    const input = scheduler.scaleModelInput(latents, t, scaled);
    const { noise, mask } = await predict(plan, window.guidance, runUnet, input, t, guided, s >= maskFrom);
    if (mask) masks.add(mask);
    const stepNoise = scheduler.stochastic ? (window.noise.steps?.[s] ?? windowNoise(noiseShape, NOISE_STREAMS.ancestral(s), window.noise.keys)) : undefined;
    scheduler.step(noise, t, latents, { out: latents, ...(stepNoise && { noise: stepNoise }) });
    hooks.onStep?.(s + 1, timesteps.length);
  }
  return latents;
}

/** The loop on one window with its masks averaged here: the final latents and the window's mask. */
export async function denoiseWindow(window: DenoiseWindow, scheduler: Scheduler, runUnet: UnetRun, hooks: DenoiseHooks = {}): Promise<DenoiseResult> {
  const masks = new MaskAverage();
  const latents = await denoiseLatents(window, scheduler, runUnet, masks, hooks);
  return { latents, mask: masks.average() };
}
