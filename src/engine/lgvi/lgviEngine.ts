// LGVI as a removal engine: the expression goes to CLIP, the clip through the model pack's
// diffusion U-Net in overlapping windows, and the mask head's output decides where the generated
// pixels replace the source (see windows/renderRemoval.ts for the streaming, sampler/ for the
// sampling loop). The pack loads on the first remove(), its sessions stay open for that job and
// are released after it.
//
// What LGVI can say about what it did: it has no notion of "which object matched"; all it reports
// is the mask head's output. The explanation gives the area it covered; a mask that stays under
// EMPTY_MASK_COVERAGE on every frame means the model found nothing the expression names (LGVI's
// behaviour for an expression naming nothing in the clip), and the job ends with no new take.
//
// Where the method's open choices are decided (and why, in each file's header):
//   - which mask: the prompt pass's, averaged over the last 20% of steps   sampler/lgviSampler.ts
//   - window consistency: noise and condition keyed by source frame        sampler/lgviSampler.ts
//   - window placement, mirrored padding of short clips, stride key frames windows/windowPlan.ts
//   - blending in pixel space, raised-cosine weights                        windows/windowBlender.ts, blendWeights.ts
//   - frames between stride key frames: linear cross-fade                   windows/keyframeCarry.ts
//   - mask to matte: temporal 1-2-1, bilinear up, 0.5, dilate, feather     windows/removalMatte.ts
//   - empty mask: under EMPTY_MASK_COVERAGE on every frame -> no take       here (never with full frame)
//   - outputs staged beside the targets and moved into place only when the take is kept, so a
//     cancel, an error or an empty mask leaves nothing behind              here
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { TakeParams } from '../project/schema';
import type { RemovalContext, RemovalEngine, RemovalInput, RemovalOutcome } from '../removal/removalEngine';
import { commitTempFile, tempPathFor } from '../util/atomicWrite';
import { LacunaError } from '../util/errors';
import { MANIFEST_FILE, type PackManifest } from './pack/manifest';
import { manifestSha256 } from './pack/packIdentity';
import { loadPack, type LoadPackOptions, type LoadedPack } from './pack/loadPack';
import type { ProviderPreference } from './pack/executionProviders';
import type { PrecisionPreference, SessionTuning } from './pack/sessions';
import { LgviSampler } from './sampler/lgviSampler';
import { encodeText, type TextCondition } from './sampler/textCondition';
import { interactiveCondition } from '../lgviI/interactiveCondition';
import { createScheduler } from './schedulers/createScheduler';
import { SCHEDULER_CLASS_NAMES } from './schedulers/scheduler';
import { ClipTokenizer } from './tokenizer/clipTokenizer';
import { renderRemoval } from './windows/renderRemoval';
import { applyMemoryPlan } from './pack/applyMemoryPlan';
import { deviceFreeMemory, type FreeMemory } from './pack/deviceMemory';
import { COMPOSITE_MASKS, type CompositeMask } from './windows/differenceMask';
import type { WindowMaskStats } from './windows/sampleKeyframes';
import { planWindows } from '../removal/windowPlan';
import { lgviSettingsForm } from './lgviSettingsForm';

/** Below this fraction of the frame on every frame, the mask counts as empty (a few stray pixels). */
export const EMPTY_MASK_COVERAGE = 0.001;
/** Share of the steps, at the end, whose masks are averaged (see sampler/lgviSampler.ts). */
export const MASK_STEP_SHARE = 0.2;
/** The reference's window overlap default for clips longer than one window. */
export const DEFAULT_OVERLAP = 8;

