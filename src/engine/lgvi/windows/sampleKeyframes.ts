// The sampling half of a removal: runs a window plan through the sampler and yields the clip's
// key frames, blended across overlapping windows, in order, as soon as no later window touches
// them. Working images are asked for once per key frame, in order, and dropped when the last
// window that needs them is done, so a clip of any length holds about one window of them.
import type { LgviSampler } from '../sampler/lgviSampler';
import type { TextCondition } from '../sampler/textCondition';
import { WindowBlender, type BlendedKeyframe } from './windowBlender';
import { yieldToEventLoop } from '../../util/yieldToEventLoop';
import type { WindowPlan } from '../../removal/windowPlan';

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
}

/** Noise keys of a window's slots: real frames by source frame number, padding by numbers past the range's end. */
export function windowNoiseKeys(plan: WindowPlan, windowIndex: number, rangeStart: number): number[] {
  const window = plan.windows[windowIndex];
  const real = window.end - window.start;
  const rangeEnd = rangeStart + plan.frameCount;
  return window.slots.map((p, i) => (i < real ? rangeStart + plan.keyframes[p] : rangeEnd + (i - real)));
}

export async function* sampleKeyframes(input: SampleKeyframesInput): AsyncGenerator<BlendedKeyframe & { maskWidth: number; maskHeight: number }> {
  const { plan, sampler } = input;
  const { windows } = plan;
  const steps = sampler.steps;
  const total = windows.length * steps;
  const blender = new WindowBlender(plan);
  const images = new Map<number, Float32Array>();
  // Stops a window sampled ahead when the consumer stops early (or something failed).
  const stopAhead = new AbortController();
  const signal = input.signal ? AbortSignal.any([input.signal, stopAhead.signal]) : stopAhead.signal;
  let loaded = 0;
  const sample = (k: number) => {
    const window = windows[k];
    const stage = `window ${k + 1}/${windows.length}`;
    const run = (async () => {
      input.progress?.(stage, k * steps, total);
      for (; loaded < window.end; loaded++) images.set(loaded, await input.image(loaded));
      return sampler.sampleWindow(
        { images: window.slots.map((p) => images.get(p)!), noiseKeys: windowNoiseKeys(plan, k, input.rangeStart) },
        input.text,
        { signal, onStep: (done) => input.progress?.(stage, k * steps + done, total) },
      );
    })();
    run.catch(() => {}); // awaited in turn; a failure while an earlier window is blended waits for that
    return run;
  };
  // Window k + 1 starts sampling as soon as window k is sampled: its frames are blended and handed
  // on while the model already works on the next one (windows share nothing but their noise keys).
  let ahead: ReturnType<typeof sample> | undefined = sample(0);
  try {
    for (const [k, window] of windows.entries()) {
      const result = await ahead!;
      ahead = k + 1 < windows.length ? sample(k + 1) : undefined;
      const real = window.end - window.start;
      const finished = await blender.addInTurns(k, { frames: result.frames.slice(0, real), masks: result.masks.slice(0, real) });
      const nextStart = windows[k + 1]?.start ?? plan.keyframes.length;
      for (const p of [...images.keys()]) if (p < nextStart) images.delete(p);
      for (const key of finished) {
        yield { ...key, maskWidth: result.maskWidth, maskHeight: result.maskHeight };
        await yieldToEventLoop(); // the consumer's per-frame work, too, leaves room for model replies
      }
    }
  } finally {
    if (ahead) {
      stopAhead.abort();
      await ahead.catch(() => {});
    }
  }
}
