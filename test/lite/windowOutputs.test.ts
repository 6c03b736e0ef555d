import { describe, expect, it } from 'vitest';
import { blendWeights } from '../../src/engine/removal/blendWeights';
import { planWindows } from '../../src/engine/removal/windowPlan';
import { windowOutputs } from '../../src/engine/lite/windowOutputs';

const ranges = (p: { windows: readonly { start: number; end: number }[] }) => p.windows.map((w) => [w.start, w.end]);

describe('windowOutputs', () => {
  it('fills 96 frames in three 48-frame windows with 112 fills: 8 cross-faded frames at the middle of each 24-frame overlap', () => {
    const plan = planWindows(96, { window: 48, overlap: 8, stride: 1 });
    expect(ranges(plan)).toEqual([
      [0, 48],
      [24, 72],
      [48, 96],
    ]);
    const out = windowOutputs(plan, 8);
    expect(ranges(out)).toEqual([
      [0, 40],
      [32, 64],
      [56, 96],
    ]);
    expect(out.windows.reduce((n, w) => n + w.end - w.start, 0)).toBe(112);
    // Slots follow the output frames, so blendWeights reads them as a plan.
    expect(out.windows[1].slots).toEqual(Array.from({ length: 32 }, (_, i) => 32 + i));
    const weights = blendWeights(out);
    expect(weights[0].slice(0, 32).every((v) => v === 1)).toBe(true);
    expect(weights[1][8]).toBe(1);
  });

  it('keeps each output inside its window, covers every frame, and cross-fades over exactly the fade where windows share more', () => {
    for (const [total, window, overlap] of [
      [49, 48, 8],
      [60, 48, 8],
      [89, 48, 8],
      [300, 48, 8],
      [301, 48, 0],
      [100, 24, 8],
      [1000, 48, 8],
    ]) {
      const plan = planWindows(total, { window, overlap, stride: 1 });
      const out = windowOutputs(plan, overlap);
      const cover = new Array<number>(total).fill(0);
      out.windows.forEach((w, k) => {
        expect(w.start).toBeGreaterThanOrEqual(plan.windows[k].start);
        expect(w.end).toBeLessThanOrEqual(plan.windows[k].end);
        for (let f = w.start; f < w.end; f++) cover[f]++;
        const next = out.windows[k + 1];
        if (next) expect(w.end - next.start).toBe(Math.min(overlap, plan.windows[k].end - plan.windows[k + 1].start));
      });
      expect(cover.every((c) => c >= 1 && c <= 2)).toBe(true);
      expect(cover.filter((c) => c === 2)).toHaveLength(overlap * (plan.windows.length - 1));
      // Every frame's weights sum to 1 (the fold's promise).
      const totals = new Float64Array(total);
      blendWeights(out).forEach((ws, k) => ws.forEach((v, i) => (totals[out.windows[k].start + i] += v)));
      for (const t of totals) expect(t).toBeCloseTo(1, 12);
    }
  });

  it('leaves a single window and windows too close for the fade as they are', () => {
    const one = planWindows(30, { window: 30, overlap: 8, stride: 1 });
    expect(windowOutputs(one, 8)).toEqual(one);
    // Starts 11 frames apart with a 12-frame fade: three fills would meet on a frame.
    const close = planWindows(100, { window: 24, overlap: 12, stride: 1 });
    expect(windowOutputs(close, 12)).toBe(close);
  });
});