/** The engine's own settings (RemovalSettings.engine); defaults come from the pack's manifest. */
export const LgviSettingsSchema = z.strictObject({
  steps: z.number().int().min(1).max(1000).optional(),
  guidance: z.number().min(0).max(50).optional(),
  imageGuidance: z.number().min(0).max(50).optional(),
  /** Run the pack's scheduler config with another diffusers scheduler class. */
  scheduler: z.enum(SCHEDULER_CLASS_NAMES).optional(),
  window: z.number().int().min(1).max(256).optional(),
  overlap: z.number().int().min(0).max(255).default(DEFAULT_OVERLAP),
  stride: z.number().int().min(1).max(30).default(1),
  /** 'together': the three guidance passes as one batch (fast, more memory); 'separate': one by one. */
  guidanceBatch: z.enum(['together', 'separate']).default('together'),
  /** Frames per VAE run. */
  vaeBatch: z.number().int().min(1).max(64).default(8),
  /** Condition on the VAE distribution's mean instead of a seeded sample of it. */
  useMean: z.boolean().default(false),
  /**
   * The mask the generated pixels replace the source through (full frame: RemovalSettings.fullFrame).
   * Default the union of the mask head's and the difference mask: where the head is weak (it is
   * never used by the reference at inference, so nothing trains it to be complete) the model's own
   * change to the picture still says what it removed; where the model barely changes a region the
   * head marked, the head's mask still holds it.
   */
  composite: z.enum(COMPOSITE_MASKS).default('union'),
});
export type LgviSettings = z.infer<typeof LgviSettingsSchema>;

export interface ResolvedLgviSettings {
  steps: number;
  guidance: number;
  imageGuidance: number;
  scheduler: string;
  window: number;
  overlap: number;
  stride: number;
  guidanceBatch: 'together' | 'separate';
  vaeBatch: number;
  useMean: boolean;
  composite: CompositeMask;
}

/** Validates RemovalSettings.engine and fills in the pack's defaults; a bad value is BAD_ARGUMENT naming the field. */
export function resolveLgviSettings(raw: Record<string, unknown>, manifest: PackManifest): ResolvedLgviSettings {
  const parsed = LgviSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`).join('; ');
    throw new LacunaError(
      'BAD_ARGUMENT',
      `LGVI settings are not valid: ${problems}`,
      `LGVI takes steps, guidance, imageGuidance, scheduler (${SCHEDULER_CLASS_NAMES.join(', ')}), window, overlap, stride, guidanceBatch (together|separate), vaeBatch, useMean, composite (head|difference|union).`,
    );
  }
  const s = parsed.data;
  const packFrames = manifest.working.frames;
  const window = s.window ?? packFrames;
  const fixedT = manifest.files.unet.inputs.find((i) => i.name === 'sample')?.shape[2];
  if (typeof fixedT === 'number' && window !== fixedT) {
    throw new LacunaError('BAD_ARGUMENT', `this pack's U-Net takes exactly ${fixedT} frames, so the window must be ${fixedT} (got ${window})`, 'Leave the window setting out to use the pack\'s.');
  }
  const overlap = Math.min(s.overlap, window - 1);
  return {
    steps: s.steps ?? manifest.defaults.steps,
    guidance: s.guidance ?? manifest.defaults.guidanceScale,
    imageGuidance: s.imageGuidance ?? manifest.defaults.imageGuidanceScale,
    scheduler: s.scheduler ?? String(manifest.scheduler._class_name),
    window,
    overlap,
    stride: s.stride,
    guidanceBatch: s.guidanceBatch,
    vaeBatch: s.vaeBatch,
    useMean: s.useMean,
    composite: s.composite,
  };
}

export interface LgviEngineOptions {
  /** The model pack folder (models/README.md). */
  packDir: string;
  providers?: ProviderPreference;
  strictProvider?: boolean;
  precision?: PrecisionPreference;
  tuning?: SessionTuning;
  /** Checksum cache folder (default inside the pack). */
  cacheDir?: string;
  /** Injection point for tests and hosts (e.g. a shared loaded pack). */
  loadPack?: (dir: string, options: LoadPackOptions) => Promise<LoadedPack>;
  /** The U-Net device's free memory, for the memory plan (default: nvidia-smi on CUDA, the system's on the CPU). */
  freeMemory?: FreeMemory;
  /**
   * LGVI-I: the pack has the interactive part (lgvi-i.json), and the engine takes chat requests,
   * answered and turned into the prompt pass's condition by the pack's multimodal LLM.
   */
  interactive?: boolean;
}

