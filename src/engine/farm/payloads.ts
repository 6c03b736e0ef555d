import { z } from 'zod';
import { RemovalParamsSchema } from '../jobs/kinds/removal';
import { TranscodeParamsSchema } from '../jobs/kinds/transcode';
import { JobTargetSchema } from '../jobs/jobRecord';
import { PackIdentitySchema } from '../lgvi/pack/packIdentity';
import { LacunaError } from '../util/errors';

/**
 * What goes on the farm's queues, checked by every worker before it touches anything. A take's
 * params are exactly the job kinds' own (RemovalParamsSchema, TranscodeParamsSchema: what the app
 * and the CLI queue locally), so a farm job means the same as a local one. Paths are as the
 * submitting machine names them; each worker maps them (PathMap) and refuses any outside its roots.
 */

const AbsolutePath = z.string().min(1).max(4096);
const TakeId = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'take ids are letters, digits, - and _');

/** Where the take's files go (final names; written beside them as temp files, then renamed). */
export const FarmOutputSchema = z.strictObject({
  file: AbsolutePath,
  matteFile: AbsolutePath.optional(),
  /** Chunk files and the grounding of a split take; removed once the take is written. */
  scratchDir: AbsolutePath,
});

export const FarmTakeBaseSchema = z.strictObject({
  v: z.literal(1),
  takeId: TakeId,
  /** For the job's label and the Jobs panel ("Remove the left bird · A001"). */
  label: z.string().max(300),
  output: FarmOutputSchema,
  /** The project and clip the take belongs to (written back by `farm collect` or the app). */
  target: JobTargetSchema.nullable(),
  /** Who queued it, for status ("alice@edit-3"). */
  submittedBy: z.string().max(200),
  /** Windows per chunk when a Lite take is split (the last chunk may be shorter). */
  chunkWindows: z.number().int().min(1).max(1000).default(2),
});

export const FarmRemovalTakeSchema = FarmTakeBaseSchema.extend({
  kind: z.literal('remove'),
  /** A removal engine id ("lite", "lgvi"); a worker without it refuses the job. */
  engine: z.string().min(1).max(40),
  /**
   * The model pack the engine runs (LGVI), by identity rather than path, since each worker keeps
   * its packs at its own paths; a worker without that pack refuses the job. Absent for engines
   * without a pack (Lite) and on takes queued before packs were named: any pack of the engine.
   */
  modelPack: PackIdentitySchema.optional(),
  params: RemovalParamsSchema,
});

export const FarmTranscodeTakeSchema = FarmTakeBaseSchema.extend({
  kind: z.literal('transcode'),
  params: TranscodeParamsSchema,
});

export const FarmTakeJobSchema = z.discriminatedUnion('kind', [FarmRemovalTakeSchema, FarmTranscodeTakeSchema]);
export type FarmTakeJob = z.infer<typeof FarmTakeJobSchema>;
export type FarmTakeJobInput = z.input<typeof FarmTakeJobSchema>;
export type FarmRemovalTake = z.infer<typeof FarmRemovalTakeSchema>;

/** One chunk of a split Lite take: the take itself (every path re-checked) and which windows. */
export const FarmChunkJobSchema = z.strictObject({
  v: z.literal(1),
  take: FarmRemovalTakeSchema,
  chunk: z.number().int().min(0),
  windows: z.array(z.number().int().min(0)).min(1).max(10000),
});
export type FarmChunkJob = z.infer<typeof FarmChunkJobSchema>;

/** What a finished take job returns (paths as the job named them). */
export const FarmTakeResultSchema = z.strictObject({
  changed: z.boolean(),
  explanation: z.string(),
  takeFile: z.string().nullable(),
  matteFile: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  sourceStart: z.number().int().min(0),
  chunks: z.number().int().min(0),
  warnings: z.array(z.string()),
});
export type FarmTakeResult = z.infer<typeof FarmTakeResultSchema>;

/** Parses a job payload; anything else is refused with what was wrong, in one line. */
export function parsePayload<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ');
  throw new LacunaError('BAD_ARGUMENT', `refused a malformed ${what}: ${problems}`);
}
