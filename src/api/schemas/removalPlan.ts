import { z } from 'zod';
import { RationalSchema } from './media';

/*
 * What the Remove dialog sets beside the words, and what the engine says back about it before
 * anything renders (removal.plan): which frames, which take it starts from, the engine's settings
 * with its defaults filled in, the composite choices, the memory a window needs, and any setting
 * the engine refuses, as a sentence.
 */

/**
 * Which frames are rendered. "clip": the clip's own in/out (default); "marked": In/Out marked in
 * the source viewer on the clip's media, in its frames (half-open); "source": every frame the
 * starting take has. The take covers exactly these frames.
 */
export const RemovalRangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('clip') }).strict(),
  z
    .object({ kind: z.literal('marked'), start: z.number().int().min(0), end: z.number().int().min(1) })
    .strict()
    .refine((r) => r.end > r.start, { message: 'the Out mark must come after the In mark', path: ['end'] }),
  z.object({ kind: z.literal('source') }).strict(),
]);
export type RemovalRangeDto = z.infer<typeof RemovalRangeSchema>;

/** The take the removal reads: the clip's active one (default; a removal on top of a removal) or its original media. */
export const StartFromSchema = z.enum(['active', 'original']);
export type StartFromDto = z.infer<typeof StartFromSchema>;

/** A matte the user made elsewhere instead of words: white (non-zero) = remove; a video, a single image or an image sequence. */
export const MatteFileSchema = z
  .object({
    path: z.string().min(1).max(4096),
    /** The frame rate of an image sequence (default: the clip's). */
    fps: RationalSchema.optional(),
  })
  .strict();
export type MatteFileDto = z.infer<typeof MatteFileSchema>;

export const COMPOSITE_CHOICES = ['union', 'head', 'difference', 'full'] as const;
export const CompositeSchema = z.enum(COMPOSITE_CHOICES);
export type CompositeDto = z.infer<typeof CompositeSchema>;

/** An engine's own settings as the dialog sends them (checked by the engine, not here). */
export const EngineSettingsSchema = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]));

export const RemovalPlanRequestSchema = z
  .object({
    clipId: z.string().min(1),
    engine: z.string().min(1).optional(),
    /** The LGVI pack folder, when several are installed (removal.plan lists them). */
    pack: z.string().min(1).optional(),
    engineSettings: EngineSettingsSchema.optional(),
    composite: CompositeSchema.optional(),
    range: RemovalRangeSchema.optional(),
    startFrom: StartFromSchema.optional(),
    matte: MatteFileSchema.optional(),
  })
  .strict();
export type RemovalPlanRequestDto = z.infer<typeof RemovalPlanRequestSchema>;

/** One setting of an engine, as the dialog draws it. */
export const EngineFieldSchema = z.object({
  key: z.string(),
  label: z.string(),
  /** The value the engine would use (the pack's default when the dialog sets none). */
  value: z.union([z.number(), z.string(), z.boolean()]),
  /** number: min/max/step; choice: its options. */
  kind: z.enum(['number', 'choice']),
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().optional(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  /** Fixed by the model pack (a U-Net that takes exactly 24 frames): shown, not editable. */
  fixed: z.boolean().optional(),
  help: z.string().optional(),
});
export type EngineFieldDto = z.infer<typeof EngineFieldSchema>;

export const RemovalPlanSchema = z.object({
  engine: z.string(),
  /** The installed packs the engine can run (LGVI), and the one chosen. */
  packs: z.array(z.object({ dir: z.string(), label: z.string() })),
  pack: z.string().nullable(),
  fields: z.array(EngineFieldSchema),
  /** The composite masks the engine offers (LGVI), each with one line on what it does; empty for engines without. */
  composites: z.array(z.object({ value: CompositeSchema, label: z.string(), explanation: z.string() })),
  composite: CompositeSchema.nullable(),
  /** The U-Net memory one window needs with these settings, in sentences; empty where it does not apply. */
  memory: z.array(z.string()),
  /** What the job's memory plan will do on this machine's device, before the job (null: no plan for this engine). */
  memoryPlan: z
    .object({ device: z.string(), precision: z.enum(['fp32', 'fp16']), freeBytes: z.number().nullable(), decision: z.string(), fits: z.boolean() })
    .nullable(),
  /** Whether the engine has a Find step of its own, and what Find and clicks do with it. */
  find: z.object({ available: z.boolean(), note: z.string() }),
  /** The frames that will render, in the original media's frames (half-open), at the media's rate. */
  range: z.object({ start: z.number().int(), end: z.number().int(), frames: z.number().int(), fps: RationalSchema, kind: z.enum(['clip', 'marked', 'source']) }),
  /** The take it reads. */
  startsFrom: z.object({ takeId: z.string(), label: z.string(), kind: z.enum(['active', 'original']) }),
  /** A sentence about the range when it does not cover the clip (the take then is added, not switched to). */
  rangeNote: z.string().nullable(),
  /** What stops this request as set (a refused setting, a matte the engine cannot use), as a GUI sentence; null when it can run. */
  problem: z.string().nullable(),
});
export type RemovalPlanDto = z.infer<typeof RemovalPlanSchema>;
