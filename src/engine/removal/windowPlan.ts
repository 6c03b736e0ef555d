// How a clip of any length is cut into the model's fixed-length windows.
//
// Stride: the model was trained on every 5th frame of YouTube-VOS, so motion between its frames is
// larger than between a video's consecutive frames. With stride s the sampler sees key frames
// 0, s, 2s, ... and the clip's last frame (so the end is never extrapolated); the frames between
// are carried from their two key frames (keyframeCarry.ts).
//
// Windows: key frames are covered by windows of `window` frames overlapping by at least
// `overlap`. The window count is the fewest that gives that overlap, and their starts are spread
// evenly from the first key frame to the last, so every window is full length (the model is
// trained on full windows), the last one ends exactly at the clip's end, and the extra overlap is
// shared out instead of piling up at the end.
//
// Padding: a clip with fewer key frames than a window is padded to the full window by mirroring
// it in time (0 1 2 3 2 1 0 1 ...): the padded frames continue the clip's motion backwards instead
// of freezing it, which a temporal-attention model sees as ordinary video. Padded frames are
// sampled and thrown away (trimmed).
import { LacunaError } from '../util/errors';

export interface WindowPlanOptions {
  /** Frames per window (the model's T). */
  readonly window: number;
  /** Minimum frames shared by consecutive windows (0 .. window - 1). */
  readonly overlap: number;
  /** Every stride-th frame is a key frame (1 = every frame). */
  readonly stride: number;
}

export interface PlannedWindow {
  /** Key-frame positions [start, end) this window samples for real. */
  readonly start: number;
  readonly end: number;
  /**
   * The key-frame position of each of the window's `window` slots: start..end-1, then (only when
   * the clip is shorter than a window) mirrored padding.
   */
  readonly slots: readonly number[];
}

export interface WindowPlan {
  readonly frameCount: number;
  readonly options: WindowPlanOptions;
  /** Frame indices (0-based in the range) the sampler sees, ascending; first 0, last frameCount - 1. */
  readonly keyframes: readonly number[];
  readonly windows: readonly PlannedWindow[];
}

/** Key frames for a stride: every stride-th frame and the last one. */
export function keyframesFor(frameCount: number, stride: number): number[] {
  const keys: number[] = [];
  for (let f = 0; f < frameCount; f += stride) keys.push(f);
  if (keys[keys.length - 1] !== frameCount - 1) keys.push(frameCount - 1);
  return keys;
}

/** Index into 0..count-1 of slot `i` of a time-mirrored (ping-pong) repetition of the sequence. */
export function mirroredIndex(i: number, count: number): number {
  if (count === 1) return 0;
  const period = 2 * (count - 1);
  const p = i % period;
  return p < count ? p : period - p;
}

export function checkWindowOptions(options: WindowPlanOptions): void {
  const { window, overlap, stride } = options;
  if (!Number.isInteger(window) || window < 1) throw new LacunaError('BAD_ARGUMENT', `window must be a whole number of frames >= 1, got ${window}`);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= window) {
    throw new LacunaError('BAD_ARGUMENT', `overlap must be a whole number from 0 to ${window - 1} (less than the ${window}-frame window), got ${overlap}`, 'The default overlap is 8 frames.');
  }
  if (!Number.isInteger(stride) || stride < 1) throw new LacunaError('BAD_ARGUMENT', `stride must be a whole number >= 1, got ${stride}`);
}

export function planWindows(frameCount: number, options: WindowPlanOptions): WindowPlan {
  checkWindowOptions(options);
  if (!Number.isInteger(frameCount) || frameCount < 1) throw new LacunaError('BAD_RANGE', `there are no frames to process (${frameCount})`);
  const { window, overlap } = options;
  const keyframes = keyframesFor(frameCount, options.stride);
  const keys = keyframes.length;
  if (keys <= window) {
    const slots = Array.from({ length: window }, (_, i) => mirroredIndex(i, keys));
    return { frameCount, options, keyframes, windows: [{ start: 0, end: keys, slots }] };
  }
  // Fewest windows with consecutive starts at most (window - overlap) apart.
  const count = Math.ceil((keys - overlap) / (window - overlap));
  const span = keys - window;
  const windows: PlannedWindow[] = [];
  for (let k = 0; k < count; k++) {
    const start = Math.round((k * span) / (count - 1));
    windows.push({ start, end: start + window, slots: Array.from({ length: window }, (_, i) => start + i) });
  }
  return { frameCount, options, keyframes, windows };
}
