// The memory plan applied to a job's settings: before the first window, with the device's free
// memory known, batched guidance becomes separate passes (and, if even those do not fit, the window
// shrinks) — unless the user chose the guidance batching or the window, which are then kept and
// only warned about. A pack whose U-Net takes a fixed frame count keeps its window.
import type { PackManifest } from './manifest';
import { packWeightBytes, planForMemory, type MemoryPlan } from './memoryEstimate';

export interface PlannedSettings {
  readonly guidanceBatch: 'together' | 'separate';
  readonly window: number;
  readonly overlap: number;
}

export interface MemoryDecision<S extends PlannedSettings> {
  readonly settings: S;
  readonly plan: MemoryPlan;
  /** Sentences for the user: what was changed and why, or why a chosen setting may not fit. */
  readonly notes: string[];
}

export function applyMemoryPlan<S extends PlannedSettings>(
  settings: S,
  chosen: { guidanceBatch: boolean; window: boolean },
  manifest: PackManifest,
  precision: 'fp32' | 'fp16',
  freeBytes: number,
): MemoryDecision<S> {
  const { width, height } = manifest.working;
  const fixedFrames = typeof manifest.files.unet.inputs.find((i) => i.name === 'sample')?.shape[2] === 'number';
  const query = { frames: settings.window, latentHeight: height / 8, latentWidth: width / 8, bytesPerValue: precision === 'fp16' ? 2 : 4, weightBytes: packWeightBytes(manifest, precision) } as const;
  const plan = planForMemory(query, freeBytes, fixedFrames || chosen.window ? settings.window : Math.min(settings.window, 2));
  const notes: string[] = [];
  let next: S = settings;
  if (plan.guidanceBatch === 'separate' && settings.guidanceBatch === 'together') {
    if (chosen.guidanceBatch) notes.push(`Memory: ${plan.reason}; guidanceBatch "together" was asked for and is kept.`);
    else next = { ...next, guidanceBatch: 'separate' };
  }
  if (plan.frames < settings.window && !chosen.window && !fixedFrames) {
    next = { ...next, window: plan.frames, overlap: Math.min(next.overlap, plan.frames - 1) };
  }
  if (next !== settings) notes.push(`Memory: ${plan.reason}.`);
  if (plan.overBudget) notes.push('It may still run out of memory: then batches are split, and as a last resort the model moves to the CPU.');
  return { settings: next, plan, notes };
}
