import type { Rational } from '../util/rational';
import { frameCountOfRuns } from './imageSequence';
import type { Clip, MediaRef, Sequence } from './schema';

/**
 * How source frames map onto the timeline. Exporters use the same functions, so the app and
 * every NLE file agree on where each clip sits.
 *
 * A clip's source range counts frames of its media at the media's rate: the video rate, the
 * user's rate for an image sequence, and, for audio-only media (which has no frames), the
 * sequence's rate, as NLEs count audio in timeline frames. When the media rate differs from
 * the sequence rate the clip plays in real time (frames are repeated or dropped, never slowed),
 * so its timeline length is its real duration in sequence frames, rounded to the nearest frame.
 */

/** The rate at which a clip's sourceIn/sourceOut count frames of `media` in `sequence`. */
export function mediaRate(media: MediaRef, sequence: Pick<Sequence, 'fps'>): Rational {
  if (media.kind === 'imageSequence') return media.fps;
  return media.probe.video?.fps ?? sequence.fps;
}

/** How many frames `media` has at `rate` (its mediaRate). */
export function mediaFrameCount(media: MediaRef, rate: Rational): number {
  if (media.kind === 'imageSequence') return frameCountOfRuns(media.numberRuns);
  const v = media.probe.video;
  if (v && v.frameCount > 0) return v.frameCount;
  // No counted frames (audio-only, or a container that does not say): derive from the duration.
  return Math.floor((media.probe.duration * rate.num) / rate.den + 1e-6);
}

/**
 * `frames` at rate `from`, expressed in frames at rate `to`, rounded to nearest (ties up), but
 * never less than one frame for a non-empty range: a clip may not vanish from the timeline.
 * Exact integer arithmetic: 29.97 against 23.976 must not drift over an hour-long clip.
 */
export function convertFrames(frames: number, from: Rational, to: Rational): number {
  if (from.num * to.den === to.num * from.den) return frames;
  const n = BigInt(frames) * BigInt(from.den) * BigInt(to.num);
  const d = BigInt(from.num) * BigInt(to.den);
  const rounded = Number((2n * n + d) / (2n * d));
  return frames > 0 ? Math.max(1, rounded) : rounded;
}

/** The clip's length on the timeline, in sequence frames. */
export function clipDuration(clip: Pick<Clip, 'sourceIn' | 'sourceOut'>, media: MediaRef, sequence: Pick<Sequence, 'fps'>): number {
  return convertFrames(clip.sourceOut - clip.sourceIn, mediaRate(media, sequence), sequence.fps);
}

/** The first timeline frame after the clip (half-open, like the source range). */
export function clipEnd(clip: Pick<Clip, 'sourceIn' | 'sourceOut' | 'position'>, media: MediaRef, sequence: Pick<Sequence, 'fps'>): number {
  return clip.position + clipDuration(clip, media, sequence);
}
