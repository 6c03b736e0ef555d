import { adjacentEditPoint } from '../timeline/geometry';
import type { AppState } from '../store/appStore';
import { currentSequence, editPoints, selectedMedia, sequenceLength } from '../store/selectors';

/*
 * Shared by the transport actions: where the active viewer's playhead may go and how to move it.
 * The source viewer counts frames of the bin clip; the program viewer counts sequence frames
 * and may rest one past the last frame (the end of the sequence, where the next edit would go).
 */

export function viewerLength(s: AppState, viewer = s.activeViewer): number {
  if (viewer === 'program') return sequenceLength(currentSequence(s));
  const m = selectedMedia(s);
  const v = m?.info.video;
  if (!m) return 0;
  if (v && v.frameCount > 0) return v.frameCount;
  return Math.floor(m.info.duration * 24);
}

/** The playhead at `frame`, clamped, playback stopped. */
export function seekTo(s: AppState, frame: number, keepRate = false): Partial<AppState> {
  const max = s.activeViewer === 'program' ? viewerLength(s) : Math.max(0, viewerLength(s) - 1);
  const f = Math.max(0, Math.min(max, Math.round(frame)));
  const v = s.activeViewer;
  return { [v]: { ...s[v], frame: f, rate: keepRate ? s[v].rate : 0 } } as Partial<AppState>;
}

export function stepBy(s: AppState, delta: number): Partial<AppState> {
  return seekTo(s, s[s.activeViewer].frame + delta);
}

/** ↑/↓: the previous/next cut on the sequence (program), or the In/Out marks and ends (source). */
export function toEditPoint(s: AppState, dir: 1 | -1): Partial<AppState> | void {
  const frame = s[s.activeViewer].frame;
  const points =
    s.activeViewer === 'program'
      ? editPoints(currentSequence(s))
      : [0, s.source.inPoint, s.source.outPoint, Math.max(0, viewerLength(s) - 1)].filter((p): p is number => p !== null).sort((a, b) => a - b);
  const to = adjacentEditPoint(points, frame, dir);
  return to === null ? undefined : seekTo(s, to);
}

/** J/L: each press doubles the speed in its direction (1, 2, 4, 8); the other direction starts at 1. */
export function shuttle(s: AppState, dir: 1 | -1): Partial<AppState> {
  const v = s.activeViewer;
  const rate = s[v].rate;
  const next = Math.sign(rate) === dir ? Math.min(8, Math.abs(rate) * 2) * dir : dir;
  return { [v]: { ...s[v], rate: next } } as Partial<AppState>;
}
