/**
 * The timeline's edit arithmetic as pure functions of frame numbers (no project, no I/O), so
 * each rule is tested on its own: how far an edge may be trimmed, how far ripple moves each
 * clip. All values are sequence frames; ranges are half-open [start, end).
 */

export type TrimEdge = 'in' | 'out';

export interface TrimRoom {
  /** The clip on the timeline. */
  start: number;
  end: number;
  /** End of the previous clip on the track (0 when none) and start of the next (MAX when none). */
  prevEnd: number;
  nextStart: number;
  /** Media before the clip's in point and after its out point, in sequence frames. */
  headroom: number;
  tailroom: number;
}

/**
 * The delta (+ later) an edge can actually move: a head trim stops at the previous clip, at
 * frame 0 and at the media's first frame, and leaves at least one frame; a tail trim stops at
 * the next clip and the media's last frame.
 */
export function clampTrimDelta(edge: TrimEdge, delta: number, room: TrimRoom): number {
  const length = room.end - room.start;
  if (edge === 'in') {
    const earliest = -Math.min(room.headroom, room.start - room.prevEnd, room.start);
    return Math.max(earliest, Math.min(length - 1, delta));
  }
  const latest = Math.min(room.tailroom, room.nextStart - room.end);
  return Math.min(latest, Math.max(-(length - 1), delta));
}

/**
 * Ripple delete: how far each remaining clip (given by its start, any order) moves left, which is
 * the total length of the removed ranges before it.
 */
export function rippleShifts(starts: readonly number[], removed: readonly { start: number; end: number }[]): number[] {
  return starts.map((s) => removed.filter((r) => r.end <= s).reduce((n, r) => n + (r.end - r.start), 0));
}
