// Window planning, padding, blend weights, blending and the stride carry: pure arithmetic, checked
// on the clip lengths that matter (1, shorter than a window, exactly one, one more, long).
import { describe, expect, it } from 'vitest';
import { blendWeights } from '../../../src/engine/removal/blendWeights';
import { KeyframeCarry } from '../../../src/engine/lgvi/windows/keyframeCarry';
import { WindowBlender } from '../../../src/engine/lgvi/windows/windowBlender';
import { keyframesFor, mirroredIndex, planWindows, type WindowPlan } from '../../../src/engine/removal/windowPlan';
import { isLacunaError } from '../../../src/engine/util/errors';

const LGVI = { window: 24, overlap: 8, stride: 1 };

/** Properties every plan must have, whatever the numbers. */
function checkPlan(plan: WindowPlan): void {
  const { window, overlap } = plan.options;
  const keys = plan.keyframes.length;
  expect(plan.keyframes[0]).toBe(0);
  expect(plan.keyframes[keys - 1]).toBe(plan.frameCount - 1);
  expect(plan.windows[0].start).toBe(0);
  expect(plan.windows[plan.windows.length - 1].end).toBe(keys);
  for (const [k, w] of plan.windows.entries()) {
    expect(w.slots).toHaveLength(window);
    expect(w.end - w.start).toBe(Math.min(window, keys));
    w.slots.forEach((p) => expect(p >= w.start && p < w.end).toBe(true));
    const prev = plan.windows[k - 1];
    if (prev) {
      expect(w.start).toBeGreaterThan(prev.start);
      expect(prev.end - w.start).toBeGreaterThanOrEqual(overlap);
    }
  }
}

describe('planWindows', () => {
  it('plans one frame as one window of that frame repeated', () => {
    const plan = planWindows(1, LGVI);
    checkPlan(plan);
    expect(plan.keyframes).toEqual([0]);
    expect(plan.windows).toEqual([{ start: 0, end: 1, slots: new Array(24).fill(0) }]);
  });

  it('pads 23 frames to 24 by mirroring in time', () => {
    const plan = planWindows(23, LGVI);
    checkPlan(plan);
    expect(plan.windows).toHaveLength(1);
    expect(plan.windows[0].slots).toEqual([...Array.from({ length: 23 }, (_, i) => i), 21]);
  });

  it('runs exactly 24 frames as one window without padding', () => {
    const plan = planWindows(24, LGVI);
    checkPlan(plan);
    expect(plan.windows).toEqual([{ start: 0, end: 24, slots: Array.from({ length: 24 }, (_, i) => i) }]);
  });

  it('covers 25 frames with two full windows', () => {
    const plan = planWindows(25, LGVI);
    checkPlan(plan);
    expect(plan.windows.map((w) => [w.start, w.end])).toEqual([[0, 24], [1, 25]]);
  });

  it('covers 100 frames with six windows spread evenly, each overlap at least 8', () => {
    const plan = planWindows(100, LGVI);
    checkPlan(plan);
    expect(plan.windows.map((w) => w.start)).toEqual([0, 15, 30, 46, 61, 76]);
  });

  it('samples every stride-th frame and the last one', () => {
    expect(keyframesFor(100, 5)).toEqual([...Array.from({ length: 20 }, (_, i) => i * 5), 99]);
    expect(keyframesFor(11, 5)).toEqual([0, 5, 10]);
    expect(keyframesFor(1, 5)).toEqual([0]);
    const plan = planWindows(100, { ...LGVI, stride: 5 });
    checkPlan(plan);
    expect(plan.windows).toHaveLength(1);
    expect(plan.windows[0].slots.slice(20)).toEqual([20, 19, 18, 17]);
    const long = planWindows(500, { ...LGVI, stride: 5 });
    checkPlan(long);
    expect(long.keyframes).toHaveLength(101);
  });

  it('keeps its promises for many lengths, overlaps and strides', () => {
    for (const frameCount of [1, 2, 3, 7, 23, 24, 25, 40, 41, 47, 48, 49, 100, 250]) {
      for (const [window, overlap] of [[24, 8], [24, 0], [24, 23], [8, 3], [4, 1], [1, 0]]) {
        for (const stride of [1, 2, 5]) checkPlan(planWindows(frameCount, { window, overlap, stride }));
      }
    }
  });

  it('refuses an overlap as long as the window, and zero frames, with clear errors', () => {
    expect(() => planWindows(10, { window: 24, overlap: 24, stride: 1 })).toThrow(/overlap must be a whole number from 0 to 23/);
    expect(() => planWindows(0, LGVI)).toThrow(/no frames/);
    try {
      planWindows(10, { window: 24, overlap: 8, stride: 0 });
      expect.unreachable();
    } catch (e) {
      expect(isLacunaError(e, 'BAD_ARGUMENT')).toBe(true);
    }
  });

  it('mirrors indices back and forth', () => {
    expect(Array.from({ length: 10 }, (_, i) => mirroredIndex(i, 4))).toEqual([0, 1, 2, 3, 2, 1, 0, 1, 2, 3]);
  });
});

