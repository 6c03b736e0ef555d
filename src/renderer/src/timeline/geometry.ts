import type { RationalDto } from '../../../api/schemas/media';

/*
 * The timeline's view arithmetic, pure and browser-free (tested in Node: test/renderer/geometry.test.ts):
 * frames ↔ pixels at a zoom, ruler tick spacing, snapping a dragged edge to edit points and the
 * playhead, and zoom limits. Edit rules (what a move or a trim may do) are the engine's
 * (src/engine/timeline); this only turns pointer positions into frames and back.
 */

export const MIN_ZOOM = 0.02; // px per frame: about 40 minutes across 1200 px at 24 fps
export const MAX_ZOOM = 40; // px per frame: single frames wide enough to grab
/** Snapping pulls within this many pixels, whatever the zoom (as in Premiere and Resolve). */
export const SNAP_PX = 8;

export function frameToX(frame: number, zoom: number): number {
  return frame * zoom;
}

/** The frame under an x position (floored: a frame owns the pixels from its left edge). */
export function xToFrame(x: number, zoom: number): number {
  return Math.max(0, Math.floor(x / zoom + 1e-9));
}

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** Zoom that shows `frames` (plus a little room) in `width` pixels. */
export function zoomToFit(frames: number, width: number): number {
  return clampZoom((width - 24) / Math.max(1, frames * 1.02));
}

/** One zoom step in or out (`+`/`-`, Ctrl+wheel), by a factor of √2 so four steps make 4×. */
export function zoomStep(zoom: number, direction: 1 | -1): number {
  return clampZoom(zoom * Math.SQRT2 ** direction);
}

/**
 * Scroll that keeps the frame at pixel `anchorX` (in the viewport) in place when the zoom changes,
 * so Ctrl+wheel zooms around the pointer.
 */
export function scrollForZoom(scrollX: number, anchorX: number, from: number, to: number): number {
  const frame = (scrollX + anchorX) / from;
  return Math.max(0, frame * to - anchorX);
}

const NICE_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/**
 * Ruler spacing: major ticks (labelled) at least `minPx` apart, in frames that divide the second
 * or whole multiples of seconds, and minor ticks between them.
 */
export function rulerStep(zoom: number, fps: RationalDto, minPx = 90): { major: number; minor: number } {
  const rate = Math.round(fps.num / fps.den);
  // Steps that divide the second, so the labels fall on it (…:12, …:1:00 at 24 fps, not …:1:06).
  const frameSteps = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15].filter((f) => f < rate && rate % f === 0);
  for (const f of frameSteps) if (f * zoom >= minPx) return { major: f, minor: 1 };
  for (const s of NICE_SECONDS) {
    const major = s * rate;
    if (major * zoom >= minPx) {
      const minor = s === 1 ? Math.max(1, Math.round(rate / (zoom * rate >= 200 ? rate : 4))) : major / (s % 5 === 0 ? 5 : s % 3 === 0 ? 3 : 2);
      return { major, minor: Math.max(1, Math.round(minor)) };
    }
  }
  return { major: 3600 * rate, minor: 600 * rate };
}

/**
 * Snaps `frame` to the nearest of `points` within SNAP_PX at `zoom`; returns the frame unchanged
 * when nothing is near. `points` need not be sorted.
 */
export function snapFrame(frame: number, points: readonly number[], zoom: number): { frame: number; snapped: boolean } {
  const reach = SNAP_PX / zoom;
  let best = frame;
  let bestDistance = Infinity;
  for (const p of points) {
    const d = Math.abs(p - frame);
    if (d <= reach && d < bestDistance) {
      best = p;
      bestDistance = d;
    }
  }
  return { frame: best, snapped: bestDistance !== Infinity };
}

/**
 * Snapping for a dragged block of clips spanning [start, end): whichever of its two edges lands
 * nearer an edit point decides the move. Returns the adjusted delta.
 */
export function snapMove(delta: number, start: number, end: number, points: readonly number[], zoom: number): { delta: number; snapped: boolean } {
  const a = snapFrame(start + delta, points, zoom);
  const b = snapFrame(end + delta, points, zoom);
  const da = a.snapped ? Math.abs(a.frame - (start + delta)) : Infinity;
  const db = b.snapped ? Math.abs(b.frame - (end + delta)) : Infinity;
  if (da === Infinity && db === Infinity) return { delta, snapped: false };
  return da <= db ? { delta: a.frame - start, snapped: true } : { delta: b.frame - end, snapped: true };
}

/** The edit point after (dir 1) or before (dir −1) `frame`, or null at the ends (↑/↓). */
export function adjacentEditPoint(points: readonly number[], frame: number, dir: 1 | -1): number | null {
  if (dir > 0) return points.find((p) => p > frame) ?? null;
  for (let i = points.length - 1; i >= 0; i--) if (points[i] < frame) return points[i];
  return null;
}