function describeCoverage(expression: string, coverage: readonly number[], fullFrame: boolean, composite: CompositeMask, stats: readonly WindowMaskStats[]): string {
  const marked = coverage.filter((c) => c >= EMPTY_MASK_COVERAGE).length;
  const mean = coverage.reduce((a, b) => a + b, 0) / Math.max(1, coverage.length);
  const share = `${(100 * mean).toFixed(1)}% of the frame on average, in ${marked} of ${coverage.length} frames`;
  if (fullFrame) return `LGVI regenerated every pixel for “${expression}” (full frame, as the reference does); its mask head marked ${share}`;
  if (composite === 'head' || !stats.length) return `LGVI removed what its mask head found for “${expression}”: ${share}`;
  const what = composite === 'union' ? 'the union of its mask head and what it changed' : 'what it changed';
  return `LGVI removed ${what} for “${expression}”: ${share}; ${maskStatsText(stats)}`;
}

/** What the head and the difference mask marked over a clip's windows, for an explanation. */
function maskStatsText(stats: readonly WindowMaskStats[]): string {
  // Means over the windows' frames (overlapping frames count in each window that sampled them).
  const frames = stats.reduce((a, s) => a + s.frames, 0);
  const pct = (key: 'head' | 'difference') => `${((100 * stats.reduce((a, s) => a + s[key] * s.frames, 0)) / Math.max(1, frames)).toFixed(1)}%`;
  const thresholds = stats.map((s) => s.threshold);
  const threshold = Math.min(...thresholds) === Math.max(...thresholds) ? `${thresholds[0]}` : `${Math.min(...thresholds)}–${Math.max(...thresholds)}`;
  return `the mask head marked ${pct('head')}, the change beyond the VAE's own error (above ${threshold} of 255) ${pct('difference')}`;
}

class LgviEngine implements RemovalEngine {
  readonly id: 'lgvi' | 'lgvi-i';
  readonly label: string;
  readonly description: string;
  readonly resource = 'gpu' as const;
  readonly targets: readonly ('expression' | 'chat')[];
  readonly packDir: string;

  constructor(private readonly options: LgviEngineOptions) {
    this.packDir = options.packDir;
    this.id = options.interactive ? 'lgvi-i' : 'lgvi';
    this.label = options.interactive ? 'LGVI-I' : 'LGVI';
    this.description = options.interactive
      ? 'Interactive language-driven video inpainting (CVPR 2024): a multimodal LLM answers the request and guides the diffusion model; needs an LGVI-I model pack, best on a GPU.'
      : 'Language-driven video inpainting (CVPR 2024): a diffusion model removes what the description names; needs the LGVI model pack, best on a GPU.';
    this.targets = options.interactive ? ['chat'] : ['expression'];
    if (options.interactive) {
      this.converse = async (input, ctx) => {
        const reply = await interactiveCondition({ packDir: options.packDir, ...input, signal: ctx.signal, ffmpeg: ctx.ffmpeg });
        return { answer: reply.answer, instruction: reply.text ? reply.instruction : null };
      };
    }
  }

  settingsForm(settings: Readonly<Record<string, unknown>>): ReturnType<NonNullable<RemovalEngine['settingsForm']>> {
    const { providers, strictProvider, precision, freeMemory } = this.options;
    return lgviSettingsForm(this.options.packDir, settings, {
      ...(providers && { providers }),
      ...(strictProvider !== undefined && { strictProvider }),
      ...(precision && { precision }),
      freeMemory: freeMemory ?? deviceFreeMemory,
    });
  }

