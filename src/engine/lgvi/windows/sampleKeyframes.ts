// The sampling half of a removal: runs a window plan through the sampler and yields the clip's
// key frames, blended across overlapping windows, in order, as soon as no later window touches
// them. Working images are asked for once per key frame, in order, and dropped when the last
// window that needs them is done, so a clip of any length holds about two windows of them.
//
// The windows' stages overlap so that the model's thread always has work queued (windows share
// nothing but their noise keys): window k + 1's VAE encoder runs go out when window k starts
// denoising, and its condition is ready when window k's last step is done; window k's VAE
// decoder runs go out just before window k + 1's first step, and its frames are converted,
// blended and handed on while window k + 1 denoises. Without this, every window boundary left
// the model idle while the host did a window's worth of work. At most one window's hand-over is
// outstanding while the next one denoises, so a slow consumer holds the sampler back instead of
// letting decoded windows pile up.
import type { LgviSampler } from '../sampler/lgviSampler';
import type { TextCondition } from '../sampler/textCondition';
import { AsyncChannel } from '../../util/asyncChannel';
import { WindowBlender, type BlendedKeyframe } from './windowBlender';
import { yieldToEventLoop } from '../../util/yieldToEventLoop';
import type { WindowPlan } from '../../removal/windowPlan';
import { fromDecodedImage } from '../sampler/workingImage';
import { compositeMask, differenceMask, maskCoverage, reconstructionThreshold, type CompositeMask } from './differenceMask';
import { MASK_THRESHOLD } from './removalMatte';

export interface SampleKeyframesInput {
  readonly plan: WindowPlan;
  readonly sampler: LgviSampler;
  readonly text: TextCondition;
  /** The range's first and end frame in the source: noise is keyed by source frame number. */
  readonly rangeStart: number;
  /** Key frame `position`'s working image ([3, H, W] in [-1, 1]); called once per position, in order. */
  readonly image: (position: number) => Promise<Float32Array>;
  readonly signal?: AbortSignal;
  /** Progress: stage "window k/n", steps done of all windows' steps. */
  readonly progress?: (stage: string, done: number, total: number) => void;
  /**
   * The mask handed on (default the head's): with 'difference' or 'union' each window's condition
   * latents are decoded too (the VAE's reconstruction of the source) and the masks come at working size.
   */
  readonly composite?: CompositeMask;
  /** Per window with a difference mask: its threshold and what the head and the difference marked. */
  readonly onMaskStats?: (stats: WindowMaskStats) => void;
}

export interface WindowMaskStats {
  readonly window: number;
  readonly frames: number;
  /** The change threshold (0..255), from the VAE's own reconstruction error. */
  readonly threshold: number;
  /** Mean fraction of the frame the mask head marked, and the difference mask. */
  readonly head: number;
  readonly difference: number;
}

/** Noise keys of a window's slots: real frames by source frame number, padding by numbers past the range's end. */
export function windowNoiseKeys(plan: WindowPlan, windowIndex: number, rangeStart: number): number[] {
  const window = plan.windows[windowIndex];
  const real = window.end - window.start;
  const rangeEnd = rangeStart + plan.frameCount;
  return window.slots.map((p, i) => (i < real ? rangeStart + plan.keyframes[p] : rangeEnd + (i - real)));
}

type SampledKeyframe = BlendedKeyframe & { maskWidth: number; maskHeight: number };

