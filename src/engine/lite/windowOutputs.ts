import type { PlannedWindow, WindowPlan } from '../removal/windowPlan';

/**
 * Which frames each of Lite's windows fills and hands on. All of a window's frames serve as
 * sources (the more frames a hole's background can come from, the less is invented), but the
 * window plan spreads its full-length windows evenly, so consecutive windows often share far more
 * frames than the cross-fade needs: 96 frames in 48-frame windows are three windows sharing 24
 * frames each, and filling every shared frame twice only to average the two fills cost a third
 * more fill work than the clip has frames. So each window fills only its own frames and `fade`
 * frames at the middle of each overlap, where its fill is cross-faded with its neighbour's; the
 * rest of an overlap goes to the window it lies nearer the middle of, which sees more context on
 * both sides of it.
 *
 * The result is a plan of the same shape (same frame count and key frames, one output window per
 * source window, each inside its source window), so blendWeights gives the cross-fade's weights.
 */
export function windowOutputs(plan: WindowPlan, fade: number): WindowPlan {
  const { windows } = plan;
  const starts = windows.map((w) => w.start);
  const ends = windows.map((w) => w.end);
  for (let k = 0; k + 1 < windows.length; k++) {
    const shared = windows[k].end - windows[k + 1].start;
    if (shared <= 0) continue; // windows that do not meet keep their own frames
    const length = Math.max(0, Math.min(fade, shared));
    const at = windows[k + 1].start + Math.floor((shared - length) / 2);
    ends[k] = at + length;
    starts[k + 1] = at;
  }
  // Windows closer together than the fade (short windows with long overlaps) would leave a window
  // nothing of its own, or three fills on a frame: those plans are filled whole, as before.
  for (let k = 0; k < windows.length; k++) {
    if (starts[k] >= ends[k] || (k > 0 && (starts[k] < starts[k - 1] || ends[k] < ends[k - 1])) || (k > 1 && starts[k] < ends[k - 2])) return plan;
  }
  const out: PlannedWindow[] = windows.map((w, k) =>
    starts[k] === w.start && ends[k] === w.end ? w : { start: starts[k], end: ends[k], slots: Array.from({ length: ends[k] - starts[k] }, (_, i) => starts[k] + i) },
  );
  return { ...plan, windows: out };
}