  /** LGVI-I's answer alone (RemovalEngine.converse): the pack's LLM on the range's first frame, nothing sampled. */
  readonly converse?: RemovalEngine['converse'];


  async remove(input: RemovalInput, ctx: RemovalContext): Promise<RemovalOutcome> {
    const target = input.target;
    if (target.kind === 'mask' || !this.targets.includes(target.kind)) {
      throw new LacunaError(
        'UNSUPPORTED',
        `${this.label} removes by ${this.options.interactive ? 'a chat request' : 'a description'}; it cannot take a ${target.kind} target`,
        target.kind === 'mask' ? 'Choose the Lite engine for a matte.' : `Choose the ${this.options.interactive ? 'LGVI' : 'LGVI-I'} engine for it.`,
      );
    }
    const { range } = input;
    if (!(Number.isInteger(range.start) && Number.isInteger(range.end) && range.end > range.start && range.start >= 0)) {
      throw new LacunaError('BAD_RANGE', `frame range ${range.start}..${range.end} contains no frames`);
    }
    ctx.progress('loading model pack', 0, 1);
    const load = this.options.loadPack ?? loadPack;
    const pack = await load(this.options.packDir, {
      ...(this.options.providers && { providers: this.options.providers }),
      ...(this.options.strictProvider !== undefined && { strictProvider: this.options.strictProvider }),
      ...(this.options.precision && { precision: this.options.precision }),
      ...(this.options.tuning && { tuning: this.options.tuning }),
      ...(this.options.cacheDir && { cacheDir: this.options.cacheDir }),
      signal: ctx.signal,
      onNotice: ctx.warn,
    });
    const staged = { take: tempPathFor(input.output.file), matte: input.output.matteFile ? tempPathFor(input.output.matteFile) : undefined };
    try {
      const manifest = pack.manifest;
      const asked = resolveLgviSettings(input.settings.engine, manifest);
      // The memory plan: before the first window, batched guidance or the window may have to give way.
      const free = await (this.options.freeMemory ?? deviceFreeMemory)(pack.models.unet.provider ?? null).catch(() => null);
      const chosen = { guidanceBatch: input.settings.engine.guidanceBatch !== undefined, window: input.settings.engine.window !== undefined };
      const memory = free === null ? null : applyMemoryPlan(asked, chosen, manifest, pack.models.unet.precision === 'fp16' ? 'fp16' : 'fp32', free);
      for (const note of memory?.notes ?? []) ctx.warn(note);
      const settings = memory?.settings ?? asked;
      const scheduler = createScheduler({ ...manifest.scheduler, _class_name: settings.scheduler });
      for (const note of scheduler.notes) ctx.warn(note);
      scheduler.setTimesteps(settings.steps);
      const plan = planWindows(range.end - range.start, settings);

      let text: TextCondition;
      let expression: string;
      let chat: { message: string; answer: string } | undefined;
      if (target.kind === 'chat') {
        ctx.progress('answering the request', 0, 1);
        const reply = await interactiveCondition({
          packDir: pack.dir,
          media: input.media,
          range,
          message: target.message,
          ...(target.history && { history: target.history }),
          seed: input.settings.seed,
          signal: ctx.signal,
          ffmpeg: ctx.ffmpeg,
        });
        if (!reply.text) {
          return {
            changed: false,
            explanation: `${reply.answer}\n(LGVI-I's answer marked no removal instruction, so nothing was removed; the clip is unchanged.)`,
            params: { engine: this.id, chat: target.message, seed: input.settings.seed, extra: { answer: reply.answer } },
            matteWritten: false,
          };
        }
        text = reply.text;
        expression = reply.instruction ?? target.message;
        chat = { message: target.message, answer: reply.answer };
      } else {
        expression = target.text;
        const tokenizer = await ClipTokenizer.load(pack.tokenizerPath, `${manifest.files.tokenizer.path} in ${pack.dir}`);
        ctx.progress('encoding the description', 0, 1);
        text = await encodeText(pack.models.textEncoder, tokenizer, expression, ctx.signal);
        for (const w of text.warnings) ctx.warn(w);
      }

      const sampler = new LgviSampler(pack.models, scheduler, {
        width: manifest.working.width,
        height: manifest.working.height,
        latentScale: manifest.working.latentScale,
        maskResolution: pack.maskResolution,
        seed: input.settings.seed,
        guidance: { text: settings.guidance, image: settings.imageGuidance },
        guidanceBatch: settings.guidanceBatch,
        vaeBatch: settings.vaeBatch,
        useMean: settings.useMean,
        maskSteps: Math.max(1, Math.ceil(settings.steps * MASK_STEP_SHARE)),
      });
      const maskStats: WindowMaskStats[] = [];
      const result = await renderRemoval({
        media: input.media,
        range,
        plan,
        sampler,
        text,
        matte: { dilate: input.settings.maskDilate, feather: input.settings.maskFeather },
        fullFrame: input.settings.fullFrame,
        composite: settings.composite,
        ...(target.kind === 'expression' && target.bounds && { bounds: target.bounds }),
        onMaskStats: (st) => maskStats.push(st),
        output: { file: staged.take, codec: input.output.codec, ...(staged.matte && { matteFile: staged.matte }) },
        signal: ctx.signal,
        progress: ctx.progress,
        warn: ctx.warn,
        ffmpeg: ctx.ffmpeg,
      });

      const manifestSha = manifestSha256(await readFile(join(pack.dir, MANIFEST_FILE)));
      const params: TakeParams = {
        engine: this.id,
        expression,
        ...(chat && { chat: chat.message }),
        seed: input.settings.seed,
        steps: settings.steps,
        guidance: settings.guidance,
        imageGuidance: settings.imageGuidance,
        modelPack: { id: manifest.id, sha256: manifestSha },
        extra: {
          ...(chat && { answer: chat.answer }),
          scheduler: settings.scheduler,
          window: settings.window,
          overlap: settings.overlap,
          stride: settings.stride,
          useMean: settings.useMean,
          guidanceBatch: settings.guidanceBatch,
          windows: plan.windows.length,
          maskDilate: input.settings.maskDilate,
          maskFeather: input.settings.maskFeather,
          fullFrame: input.settings.fullFrame,
          composite: input.settings.fullFrame ? 'full' : settings.composite,
          ...(target.kind === 'expression' && target.tracks && { boundedBy: target.tracks.map(String).join(', ') }),
          provider: pack.models.unet.provider ?? null,
          precision: pack.models.unet.precision ?? null,
        },
      };
      // Full frame is the reference's behaviour: every pixel is the regenerated clip whatever the
      // mask head says, so an empty head never turns it into "no take".
      if (!input.settings.fullFrame && result.coverage.every((c) => c < EMPTY_MASK_COVERAGE)) {
        return {
          changed: false,
          explanation:
            `LGVI found nothing matching “${expression}” (its mask stayed under ${100 * EMPTY_MASK_COVERAGE}% of the frame on every frame` +
            `${maskStats.length ? `: ${maskStatsText(maskStats)}` : ''}); the clip is unchanged.`,
          params,
          matteWritten: false,
        };
      }
      await commitTempFile(staged.take, input.output.file);
      if (staged.matte && input.output.matteFile) await commitTempFile(staged.matte, input.output.matteFile);
      return { changed: true, explanation: describeCoverage(expression, result.coverage, input.settings.fullFrame, settings.composite, maskStats), params, matteWritten: !!staged.matte };
    } finally {
      // Staged files left here are results not taken (empty mask) or not finished (cancel, error).
      await rm(staged.take, { force: true });
      if (staged.matte) await rm(staged.matte, { force: true });
      await pack.release();
    }
  }
}

export function createLgviEngine(options: LgviEngineOptions): RemovalEngine {
  return new LgviEngine(options);
}
