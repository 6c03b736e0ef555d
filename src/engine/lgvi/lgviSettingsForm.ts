// LGVI's settings as the Remove dialog shows them: each one with the value the engine would use
// (the pack's defaults where the dialog sets none, read from its manifest without loading a model),
// the schedulers the engine implements, the composite masks, and what one window needs in device
// memory (memoryEstimate.ts, the same estimate `lacuna models verify` prints and the job's memory
// plan uses) with what the job's memory plan will do on this machine's device (memoryForecast.ts).
// A refused setting throws resolveLgviSettings' BAD_ARGUMENT.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineForm } from '../removal/removalEngine';
import { resolveLgviSettings } from './lgviEngine';
import { MANIFEST_FILE, type PackManifest } from './pack/manifest';
import { estimateUnetPeak, formatMemory, packWeightBytes } from './pack/memoryEstimate';
import { forecastMemory, type ForecastOptions } from './pack/memoryForecast';
import { parseManifest } from './pack/parseManifest';
import { SCHEDULER_CLASS_NAMES, type SchedulerClassName } from './schedulers/scheduler';

/** What the dialog calls each scheduler the engine implements. */
export const SCHEDULER_LABELS: Readonly<Record<SchedulerClassName, string>> = {
  DDIMScheduler: 'DDIM',
  EulerDiscreteScheduler: 'Euler',
  EulerAncestralDiscreteScheduler: 'Euler ancestral',
  DPMSolverMultistepScheduler: 'DPM++ multistep',
  PNDMScheduler: 'PNDM (PLMS)',
  LMSDiscreteScheduler: 'LMS',
};

/** The composite masks, one line each (models/README.md says why union is the default). */
export const LGVI_COMPOSITES: EngineForm['composites'] = [
  { value: 'union', label: 'Union (default)', explanation: "The mask head's mask plus whatever the model changed beyond the VAE's own error: holds when the head is weak." },
  { value: 'head', label: 'Mask head', explanation: "Only where the model's mask head marks the object (averaged over the last steps, grown and feathered)." },
  { value: 'difference', label: 'Difference', explanation: "Only where the decoded output differs from the VAE's reconstruction of the source." },
  { value: 'full', label: 'Full frame', explanation: 'Every pixel regenerated, as the reference does; nothing outside the object is kept byte for byte.' },
];

export async function readPackManifest(packDir: string): Promise<PackManifest> {
  return parseManifest(await readFile(join(packDir, MANIFEST_FILE), 'utf8'), packDir);
}

const gb = formatMemory;

/** The memory sentences for one window of `frames` at the pack's working size, in each precision the pack has. */
export function windowMemoryLines(manifest: PackManifest, frames: number, guidanceBatch: 'together' | 'separate'): string[] {
  const { width, height } = manifest.working;
  return (['fp32', 'fp16'] as const)
    .filter((p) => p === 'fp32' || manifest.files.unet.fp16)
    .map((precision) => {
      const base = { frames, latentHeight: height / 8, latentWidth: width / 8, bytesPerValue: precision === 'fp16' ? 2 : 4, weightBytes: packWeightBytes(manifest, precision) } as const;
      const together = estimateUnetPeak({ ...base, batch: 3 });
      const separate = estimateUnetPeak({ ...base, batch: 1 });
      const asked = guidanceBatch === 'together' ? `batched guidance ~${gb(together.peak)} (separate passes ~${gb(separate.peak)})` : `separate passes ~${gb(separate.peak)} (batched ~${gb(together.peak)})`;
      return `${precision}, ${width}x${height}, ${frames} frames: ${asked}`;
    });
}

/** `device`: how the job would load the pack here (providers, precision) and read its free memory. */
export async function lgviSettingsForm(packDir: string, raw: Readonly<Record<string, unknown>>, device: ForecastOptions): Promise<EngineForm> {
  const manifest = await readPackManifest(packDir);
  const s = resolveLgviSettings({ ...raw }, manifest);
  // What the user set is kept by the plan (as the job does: lgviEngine passes the same `chosen`).
  const forecast = await forecastMemory(manifest, s, { guidanceBatch: raw.guidanceBatch !== undefined, window: raw.window !== undefined }, device);
  const fixedT = manifest.files.unet.inputs.find((i) => i.name === 'sample')?.shape[2];
  return {
    fields: [
      { key: 'steps', label: 'Steps', value: s.steps, kind: 'number', min: 1, max: 1000, step: 1, help: 'Denoising steps: more is slower and usually cleaner.' },
      { key: 'guidance', label: 'Text guidance', value: s.guidance, kind: 'number', min: 0, max: 50, step: 0.5, help: 'How strongly the description steers the result.' },
      { key: 'imageGuidance', label: 'Image guidance', value: s.imageGuidance, kind: 'number', min: 0, max: 50, step: 0.5, help: 'How closely the result keeps to the source picture.' },
      {
        key: 'scheduler',
        label: 'Scheduler',
        value: s.scheduler,
        kind: 'choice',
        options: SCHEDULER_CLASS_NAMES.map((n) => ({ value: n, label: `${SCHEDULER_LABELS[n]}${n === manifest.scheduler._class_name ? ' (pack)' : ''}` })),
      },
      { key: 'window', label: 'Window (frames)', value: s.window, kind: 'number', min: 1, max: 256, step: 1, ...(typeof fixedT === 'number' && { fixed: true, help: `This pack's U-Net takes exactly ${fixedT} frames.` }) },
      {
        key: 'guidanceBatch',
        label: 'Guidance passes',
        value: s.guidanceBatch,
        kind: 'choice',
        options: [
          { value: 'together', label: 'Batched (fastest)' },
          { value: 'separate', label: 'One at a time (least memory)' },
        ],
        help: 'The three guidance passes in one U-Net run, or one after another; left alone, the memory plan decides.',
      },
      { key: 'overlap', label: 'Overlap (frames)', value: s.overlap, kind: 'number', min: 0, max: Math.max(0, s.window - 1), step: 1, help: 'Frames shared by neighbouring windows, blended so the result does not jump.' },
    ],
    composites: LGVI_COMPOSITES,
    memory: windowMemoryLines(manifest, s.window, s.guidanceBatch),
    memoryPlan: { device: forecast.device, precision: forecast.precision, freeBytes: forecast.freeBytes, decision: forecast.decision, fits: forecast.fits },
  };
}
