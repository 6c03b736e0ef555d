import { z } from 'zod';
import { ApiErrorShapeSchema } from '../errors';
import { ChatMessageSchema } from './chatMessage';
import { CompositeSchema, EngineSettingsSchema, MatteFileSchema, RemovalRangeSchema, StartFromSchema } from './removalPlan';

/**
 * 'interrupted': the job was queued or running when Lacuna quit or crashed; its error says why and
 * whether Retry runs it again (jobs.retry).
 */
export const JobStateSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted']);
export type JobState = z.infer<typeof JobStateSchema>;

/**
 * A kind of job this install can run. `category` separates object removal (what the product is
 * for; the right-click dialog lists only these) from utilities such as transcoding.
 */
export const JobKindSchema = z.object({
  kind: z.string(),
  label: z.string(),
  category: z.enum(['removal', 'utility']),
  description: z.string(),
});
export type JobKindDto = z.infer<typeof JobKindSchema>;

/** Delivery codecs a transcode job can write (the engine's DeliveryCodec). */
export const DeliveryCodecSchema = z.enum(['h264', 'hevc', 'prores_hq', 'dnxhr_hq']);
export type DeliveryCodecDto = z.infer<typeof DeliveryCodecSchema>;

/**
 * A job request. One variant per job kind, discriminated by `kind`, so each kind's parameters
 * are checked exactly. A request is only run if its kind is installed (jobs.kinds).
 */
export const JobRequestSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('transcode'),
    /** The clip whose active take is transcoded; the result becomes a new take of it. */
    clipId: z.string().min(1),
    codec: DeliveryCodecSchema,
  }),
  z.object({
    /** Object removal by description; accepted only when jobs.kinds lists a removal engine. */
    kind: z.literal('remove'),
    clipId: z.string().min(1),
    /** The words; may be empty only when `matte` says what to remove. */
    expression: z.string().trim().max(500).default(''),
    /** A matte file or image sequence instead of words (white = remove). */
    matte: MatteFileSchema.optional(),
    /** Which frames render (default the clip's in/out), and which take they are read from (default the active one). */
    range: RemovalRangeSchema.optional(),
    startFrom: StartFromSchema.optional(),
    /** The LGVI model pack folder, when several are installed (removal.plan lists them). */
    pack: z.string().min(1).optional(),
    /** A removal kind's id from jobs.kinds ("lite", "lgvi"); default: the first one listed. */
    engine: z.string().min(1).optional(),
    /** The objects chosen in a Find preview (removal.find), by track id; default: what the words choose. */
    tracks: z.array(z.number().int().min(0)).max(1000).optional(),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    /** Grow / soften the removal mask, source pixels. */
    maskDilate: z.number().int().min(0).max(256).optional(),
    maskFeather: z.number().int().min(0).max(256).optional(),
    /**
     * LGVI: where the generated pixels replace the source, the rest kept byte for byte. "union"
     * (default): the mask head's mask and what the model changed beyond the VAE's own error;
     * "head": the mask head's (averaged, dilated, feathered) mask; "difference": what the model
     * changed; "full": every pixel, as the reference does (never "nothing found").
     */
    composite: CompositeSchema.optional(),
    /** The engine's own settings (LGVI: steps, guidance, scheduler, window, overlap; Lite: workingSide…), checked by the engine. */
    engineSettings: EngineSettingsSchema.optional(),
    /** The chat that settled on `expression` (chat.send's conversation): saved with the take. */
    conversation: z.array(ChatMessageSchema).max(200).optional(),
    /** The codec the take is written in; default the settings' render codec. */
    codec: DeliveryCodecSchema.optional(),
    /** Where it renders: this machine's job queue (default) or the render farm (farm.status says whether one is set up). */
    runOn: z.enum(['local', 'farm']).optional(),
  })
    .refine((r) => r.expression.length > 0 || r.matte, { message: 'describe what to remove', path: ['expression'] })
    .refine((r) => !(r.expression.length > 0 && r.matte), { message: 'give either a description or a matte, not both', path: ['matte'] }),
]);
export type JobRequestDto = z.infer<typeof JobRequestSchema>;

export const JobSchema = z.object({
  id: z.string().min(1),
  kind: z.string(),
  label: z.string(),
  state: JobStateSchema,
  /** 0..1 once the job knows how much work there is; null before. */
  progress: z.number().min(0).max(1).nullable(),
  /** Seconds left, estimated from progress so far; null until there is enough to estimate. */
  etaSeconds: z.number().nonnegative().nullable(),
  /** Current step in words ("encoding", "writing take"). */
  message: z.string().nullable(),
  /** The current stage's own units behind `progress` (12 of 18 frames): progress is per stage. */
  units: z.object({ done: z.number().min(0), total: z.number().min(0) }).nullish(),
  error: ApiErrorShapeSchema.nullable(),
  clipId: z.string().nullable(),
  /** The project the job renders for (the Jobs panel lists the open project's). */
  projectId: z.string().nullish(),
  /** The execution provider the job's model ran on ("cuda", "cpu"…), once it has rendered; null for jobs without one. */
  provider: z.string().nullish(),
  /** The take the job added, once done. */
  resultTakeId: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type JobDto = z.infer<typeof JobSchema>;

/** The frequent, small update sent while a job runs (state changes go as whole jobs). */
export const JobProgressSchema = z.object({
  jobId: z.string(),
  progress: z.number().min(0).max(1).nullable(),
  etaSeconds: z.number().nonnegative().nullable(),
  message: z.string().nullable(),
  units: z.object({ done: z.number().min(0), total: z.number().min(0) }).nullish(),
});
export type JobProgressDto = z.infer<typeof JobProgressSchema>;

/** The Find step: what a removal by these words would remove in the clip, without rendering. */
export const FindRequestSchema = z
  .object({
    clipId: z.string().min(1),
    expression: z.string().trim().min(1, 'describe what to remove').max(500),
    engine: z.string().min(1).optional(),
    /** The LGVI pack (an engine without a Find of its own is previewed by Lite's grounding). */
    pack: z.string().min(1).optional(),
    /** The frames and take the render will read: Find searches the same ones. */
    range: RemovalRangeSchema.optional(),
    startFrom: StartFromSchema.optional(),
  })
  .strict();

export const FoundObjectSchema = z.object({
  id: z.number().int(),
  label: z.string(),
  score: z.number(),
  chosen: z.boolean(),
  /** Per frame of the clip's range: [x, y, width, height] in source pixels, or null where unseen. */
  boxes: z.array(z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable()),
});

export const FindResultSchema = z.object({
  clipId: z.string(),
  engine: z.string(),
  matched: z.boolean(),
  explanation: z.string(),
  /** The picture size the boxes are in. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** The take that was searched (the clip's active one) and its frame that boxes[0] is. */
  takeId: z.string(),
  rangeStart: z.number().int().nonnegative(),
  objects: z.array(FoundObjectSchema),
});
export type FindResultDto = z.infer<typeof FindResultSchema>;
