import type { TrackMaskOptions } from '../mask/trackMasks';
import type { Box, RgbImage, Track } from '../types';
import { throwIfAborted } from '../../util/errors';
import type { PersonSegmenter } from './createPersonSegmenter';

/** buildTrackMasks' `softMask` hook: a segmenter's mask for a track in a frame, or undefined. */
export type SoftMaskHook = NonNullable<TrackMaskOptions['softMask']>;

export interface PersonSoftMaskOptions {
  /** Checked between crops, so a long clip stops promptly. */
  signal?: AbortSignal;
  /** Called after each crop with how many are done of how many. */
  onProgress?: (done: number, total: number) => void;
}

/** The label the segmenter's model knows: Selfie segments people and nothing else. */
const PERSON = 'person';

/**
 * Segments every box of every track labelled "person" (each (track, frame) once) and returns the
 * `softMask` hook buildTrackMasks reads. The hook is synchronous and the segmenter is not, so the
 * masks are made here, before buildTrackMasks runs, and the hook only looks them up; for other
 * classes, for frames where the track has no box, and for tracks not given here it answers
 * undefined (buildTrackMasks then falls back to the box and its background evidence). Crops run
 * one after another: tfjs under Node computes on one core either way (detect/tfRuntime.ts).
 */
export async function personSoftMasks(
  segmenter: PersonSegmenter,
  frames: RgbImage[],
  tracks: Track[],
  options: PersonSoftMaskOptions = {},
): Promise<SoftMaskHook> {
  const people = tracks.filter((t) => t.label === PERSON);
  for (const t of people) {
    if (t.boxes.length !== frames.length) throw new Error(`track ${t.id} has ${t.boxes.length} boxes for ${frames.length} frames`);
  }
  const total = people.reduce((n, t) => n + t.boxes.filter(Boolean).length, 0);
  const masks = new Map<Track, ({ box: Box; mask: Uint8Array } | undefined)[]>();
  let done = 0;
  for (const t of people) {
    const perFrame: ({ box: Box; mask: Uint8Array } | undefined)[] = new Array(frames.length).fill(undefined);
    for (let f = 0; f < frames.length; f++) {
      const box = t.boxes[f];
      if (!box) continue;
      throwIfAborted(options.signal, 'segmenting people');
      perFrame[f] = { box, mask: await segmenter.segment(frames[f], box) };
      options.onProgress?.(++done, total);
    }
    masks.set(t, perFrame);
  }
  return (track, frame) => masks.get(track)?.[frame];
}
