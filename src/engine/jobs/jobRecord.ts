import { z } from 'zod';
import { TakeParamsSchema } from '../project/schema';

/**
 * One job as the queue keeps it and the journal stores it. Plain JSON, so the journal can be
 * read back by the next run of the app (or by a render-farm worker) without the kind's code
 * having changed meaning: params are re-checked against the kind's schema when read.
 */

/**
 * 'interrupted': found queued or running in the journal of a process that died (crash, power
 * loss, force quit). Shown, never dropped silently; Retry runs it again if its kind allows.
 */
export const JobRecordStateSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted']);
export type JobRecordState = z.infer<typeof JobRecordStateSchema>;

/** States a job leaves only through Retry. */
export const FINISHED_STATES: ReadonlySet<JobRecordState> = new Set(['done', 'failed', 'cancelled', 'interrupted']);

/** An error as the user sees it: LacunaError's stable code, message and hint. */
export const JobErrorSchema = z.object({
  code: z.string().min(1),
  message: z.string(),
  hint: z.string().optional(),
});
export type JobError = z.infer<typeof JobErrorSchema>;

/**
 * What the job's result belongs to. Opaque to the queue (a CLI job has none); the app uses it
 * to add the result to the right clip of the right project, and only to that one.
 */
export const JobTargetSchema = z.object({
  projectId: z.string().min(1),
  /** Where the project was saved when the job was queued; null for a never-saved project. */
  projectPath: z.string().nullable(),
  clipId: z.string().min(1),
});
export type JobTarget = z.infer<typeof JobTargetSchema>;

/** Where the result goes: folder, and the file name without extension (the kind's file sets it). */
export const JobOutputSchema = z.object({
  dir: z.string().min(1),
  name: z.string().min(1),
  /** The take this render becomes ("Take N"), which `name` says too (absent in older journals). */
  takeNumber: z.number().int().min(1).optional(),
});
export type JobOutput = z.infer<typeof JobOutputSchema>;

/** A finished job's files at their final paths, and how they become a take. */
export const DeliveredResultSchema = z.object({
  takeFile: z.string().min(1),
  matteFile: z.string().min(1).optional(),
  params: TakeParamsSchema,
  sourceStart: z.number().int().min(0),
});
export type DeliveredResult = z.infer<typeof DeliveredResultSchema>;

export const JobRecordSchema = z.object({
  id: z.string().min(1),
  kind: z.string().min(1),
  label: z.string(),
  params: z.unknown(),
  state: JobRecordStateSchema,
  /** 1 for the first run; Retry adds one. */
  attempt: z.number().int().min(1),
  target: JobTargetSchema.nullable(),
  output: JobOutputSchema,
  stage: z.string().nullable(),
  /** 0..1 within the current stage, once known. */
  progress: z.number().min(0).max(1).nullable(),
  /** The stage's own units (frames, steps) behind `progress`, for a "120/480 frames" display. */
  units: z.object({ done: z.number().min(0), total: z.number().min(0) }).nullable().default(null),
  etaSeconds: z.number().min(0).nullable(),
  error: JobErrorSchema.nullable(),
  warnings: z.array(z.string()),
  result: DeliveredResultSchema.nullable(),
  /** The take the result became, once added to its project. */
  resultTakeId: z.string().nullable(),
  /** Why a finished result is not in its project, and where its file is. */
  note: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type JobRecord = z.infer<typeof JobRecordSchema>;
