/**
 * Judging spatial, size and ordinal qualifiers on a group of candidate tracks. Every qualifier
 * is relative to the other candidates ("the left bird" is the leftmost of the birds, wherever
 * they are in the frame), except with a single candidate, where only the frame itself can say
 * whether it is "on the left". Decisions that hinge on a difference too small to see are refused
 * as ambiguous rather than guessed: removing the wrong object is worse than asking.
 */
import type { OrderFrom, Qualifier, Side } from './ast';
import type { TrackPlacement } from './trackPlacement';

/**
 * Two candidates closer than this (fraction of the frame for positions; fraction of the largest
 * candidate's area for sizes) are level: a person would not call either "the left one".
 */
const LEVEL_MARGIN = 0.03;

/** Directions candidates can be ordered in: a side, the middle, or a size end. */
type Direction = Side | 'middle' | 'largest' | 'smallest';

export type SpatialQualifier = Extract<Qualifier, { kind: 'position' | 'size' }>;

export function directionOf(q: SpatialQualifier): Direction {
  return q.kind === 'position' ? q.where : q.which;
}

/** Sort key of a candidate for a direction, lower = further that way, on a 0..1 scale. */
function keyFor(direction: Direction | OrderFrom, p: TrackPlacement, group: readonly TrackPlacement[]): number {
  switch (direction) {
    case 'left':
      return p.cx;
    case 'right':
      return 1 - p.cx;
    case 'top':
      return p.cy;
    case 'bottom':
      return 1 - p.cy;
    case 'largest':
      return 1 - p.area / maxArea(group);
    case 'smallest':
      return p.area / maxArea(group);
    case 'middle': {
      // The middle of a row: closest to the group's centre along the axis the group spreads on.
      const xs = group.map((g) => g.cx);
      const ys = group.map((g) => g.cy);
      const spreadX = Math.max(...xs) - Math.min(...xs);
      const spreadY = Math.max(...ys) - Math.min(...ys);
      return spreadX >= spreadY
        ? Math.abs(p.cx - (Math.max(...xs) + Math.min(...xs)) / 2)
        : Math.abs(p.cy - (Math.max(...ys) + Math.min(...ys)) / 2);
    }
  }
}

function maxArea(group: readonly TrackPlacement[]): number {
  let max = 0;
  for (const g of group) if (g.area > max) max = g.area;
  return max > 0 ? max : 1;
}

/** Combined key of several qualifiers ("top left"): the sum of their keys. */
function combinedKey(qualifiers: readonly SpatialQualifier[], p: TrackPlacement, group: readonly TrackPlacement[]): number {
  let key = 0;
  for (const q of qualifiers) key += keyFor(directionOf(q), p, group);
  return key;
}

export type Judgement = { ok: true; picked: TrackPlacement[] } | { ok: false; why: 'level' | 'too-few' };

/**
 * The n candidates that best fit the qualifiers together; refused as 'level' when the n-th and
 * the next are too close to tell apart.
 */
export function pickBest(candidates: readonly TrackPlacement[], qualifiers: readonly SpatialQualifier[], n: number): Judgement {
  if (candidates.length < n) return { ok: false, why: 'too-few' };
  const keyed = candidates.map((p) => ({ p, key: combinedKey(qualifiers, p, candidates) })).sort((a, b) => a.key - b.key);
  if (keyed.length > n && keyed[n].key - keyed[n - 1].key < LEVEL_MARGIN) return { ok: false, why: 'level' };
  return { ok: true, picked: keyed.slice(0, n).map((k) => k.p) };
}

/**
 * The candidates on the qualifier's side of the group ("the people on the left"): the group is cut
 * at its widest gap along that direction. Refused as 'level' when no gap is wide enough to see.
 */
export function pickSide(candidates: readonly TrackPlacement[], qualifier: SpatialQualifier): Judgement {
  const direction = directionOf(qualifier);
  const keyed = candidates.map((p) => ({ p, key: keyFor(direction, p, candidates) })).sort((a, b) => a.key - b.key);
  let cut = -1;
  let widest = 0;
  for (let k = 0; k + 1 < keyed.length; k++) {
    const gap = keyed[k + 1].key - keyed[k].key;
    if (gap > widest) {
      widest = gap;
      cut = k;
    }
  }
  if (cut < 0 || widest < LEVEL_MARGIN) return { ok: false, why: 'level' };
  return { ok: true, picked: keyed.slice(0, cut + 1).map((k) => k.p) };
}

/** Share of the frame's width around its centre that counts as "the middle" for a lone object. */
const MIDDLE_BAND = 1 / 3;

/** For a lone candidate: is it where the qualifier says, judged against the frame? Sizes always fit. */
export function fitsFrame(p: TrackPlacement, qualifier: SpatialQualifier): boolean {
  if (qualifier.kind === 'size') return true;
  switch (qualifier.where) {
    case 'left':
      return p.cx < 0.5;
    case 'right':
      return p.cx > 0.5;
    case 'top':
      return p.cy < 0.5;
    case 'bottom':
      return p.cy > 0.5;
    case 'middle':
      return Math.abs(p.cx - 0.5) < MIDDLE_BAND / 2;
  }
}

/** Where a lone candidate is in the frame, in words ("on the right"), for "not on the left" messages. */
export function frameSideOf(p: TrackPlacement, qualifier: SpatialQualifier): string {
  if (qualifier.kind === 'position' && (qualifier.where === 'top' || qualifier.where === 'bottom')) {
    return p.cy < 0.5 ? 'in the top half' : 'in the bottom half';
  }
  if (Math.abs(p.cx - 0.5) < MIDDLE_BAND / 2 && qualifier.kind === 'position' && qualifier.where !== 'middle') return 'in the middle';
  return p.cx < 0.5 ? 'on the left' : 'on the right';
}

/** The candidates from `rank` (1-based) counting from `from`, n of them. */
export function pickOrdinal(candidates: readonly TrackPlacement[], rank: number, from: OrderFrom, n: number): Judgement {
  if (candidates.length < rank + n - 1) return { ok: false, why: 'too-few' };
  const keyed = candidates.map((p) => ({ p, key: keyFor(from, p, candidates) })).sort((a, b) => a.key - b.key);
  const first = rank - 1;
  const last = first + n - 1;
  if (first > 0 && keyed[first].key - keyed[first - 1].key < LEVEL_MARGIN) return { ok: false, why: 'level' };
  if (last + 1 < keyed.length && keyed[last + 1].key - keyed[last].key < LEVEL_MARGIN) return { ok: false, why: 'level' };
  return { ok: true, picked: keyed.slice(first, last + 1).map((k) => k.p) };
}
