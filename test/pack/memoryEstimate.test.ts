// The U-Net memory estimate and plan (src/engine/lgvi/pack/memoryEstimate.ts).
import { describe, expect, it } from 'vitest';
import { estimateUnetPeak, planForMemory } from '../../src/engine/lgvi/pack/memoryEstimate';

const GB = 2 ** 30;
const LGVI = { frames: 24, latentHeight: 40, latentWidth: 64, bytesPerValue: 2 as const, weightBytes: 2.2 * GB };

describe('estimateUnetPeak', () => {
  it("gives the issue's figure for one top-level attention matrix: 3·24·8·2560² fp16 values = 7.5 GB", () => {
    const e = estimateUnetPeak({ ...LGVI, batch: 3 });
    expect(e.scores).toBe(3 * 24 * 8 * 2560 * 2560 * 2);
    expect(e.scores / 1e9).toBeCloseTo(7.55, 1);
    expect(e.peak).toBe(e.weights + 2 * e.scores + e.features);
  });

  it('scales with the batch, the frames and the square of the latent area; fused attention drops the matrices', () => {
    const one = estimateUnetPeak({ ...LGVI, batch: 1 });
    expect(estimateUnetPeak({ ...LGVI, batch: 3 }).scores).toBe(3 * one.scores);
    expect(estimateUnetPeak({ ...LGVI, batch: 1, frames: 12 }).scores).toBe(one.scores / 2);
    expect(estimateUnetPeak({ ...LGVI, batch: 1, latentHeight: 20, latentWidth: 32 }).scores).toBe(one.scores / 16);
    const fused = estimateUnetPeak({ ...LGVI, batch: 3, fusedAttention: true });
    expect(fused.scores).toBe(0);
    expect(fused.peak).toBeLessThan(one.peak);
  });
});

describe('planForMemory', () => {
  it('batches guidance where it fits, separates passes where only one fits, then shortens the window', () => {
    expect(planForMemory(LGVI, 80 * GB).guidanceBatch).toBe('together');
    const mid = planForMemory(LGVI, 12 * GB);
    expect(mid).toMatchObject({ guidanceBatch: 'separate', frames: 24, overBudget: false });
    const small = planForMemory(LGVI, 5 * GB);
    expect(small.guidanceBatch).toBe('separate');
    expect(small.frames).toBeLessThan(24);
    expect(small.estimate.peak).toBeLessThanOrEqual(5 * GB);
    expect(small.reason).toMatch(/windows of \d+ frames/);
    expect(planForMemory(LGVI, 1 * GB).overBudget).toBe(true);
  });
});
