import { z } from 'zod';
import type { FillReport } from './fill/fillClip';

/**
 * What Lite's fill added to the masks it was given, summed over a take's windows, for the take's
 * explanation: the hole grown over the object's soft edges, and a relit cast shadow. A take
 * rendered on one machine sums its windows as it goes; a render farm's chunks each sum their own
 * windows and the join sums the chunks, so both explanations say the same (every window belongs to
 * exactly one chunk).
 */
export const FillAdditionsSchema = z.strictObject({
  /** Pixels (all frames) the hole grew by over soft edges, and the widest growth in pixels. */
  edgePixels: z.number().min(0),
  edgeWidest: z.number().min(0),
  /** Pixels (all frames) of cast shadow relit. */
  shadowPixels: z.number().min(0),
  /** Frames filled (a frame two windows share counts twice, as it was filled twice). */
  frames: z.number().int().min(0),
});
export type FillAdditions = z.infer<typeof FillAdditionsSchema>;

export function noAdditions(): FillAdditions {
  return { edgePixels: 0, edgeWidest: 0, shadowPixels: 0, frames: 0 };
}

/** The additions of one window's fill (`frames` frames). */
export function additionsOf(r: Pick<FillReport, 'edgePixels' | 'edgeWidest' | 'shadowPixels'>, frames: number): FillAdditions {
  return { edgePixels: r.edgePixels, edgeWidest: r.edgeWidest, shadowPixels: r.shadowPixels, frames };
}

/** Adds `a` into `into`. */
export function sumAdditions(into: FillAdditions, a: FillAdditions): void {
  into.edgePixels += a.edgePixels;
  into.edgeWidest = Math.max(into.edgeWidest, a.edgeWidest);
  into.shadowPixels += a.shadowPixels;
  into.frames += a.frames;
}

/** The explanation's tail for the additions ("; grew the hole over soft edges by …"), empty when none. */
export function describeAdditions(a: FillAdditions, withShadow: boolean): string {
  const parts: string[] = [];
  if (a.edgePixels > 0) parts.push(`grew the hole over soft edges by up to ${a.edgeWidest} px (${Math.round(a.edgePixels / Math.max(1, a.frames))} px a frame)`);
  if (withShadow) parts.push(a.shadowPixels > 0 ? `relit its shadow (${Math.round(a.shadowPixels / Math.max(1, a.frames))} px a frame)` : 'found no cast shadow attached to it');
  return parts.length ? `; ${parts.join('; ')}` : '';
}