export async function* sampleKeyframes(input: SampleKeyframesInput): AsyncGenerator<SampledKeyframe> {
  const { plan, sampler } = input;
  const { windows } = plan;
  const steps = sampler.steps;
  const total = windows.length * steps;
  const blender = new WindowBlender(plan);
  const images = new Map<number, Promise<Float32Array>>();
  const finished = new AsyncChannel<SampledKeyframe>(Math.max(2, plan.options.window));
  // Stops the stages still running when the consumer stops early or a stage fails.
  const stop = new AbortController();
  const signal = input.signal ? AbortSignal.any([input.signal, stop.signal]) : stop.signal;
  let failed = false;
  const fail = (e: unknown) => {
    if (failed) return;
    failed = true;
    finished.fail(e);
    stop.abort();
  };

  let loaded = 0;
  let lastImage: Promise<unknown> = Promise.resolve();
  /** Key frame `position`'s image, asked for after the one before it (input.image takes them in order). */
  const image = (position: number) => {
    const next = lastImage.then(() => input.image(position));
    next.catch(() => {}); // awaited by the encoder's batch that needs it; unread once an earlier one failed
    lastImage = next;
    return next;
  };
  /** Window k's input and condition: its encoder runs go out now, each batch as soon as its frames are decoded. */
  const prepare = async (k: number) => {
    const window = windows[k];
    for (; loaded < window.end; loaded++) images.set(loaded, image(loaded));
    const windowInput = { images: window.slots.map((p) => images.get(p)!), noiseKeys: windowNoiseKeys(plan, k, input.rangeStart) };
    let initial: Float32Array | undefined;
    const condition = await sampler.encodeCondition(windowInput, signal, () => (initial = sampler.initialNoise(windowInput)));
    return { windowInput, condition, initial };
  };
  const composite = input.composite ?? 'head';
  const { width, height } = sampler.settings;
  /** The window's masks as handed on: the head's, or (difference, union) combined at working size. */
  const windowMasks = async (k: number, frames: Float32Array[], mask: Float32Array, reconstructing: Promise<Float32Array[]> | null, sources: readonly Promise<Float32Array>[]) => {
    const head = sampler.frameMasks(mask, frames.length);
    if (composite === 'head' || !reconstructing) return head;
    const recon = (await reconstructing).slice(0, frames.length);
    const source = await Promise.all(sources.slice(0, frames.length).map(async (img) => fromDecodedImage(await img, 0, width, height)));
    const threshold = reconstructionThreshold(recon, source);
    const size = { width, height };
    const headSize = { width: head.maskWidth, height: head.maskHeight };
    let headCover = 0;
    let diffCover = 0;
    const masks = frames.map((f, i) => {
      const diff = differenceMask(f, recon[i], threshold);
      headCover += maskCoverage(head.masks[i], MASK_THRESHOLD);
      diffCover += maskCoverage(diff, MASK_THRESHOLD);
      return compositeMask(composite, head.masks[i], headSize, diff, size);
    });
    input.onMaskStats?.({ window: k, frames: frames.length, threshold, head: headCover / frames.length, difference: diffCover / frames.length });
    return { masks, maskWidth: width, maskHeight: height };
  };
  /** Window k's frames once decoded: blended (one frame per event-loop turn) and handed on, after window k - 1's. */
  const handOver = async (k: number, decoding: Promise<Float32Array[]>, reconstructing: Promise<Float32Array[]> | null, sources: readonly Promise<Float32Array>[], mask: Float32Array, previous: Promise<void>) => {
    const decoded = await decoding;
    await previous;
    const window = windows[k];
    const real = window.end - window.start;
    const frames = decoded.slice(0, real);
    const { masks, maskWidth, maskHeight } = await windowMasks(k, frames, mask, reconstructing, sources);
    const done = await blender.addInTurns(k, { frames, masks });
    const nextStart = windows[k + 1]?.start ?? plan.keyframes.length;
    for (const p of [...images.keys()]) if (p < nextStart) images.delete(p);
    for (const key of done) {
      await finished.push({ ...key, maskWidth, maskHeight });
      await yieldToEventLoop(); // the consumer's per-frame work, too, leaves room for model replies
    }
  };

  const produce = async () => {
    const handed: Promise<void>[] = [];
    let prepared: ReturnType<typeof prepare> | undefined = prepare(0);
    for (const k of windows.keys()) {
      const { windowInput, condition, initial } = await prepared!;
      prepared = k + 1 < windows.length ? prepare(k + 1) : undefined;
      prepared?.catch(() => {}); // awaited next round; a failure meanwhile must not go unhandled
      if (k >= 2) await handed[k - 2]; // one hand-over outstanding at most
      const stage = `window ${k + 1}/${windows.length}`;
      input.progress?.(stage, k * steps, total);
      const { latents, mask } = await sampler.denoise(windowInput, condition, input.text, { signal, onStep: (done) => input.progress?.(stage, k * steps + done, total) }, initial);
      const decoding = sampler.decode(latents, signal);
      decoding.catch(() => {}); // awaited by the hand-over
      // The source as the VAE gives it back: what "changed" is measured against.
      const reconstructing = composite === 'head' ? null : sampler.decode(condition, signal);
      reconstructing?.catch(() => {});
      handed.push(handOver(k, decoding, reconstructing, windowInput.images, mask, handed[k - 1] ?? Promise.resolve()));
      handed[k].catch(fail);
    }
    await handed.at(-1);
    finished.end();
  };

  const producing = produce().catch(fail);
  try {
    yield* finished;
  } finally {
    stop.abort();
    finished.close();
    await producing;
  }
}
