import type { WindowGains } from './fillWindow';

/**
 * Exposure gains shared between a frame's stages. Propagation measures, for each frame it copies
 * from, the gain that matches that frame's light to this one's (propagate.ts exposureGain); the
 * seam then estimates the background on the hole's border from the same frames, and used to
 * measure the gains again, on a ring and exclusion that differ only by a few pixels: a third of
 * the seam's time. Taking propagation's gains instead also matches the border to the very light
 * the fill was copied with, which is what the seam measures against. A frame propagation never
 * copied from has no gain here, and the seam measures it as before.
 *
 * The table is the window's (fillWindow.ts): row t is written only by frame t's propagation and
 * read by frame t's seam, a later stage, so any thread may run either.
 */

/** Writes frame t's gains (by source frame; null: within 1%, none applied) into row t. */
export function keepGains(table: WindowGains, count: number, t: number, gains: ReadonlyMap<number, Float64Array | null>): void {
  for (const [s, g] of gains) {
    const at = t * count + s;
    table.state[at] = g ? 2 : 1;
    if (g) table.values.set(g, 3 * at);
  }
}

/** Frame t's gains as propagation measured them (an empty map where it measured none). */
export function keptGains(table: WindowGains, count: number, t: number): Map<number, Float64Array | null> {
  const out = new Map<number, Float64Array | null>();
  for (let s = 0; s < count; s++) {
    const at = t * count + s;
    const state = table.state[at];
    if (state === 1) out.set(s, null);
    else if (state === 2) out.set(s, table.values.slice(3 * at, 3 * at + 3));
  }
  return out;
}
