// Where windows overlap, their results are cross-faded. Each window's weight rises from near 0 to
// 1 across its overlap with the window before, and falls across its overlap with the window after,
// along a raised cosine (smooth: no kink in the fade where a straight ramp would have one); the
// weights of all windows covering a frame are then normalised to sum to 1. Between two windows that
// gives w_prev = cos^2, w_next = sin^2 across the overlap; where three windows cover a frame (short
// clips with long overlaps) the normalisation keeps the blend a proper average.
//
// The fade never reaches exactly 0 (samples sit at half-frame centres), so no frame's total is 0.
import type { WindowPlan } from './windowPlan';

/** Raised-cosine rise over `length` frames, sampled at frame centres: values in (0, 1). */
function rise(i: number, length: number): number {
  return 0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / length);
}

/**
 * Per window, the normalised blend weight of each of its key-frame positions start..end-1.
 * For every key frame, the weights of the windows covering it sum to 1.
 */
export function blendWeights(plan: WindowPlan): Float64Array[] {
  const { windows } = plan;
  const raw = windows.map((w, k) => {
    const out = new Float64Array(w.end - w.start).fill(1);
    const prev = windows[k - 1];
    const next = windows[k + 1];
    if (prev && prev.end > w.start) {
      const length = prev.end - w.start;
      for (let i = 0; i < length; i++) out[i] *= rise(i, length);
    }
    if (next && w.end > next.start) {
      const length = w.end - next.start;
      for (let i = 0; i < length; i++) out[next.start - w.start + i] *= 1 - rise(i, length);
    }
    return out;
  });
  const totals = new Float64Array(plan.keyframes.length);
  windows.forEach((w, k) => raw[k].forEach((v, i) => (totals[w.start + i] += v)));
  return windows.map((w, k) => raw[k].map((v, i) => v / totals[w.start + i]));
}
