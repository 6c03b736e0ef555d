import { z } from 'zod';

/**
 * The render farm as the app sees it (src/engine/farm): whether one is set up (LACUNA_REDIS_URL
 * or the app's farm setting), its workers, and the takes on it, for the Remove dialog's
 * "Run on: this machine | farm" and the Jobs panel's farm jobs.
 */

export const FarmWorkerSchema = z.object({
  name: z.string(),
  host: z.string(),
  resources: z.array(z.enum(['cpu', 'gpu'])),
  concurrency: z.number().int(),
  /** Farm job ids it is running now. */
  active: z.array(z.string()),
  lastSeenSeconds: z.number(),
});

export const FarmStatusSchema = z.object({
  /** A farm is set up for this app (a Redis URL is known). */
  configured: z.boolean(),
  /** The Redis URL without its password, or null. */
  redis: z.string().nullable(),
  /** It answered just now. */
  reachable: z.boolean(),
  /** Why it is not reachable, in words. */
  error: z.string().nullable(),
  workers: z.array(FarmWorkerSchema),
});
export type FarmStatusDto = z.infer<typeof FarmStatusSchema>;

export const FarmTakeStateSchema = z.enum(['queued', 'running', 'rendering chunks', 'done', 'failed', 'cancelled']);

export const FarmTakeSchema = z.object({
  takeId: z.string(),
  label: z.string(),
  state: FarmTakeStateSchema,
  /** 0..1 over the whole take; null before it starts. */
  progress: z.number().min(0).max(1).nullable(),
  /** "finding objects", "3 of 8 chunks", "joining". */
  message: z.string().nullable(),
  /** The worker running the take's own step now, if any. */
  worker: z.string().nullable(),
  chunks: z.array(
    z.object({
      index: z.number().int(),
      state: z.enum(['queued', 'running', 'done', 'failed']),
      worker: z.string().nullable(),
      progress: z.number().min(0).max(1).nullable(),
    }),
  ),
  /** Why it failed ("[MEDIA_UNREADABLE] …"), as the worker said it. */
  error: z.string().nullable(),
  /** The clip it is for, when it belongs to the open project. */
  clipId: z.string().nullable(),
  /** The take it became in the open project, once collected. */
  resultTakeId: z.string().nullable(),
  /** The render's file, once done. */
  file: z.string().nullable(),
  submittedBy: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type FarmTakeDto = z.infer<typeof FarmTakeSchema>;
