// Blends windows' results into finished key frames, in pixel space (decoded RGB and the soft
// mask), with the weights of blendWeights.ts.
//
// Why pixel space and not latent space: each window is sampled on its own (the whole denoising
// loop; streaming the clip rules out running all windows in lock-step), so at the end the windows
// hold two independently finished latents for a shared frame. Averaging finished latents gives a
// latent no image encodes to (the VAE decoder is not linear), which decodes to smeared texture;
// averaging the decoded frames is a plain cross-fade, and since overlapping windows start from the
// same per-frame noise and the same source condition, the two images being faded are already close.
// The cost is decoding shared frames once per window (overlap / window more VAE decoder runs).
//
// Memory: only frames still waiting for a later window are held (at most one window's worth).
import { blendWeights } from '../../removal/blendWeights';
import type { WindowPlan } from '../../removal/windowPlan';
import { yieldToEventLoop } from '../../util/yieldToEventLoop';

export interface BlendedKeyframe {
  /** Position in the plan's key frames. */
  readonly position: number;
  /** Frame index within the range. */
  readonly frame: number;
  /** Interleaved RGB at working size, 0..255 (float). */
  readonly rgb: Float32Array;
  /** Soft mask in [0, 1] at mask size. */
  readonly mask: Float32Array;
}

export interface WindowResult {
  /** One per real frame of the window (start..end-1), padding already dropped. */
  readonly frames: readonly Float32Array[];
  readonly masks: readonly Float32Array[];
}

export class WindowBlender {
  private readonly weights: Float64Array[];
  private readonly pending = new Map<number, { rgb: Float32Array; mask: Float32Array }>();
  private nextWindow = 0;
  private nextPosition = 0;

  constructor(private readonly plan: WindowPlan) {
    this.weights = blendWeights(plan);
  }

  /** Adds window `index` (windows must come in order) and returns the key frames no later window touches. */
  add(index: number, result: WindowResult): BlendedKeyframe[] {
    const count = this.expect(index, result.frames.length, result.masks.length);
    for (let i = 0; i < count; i++) this.addFrame(index, i, result.frames[i], result.masks[i]);
    return this.finishWindow(index);
  }

  /**
   * The same as `add`, one frame per turn of the event loop: blending a window is a few
   * milliseconds a frame, and done in one go it would hold up the next window's model runs, whose
   * replies this thread is also waiting for.
   */
  async addInTurns(index: number, result: WindowResult): Promise<BlendedKeyframe[]> {
    const count = this.expect(index, result.frames.length, result.masks.length);
    for (let i = 0; i < count; i++) {
      this.addFrame(index, i, result.frames[i], result.masks[i]);
      await yieldToEventLoop();
    }
    return this.finishWindow(index);
  }

  /** Checks window `index` is the next one and `frames`/`masks` its real frame count; returns it. */
  private expect(index: number, frames: number, masks: number): number {
    if (index !== this.nextWindow) throw new Error(`WindowBlender: window ${index} given, expected ${this.nextWindow}`);
    const window = this.plan.windows[index];
    const count = window.end - window.start;
    if (frames !== count || masks !== count) {
      throw new Error(`WindowBlender: window ${index} covers ${count} key frames, got ${frames} frames and ${masks} masks`);
    }
    return count;
  }

  /** Adds frame `i` of window `index`, weighted. */
  private addFrame(index: number, i: number, frame: Float32Array, mask: Float32Array): void {
    const position = this.plan.windows[index].start + i;
    const w = this.weights[index][i];
    let acc = this.pending.get(position);
    if (!acc) {
      acc = { rgb: new Float32Array(frame.length), mask: new Float32Array(mask.length) };
      this.pending.set(position, acc);
    }
    for (let k = 0; k < frame.length; k++) acc.rgb[k] += w * frame[k];
    for (let k = 0; k < mask.length; k++) acc.mask[k] += w * mask[k];
  }

  /** Ends window `index`: the key frames before the next window's start are done. */
  private finishWindow(index: number): BlendedKeyframe[] {
    this.nextWindow = index + 1;
    const next = this.plan.windows[this.nextWindow];
    const doneBefore = next ? next.start : this.plan.keyframes.length;
    const finished: BlendedKeyframe[] = [];
    for (; this.nextPosition < doneBefore; this.nextPosition++) {
      const acc = this.pending.get(this.nextPosition)!;
      this.pending.delete(this.nextPosition);
      finished.push({ position: this.nextPosition, frame: this.plan.keyframes[this.nextPosition], rgb: acc.rgb, mask: acc.mask });
    }
    return finished;
  }
}
