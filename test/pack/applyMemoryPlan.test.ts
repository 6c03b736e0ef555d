// The memory plan applied to a job (src/engine/lgvi/pack/applyMemoryPlan.ts) and the device's free
// memory as nvidia-smi reports it (deviceMemory.ts).
import { describe, expect, it } from 'vitest';
import { applyMemoryPlan } from '../../src/engine/lgvi/pack/applyMemoryPlan';
import { deviceFreeMemory, parseNvidiaSmiFree } from '../../src/engine/lgvi/pack/deviceMemory';
import type { PackManifest } from '../../src/engine/lgvi/pack/manifest';
import { estimateUnetPeak } from '../../src/engine/lgvi/pack/memoryEstimate';

const GB = 2 ** 30;

/** A manifest with LGVI's working size and 2.2 GB of weights; `fixedT` fixes the U-Net's frame count. */
function manifest(fixedT?: number): PackManifest {
  const file = (size: number, inputs: { name: string; shape: (string | number)[] }[] = []) => ({ path: 'x.onnx', size, sha256: '0'.repeat(64), inputs, outputs: [] });
  return {
    working: { width: 512, height: 320, frames: 24, latentScale: 0.18215 },
    files: {
      unet: file(1.7 * GB, [{ name: 'sample', shape: ['B', 4, fixedT ?? 'T', 'h', 'w'] }]),
      vaeEncoder: file(0.25 * GB),
      vaeDecoder: file(0.25 * GB),
      textEncoder: file(0.5 * GB),
    },
  } as unknown as PackManifest;
}

const base = { guidanceBatch: 'together' as const, window: 24, overlap: 8, steps: 50 };
const free = { guidanceBatch: false, window: false };
const query = { frames: 24, latentHeight: 40, latentWidth: 64, bytesPerValue: 2 as const, weightBytes: 2.2 * GB };

describe('applyMemoryPlan', () => {
  it('keeps batched guidance where it fits, and says nothing', () => {
    const d = applyMemoryPlan(base, free, manifest(), 'fp16', 80 * GB);
    expect(d.settings).toBe(base);
    expect(d.notes).toEqual([]);
  });

  it('separates the guidance passes where only one fits, and says why with the figures', () => {
    const between = (estimateUnetPeak({ ...query, batch: 1 }).peak + estimateUnetPeak({ ...query, batch: 3 }).peak) / 2;
    const d = applyMemoryPlan(base, free, manifest(), 'fp16', between);
    expect(d.settings).toEqual({ ...base, guidanceBatch: 'separate' });
    expect(d.notes.join(' ')).toMatch(/^Memory: batched guidance needs about \d+\.\d GB, over the \d+\.\d GB free: separate guidance passes/);
  });

  it('shortens the window (and its overlap) when even one pass does not fit, unless the pack fixes the frames', () => {
    const d = applyMemoryPlan(base, free, manifest(), 'fp16', 4 * GB);
    expect(d.settings.guidanceBatch).toBe('separate');
    expect(d.settings.window).toBeLessThan(24);
    expect(d.settings.window).toBeGreaterThanOrEqual(2);
    expect(d.settings.overlap).toBeLessThan(d.settings.window);
    const fixed = applyMemoryPlan(base, free, manifest(24), 'fp16', 4 * GB);
    expect(fixed.settings.window).toBe(24);
    expect(fixed.notes.join(' ')).toMatch(/may still run out of memory/);
  });

  it("keeps what the user chose and only warns", () => {
    const d = applyMemoryPlan(base, { guidanceBatch: true, window: true }, manifest(), 'fp16', 4 * GB);
    expect(d.settings).toBe(base);
    expect(d.notes[0]).toMatch(/guidanceBatch "together" was asked for and is kept/);
  });
});

describe('device free memory', () => {
  it("reads nvidia-smi's first device in MiB", () => {
    expect(parseNvidiaSmiFree('80614\n40000\n')).toBe(80614 * 2 ** 20);
    expect(parseNvidiaSmiFree('')).toBeNull();
    expect(parseNvidiaSmiFree('NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver.')).toBeNull();
  });

  it('is the system free memory on the CPU, and unknown for providers it cannot ask', async () => {
    expect(await deviceFreeMemory('cpu')).toBeGreaterThan(0);
    expect(await deviceFreeMemory('coreml')).toBeNull();
  });
});
