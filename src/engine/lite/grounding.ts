import { findObjects, type GroundingInput } from './findObjects';
import type { Track } from './types';

/**
 * The removal's view of the first pass (findObjects.ts): the tracks the words chose, to be
 * filled, and the others, which the fill never copies as background.
 */

export interface Grounding {
  matched: boolean;
  explanation: string;
  /** The chosen tracks, boxes in source pixels (display orientation). */
  tracks: Track[];
  /** Every track found, for the explanation and the take's record. */
  found: number;
  /** The tracks not chosen (boxes in source pixels): the fill never copies them as background. */
  others?: Track[];
}

export async function groundExpression(input: GroundingInput): Promise<Grounding> {
  const found = await findObjects(input);
  const chosen = new Set(found.chosen);
  return {
    matched: found.matched,
    explanation: found.explanation,
    found: found.tracks.length,
    // In the order the words chose them (selectTracks' order), as the fill and the record expect.
    tracks: found.chosen.map((id) => found.tracks.find((t) => t.id === id)!),
    others: found.tracks.filter((t) => !chosen.has(t.id)),
  };
}