describe('blendWeights', () => {
  it('sums to 1 on every key frame and stays in (0, 1]', () => {
    for (const frameCount of [1, 23, 24, 25, 41, 100, 333]) {
      for (const options of [LGVI, { window: 24, overlap: 0, stride: 1 }, { window: 24, overlap: 20, stride: 2 }, { window: 5, overlap: 2, stride: 1 }]) {
        const plan = planWindows(frameCount, options);
        const weights = blendWeights(plan);
        const totals = new Float64Array(plan.keyframes.length);
        plan.windows.forEach((w, k) => {
          expect(weights[k]).toHaveLength(w.end - w.start);
          weights[k].forEach((v, i) => {
            expect(v).toBeGreaterThan(0);
            expect(v).toBeLessThanOrEqual(1);
            totals[w.start + i] += v;
          });
        });
        totals.forEach((t) => expect(t).toBeCloseTo(1, 12));
      }
    }
  });

  it('fades between two windows along a raised cosine, symmetric about the overlap centre', () => {
    const plan = planWindows(40, { window: 24, overlap: 8, stride: 1 });
    expect(plan.windows.map((w) => [w.start, w.end])).toEqual([[0, 24], [16, 40]]);
    const [first, second] = blendWeights(plan);
    expect([...first.slice(0, 16)]).toEqual(new Array(16).fill(1));
    for (let i = 0; i < 8; i++) {
      expect(second[i]).toBeCloseTo(0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / 8), 12);
      expect(first[16 + i]).toBeCloseTo(second[7 - i], 12);
    }
    // Rising strictly: no flat step or kink inside the fade.
    for (let i = 1; i < 8; i++) expect(second[i]).toBeGreaterThan(second[i - 1]);
  });
});

describe('WindowBlender', () => {
  it('releases each key frame once no later window touches it, blended with the plan weights', () => {
    const plan = planWindows(40, { window: 24, overlap: 8, stride: 1 });
    const weights = blendWeights(plan);
    const blender = new WindowBlender(plan);
    const result = (value: number) => ({ frames: Array.from({ length: 24 }, () => Float32Array.of(value, value, value)), masks: Array.from({ length: 24 }, () => Float32Array.of(value / 100)) });
    const first = blender.add(0, result(10));
    expect(first.map((k) => k.frame)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(first[3].rgb[0]).toBe(10);
    const second = blender.add(1, result(50));
    expect(second.map((k) => k.frame)).toEqual(Array.from({ length: 24 }, (_, i) => 16 + i));
    for (let i = 0; i < 8; i++) {
      const expected = 10 * weights[0][16 + i] + 50 * weights[1][i];
      expect(second[i].rgb[1]).toBeCloseTo(expected, 4);
      expect(second[i].mask[0]).toBeCloseTo(expected / 100, 6);
    }
    expect(second[23].rgb[2]).toBe(50);
  });

  it('refuses windows out of order', () => {
    const blender = new WindowBlender(planWindows(40, LGVI));
    expect(() => blender.add(1, { frames: [], masks: [] })).toThrow(/expected 0/);
  });
});

describe('KeyframeCarry', () => {
  it('interpolates fill and mask linearly for the frames between key frames', () => {
    const carry = new KeyframeCarry();
    const key = (frame: number, v: number) => ({ position: 0, frame, rgb: Float32Array.of(v, v, v), mask: Float32Array.of(v / 100) });
    expect(carry.push(key(0, 0)).map((f) => [f.frame, f.sampled])).toEqual([[0, true]]);
    const out = carry.push(key(5, 100));
    expect(out.map((f) => f.frame)).toEqual([1, 2, 3, 4, 5]);
    expect(out.map((f) => f.rgb[0])).toEqual([20, 40, 60, 80, 100]);
    expect(out.map((f) => f.sampled)).toEqual([false, false, false, false, true]);
    expect(out[1].mask[0]).toBeCloseTo(0.4, 6);
  });
});
