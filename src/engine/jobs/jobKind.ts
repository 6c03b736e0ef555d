import type { z } from 'zod';
import type { TakeParams } from '../project/schema';
import type { FfmpegPaths } from '../media/ffmpegLocator';
import type { JobTempFiles } from './tempFiles';

/**
 * What a kind of job is: the one thing a new engine (LGVI, Lite, chat removal, NLE export)
 * writes to plug into the queue. The queue does the rest: ordering, one GPU job at a time,
 * progress and ETA, cancellation, temp-file cleanup, the journal, and placing the result.
 */

/**
 * 'gpu': one at a time across the whole app (two diffusion runs on one card would both run out
 * of memory or crawl); 'cpu': up to the queue's configured number at once.
 */
export type ResourceClass = 'gpu' | 'cpu';

/** 'removal' kinds are what the product is for (the Remove dialog lists only those). */
export type JobCategory = 'removal' | 'utility';

/** The files and facts a finished job hands back; paths are temp files from `ctx.temp`. */
export interface JobResult {
  /**
   * The rendered picture, to become a new take of the job's clip; null when the job finished
   * with nothing to add (a removal whose description matched nothing leaves the clip as it is).
   */
  take: {
    file: string;
    params: TakeParams;
    /**
     * The original media's frame shown by the file's frame 0 (Project.addTake's sourceStart).
     * Jobs are project-independent, so the kind is told it in its params and passes it on.
     */
    sourceStart: number;
    /** A removal mask aligned with `file`, when the engine writes one. */
    matteFile?: string;
  } | null;
  /** What the job did or found, in words, shown with the finished job ("matched 1 of 2 birds"). */
  summary?: string;
}

/** Everything a running job may use; nothing here refers to a project or the app. */
export interface JobContext {
  readonly jobId: string;
  /** Fires on cancel (or app quit). Check it at least once per frame or step. */
  readonly signal: AbortSignal;
  /**
   * Reports progress within a stage ("decoding", "denoising window 3/8"). The queue turns it
   * into a fraction and an ETA, smoothed over the recent rate; a new stage restarts the rate.
   */
  progress(stage: string, done: number, total: number): void;
  /** Something the user should know that does not stop the job (VFR conformed, say). */
  warn(message: string): void;
  /** Scratch files, deleted when the job fails or is cancelled, and after it succeeds. */
  readonly temp: JobTempFiles;
  /** ffmpeg/ffprobe to use (found when the job starts, so a fixed install is picked up). */
  ffmpeg(): FfmpegPaths;
}

/** What happens to a job of this kind that a crash or quit interrupted. */
export interface InterruptPolicy {
  /** Whether Retry may run it again with the same params. */
  resumable: boolean;
  /** Said to the user beside the interruption: how a retry behaves, or why there is none. */
  note: string;
}

export interface JobKind<P = unknown> {
  /** Stable id, stored in the journal and used in requests ("transcode", "lgvi"). */
  id: string;
  label: string;
  category: JobCategory;
  description: string;
  resource: ResourceClass;
  /** Checks params at submit, and again when a journal is read back (it may be from an older version). */
  params: z.ZodType<P>;
  interrupted: InterruptPolicy;
  /** The job's label in the queue, from its params ("Transcode shot 12 to ProRes 422 HQ"). */
  describe(params: P): string;
  /**
   * Does the work. Resolves with the result, or rejects: with a LacunaError the user can act on,
   * or with CANCELLED (errors.ts cancelledError) once `ctx.signal` has fired.
   */
  run(ctx: JobContext, params: P): Promise<JobResult>;
}

/**
 * Declares a kind with its params type inferred from the schema. Kinds are kept in one list of
 * mixed params types, so the list holds them as JobKind<unknown>; the queue only ever passes a
 * kind the params its own schema produced.
 */
export function defineJobKind<P>(kind: JobKind<P>): JobKind<unknown> {
  return kind as unknown as JobKind<unknown>;
}
