import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { FfmpegPaths } from '../media/ffmpegLocator';
import { LacunaError, isLacunaError } from '../util/errors';
import type { JobContext, JobKind, ResourceClass } from './jobKind';
import {
  FINISHED_STATES,
  type DeliveredResult,
  type JobError,
  type JobOutput,
  type JobRecord,
  type JobTarget,
} from './jobRecord';
import { JobJournal } from './journal';
import { placeOutput } from './placeOutput';
import { ProgressEstimator } from './progressEstimator';
import { JobTempFiles, jobTempDir } from './tempFiles';

/**
 * The queue of long jobs: runs them in the order they were queued, GPU-bound ones one at a
 * time across the app and CPU-bound ones a few at a time beside them, reports progress, stops
 * them on cancel, cleans their scratch files, places their results, and keeps every state
 * change in the journal so a crash shows what it interrupted.
 *
 * It knows nothing of projects or the app: the app (app/jobsController.ts), the CLI and
 * render-farm workers drive it alike, and adding a result to a project is the `complete`
 * hook's business.
 */

/** Finished jobs kept in the journal; older ones are dropped (their files stay on disk). */
const KEEP_FINISHED = 200;

export interface JobSubmission {
  kind: string;
  params: unknown;
  output: JobOutput;
  target?: JobTarget | null;
}

/** What the `complete` hook made of a delivered result. */
export interface CompletionOutcome {
  /** The take the result became. */
  resultTakeId?: string;
  /** Why it did not become one, and where its file is. */
  note?: string;
}

export interface JobQueueOptions {
  dataDir: string;
  kinds: readonly JobKind[];
  ffmpeg: () => FfmpegPaths;
  /** CPU-bound jobs run at once. Default: half the cores (decoders and encoders are multi-threaded themselves). */
  cpuSlots?: number;
  /**
   * Called once a job's files are at their final paths, before it is marked done: adds the
   * result to whatever it belongs to. If it throws, the job is still done and the error
   * becomes its note: the render is never lost because the project went away.
   */
  complete?: (job: Readonly<JobRecord>, result: DeliveredResult) => Promise<CompletionOutcome>;
  log?: (message: string, error?: unknown) => void;
  /** Clock for the ETA (tests). */
  now?: () => number;
}

export type JobEvent = { type: 'state'; job: JobRecord } | { type: 'progress'; job: JobRecord };
export type JobListener = (event: JobEvent) => void;

interface Running {
  controller: AbortController;
  done: Promise<void>;
  /** Past the point of no return: files placed, result being added. Cancel no longer applies. */
  finishing: boolean;
}

function newJobId(): string {
  // Time first, so ids sort roughly by creation in file listings and logs.
  return `job-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

const nowIso = () => new Date().toISOString();

/** An error as the journal and the user see it; anything not a LacunaError is a bug, said so. */
export function toJobError(e: unknown): JobError {
  if (isLacunaError(e)) return e.hint ? { code: e.code, message: e.message, hint: e.hint } : { code: e.code, message: e.message };
  const message = e instanceof Error ? e.message || e.name : String(e);
  return { code: 'INTERNAL', message, hint: 'This is a bug in Lacuna; please report it with the job log.' };
}

/**
 * A render folder that cannot be written (a read-only share, a full or unplugged drive) is the
 * user's to fix, not a bug: say which folder and what to do. There is no I/O error code, so it
 * is a bad argument: the place the job was told to write to.
 */
function outputError(e: unknown, dir: string): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (typeof code !== 'string' || isLacunaError(e)) return e;
  return new LacunaError(
    'BAD_ARGUMENT',
    `cannot write the render to ${dir}: ${(e as Error).message}`,
    'Check that the folder exists, is writable and has free space (save the project somewhere writable to move its Renders folder).',
    { cause: e },
  );
}

/** The fields of a job about to run (again): queued, with nothing of an earlier attempt left. */
function freshRun() {
  return {
    state: 'queued',
    stage: null,
    progress: null,
    units: null,
    etaSeconds: null,
    error: null,
    warnings: [],
    result: null,
    resultTakeId: null,
    note: null,
    startedAt: null,
    finishedAt: null,
  } satisfies Partial<JobRecord>;
}

function copy(job: JobRecord): JobRecord {
  return { ...job, warnings: [...job.warnings] };
}

export class JobQueue {
  readonly #kinds: Map<string, JobKind>;
  readonly #jobs: JobRecord[] = [];
  readonly #running = new Map<string, Running>();
  readonly #listeners = new Set<JobListener>();
  readonly #cpuSlots: number;
  readonly #log: (message: string, error?: unknown) => void;
  #journal!: JobJournal;
  #disposed = false;

  private constructor(private readonly options: JobQueueOptions) {
    this.#kinds = new Map(options.kinds.map((k) => [k.id, k]));
    this.#cpuSlots = Math.max(1, Math.floor(options.cpuSlots ?? availableParallelism() / 2));
    this.#log = options.log ?? (() => {});
  }

  /**
   * Opens the queue on `dataDir`'s journal. Jobs the journal lists as queued or running were
   * cut short by a crash: they come back as 'interrupted' (or 'done', if their files were
   * already placed), and their scratch folders are deleted.
   */
  static async open(options: JobQueueOptions): Promise<JobQueue> {
    const queue = new JobQueue(options);
    await mkdir(options.dataDir, { recursive: true });
    const { journal, contents } = await JobJournal.open(options.dataDir, () => queue.#jobs, queue.#log);
    queue.#journal = journal;
    for (const problem of contents.problems) queue.#log(problem);
    for (const job of contents.jobs) {
      if (!FINISHED_STATES.has(job.state)) await queue.#recover(job);
      queue.#jobs.push(job);
    }
    queue.#prune();
    await journal.save();
    return queue;
  }

  async #recover(job: JobRecord): Promise<void> {
    await new JobTempFiles(jobTempDir(job.output.dir, job.id)).removeAll().catch((e) => this.#log(`could not remove the scratch files of job ${job.id}`, e));
    job.finishedAt = nowIso();
    job.etaSeconds = null;
    if (job.result) {
      // It crashed after the render was in place: the work is done, only adding it was not.
      job.state = 'done';
      job.note = `Lacuna stopped before the render was added to its project; the file is at ${job.result.takeFile}`;
      return;
    }
    const kind = this.#kinds.get(job.kind);
    job.state = 'interrupted';
    job.error = {
      code: 'CANCELLED',
      message: `Lacuna stopped while this job was ${job.startedAt ? 'running' : 'waiting'} (it quit unexpectedly or the computer shut down)`,
      hint: kind ? kind.interrupted.note : `This install has no "${job.kind}" jobs, so it cannot be run again here.`,
    };
  }

  // ---------------------------------------------------------------- queries

  /**
   * Adds kinds, or replaces those of the same id (a model pack added in the settings brings its
   * engine). Kinds are never taken away, so a queued job of a pack just removed still runs.
   */
  registerKinds(kinds: readonly JobKind[]): void {
    for (const k of kinds) this.#kinds.set(k.id, k);
  }

  kinds(): readonly JobKind[] {
    return [...this.#kinds.values()];
  }

  list(): JobRecord[] {
    return this.#jobs.map(copy);
  }

  get(jobId: string): JobRecord {
    return copy(this.#find(jobId));
  }

  /** Jobs queued or running. */
  activeCount(): number {
    return this.#jobs.filter((j) => j.state === 'queued' || j.state === 'running').length;
  }

  /** Resolves once the journal holds every change made so far. */
  saved(): Promise<void> {
    return this.#journal.save();
  }

  /** Calls `listener` on every state change and progress report; returns the unsubscribe. */
  on(listener: JobListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves with the job once it has finished (done, failed, cancelled or interrupted). */
  whenFinished(jobId: string): Promise<JobRecord> {
    const job = this.#find(jobId);
    if (FINISHED_STATES.has(job.state)) return Promise.resolve(copy(job));
    return new Promise((resolve) => {
      const off = this.on((e) => {
        if (e.type === 'state' && e.job.id === jobId && FINISHED_STATES.has(e.job.state)) {
          off();
          resolve(e.job);
        }
      });
    });
  }

  // ---------------------------------------------------------------- commands

  submit(submission: JobSubmission): JobRecord {
    this.#ensureOpen();
    const kind = this.#kindFor(submission.kind);
    const params = this.#checkParams(kind, submission.params);
    const job: JobRecord = {
      id: newJobId(),
      kind: kind.id,
      label: kind.describe(params),
      params,
      attempt: 1,
      target: submission.target ?? null,
      output: { ...submission.output },
      createdAt: nowIso(),
      ...freshRun(),
    };
    this.#jobs.push(job);
    this.#changed(job);
    this.#pump();
    return copy(job);
  }

  /**
   * Cancels a queued job at once, or stops a running one: its kind sees the abort within a
   * step, its scratch files are deleted, then it is 'cancelled' (a state event says so).
   * A finished job is returned unchanged, so a late click is harmless.
   */
  cancel(jobId: string): JobRecord {
    const job = this.#find(jobId);
    if (job.state === 'queued') {
      job.state = 'cancelled';
      job.finishedAt = nowIso();
      this.#changed(job);
    } else if (job.state === 'running') {
      const run = this.#running.get(jobId);
      if (run && !run.finishing) run.controller.abort(new LacunaError('CANCELLED', 'cancelled by the user'));
    }
    return copy(job);
  }

  /**
   * Queues a failed, cancelled or interrupted job again with the same params; `output` renames
   * what it will write (its take number was taken meanwhile, see clipJob.ts retryOutput).
   */
  retry(jobId: string, output?: JobOutput): JobRecord {
    this.#ensureOpen();
    const job = this.#find(jobId);
    if (job.state !== 'failed' && job.state !== 'cancelled' && job.state !== 'interrupted') {
      throw new LacunaError('BAD_ARGUMENT', `"${job.label}" is ${job.state}; only failed, cancelled or interrupted jobs can be retried`);
    }
    const kind = this.#kindFor(job.kind);
    if (job.state === 'interrupted' && !kind.interrupted.resumable) {
      throw new LacunaError('UNSUPPORTED', `"${job.label}" cannot be run again after an interruption`, kind.interrupted.note);
    }
    job.params = this.#checkParams(kind, job.params);
    if (output) job.output = { ...output };
    Object.assign(job, { attempt: job.attempt + 1, ...freshRun() } satisfies Partial<JobRecord>);
    this.#changed(job);
    this.#pump();
    return copy(job);
  }

  /** Records what became of a delivered result later (a project reopened after the job finished). */
  recordOutcome(jobId: string, outcome: CompletionOutcome): JobRecord {
    const job = this.#find(jobId);
    if (outcome.resultTakeId !== undefined) job.resultTakeId = outcome.resultTakeId;
    job.note = outcome.note ?? (outcome.resultTakeId !== undefined ? null : job.note);
    this.#changed(job);
    return copy(job);
  }

  /**
   * Stops everything for quit: running jobs are stopped and cleaned up, and they and queued
   * ones are recorded as interrupted, so the next start offers to run them again.
   */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const job of this.#jobs) {
      if (job.state !== 'queued') continue;
      this.#interruptForQuit(job);
    }
    for (const run of this.#running.values()) {
      if (!run.finishing) run.controller.abort(new LacunaError('CANCELLED', 'Lacuna is quitting'));
    }
    await Promise.all([...this.#running.values()].map((r) => r.done));
    await this.#journal.release();
  }

  #interruptForQuit(job: JobRecord): void {
    const kind = this.#kinds.get(job.kind);
    job.state = 'interrupted';
    job.finishedAt = nowIso();
    job.etaSeconds = null;
    job.error = {
      code: 'CANCELLED',
      message: `Lacuna quit before this job ${job.startedAt ? 'finished' : 'started'}`,
      ...(kind && { hint: kind.interrupted.note }),
    };
    this.#changed(job);
  }

  // ---------------------------------------------------------------- running

  /** Starts every queued job whose resource has room, oldest first. */
  #pump(): void {
    if (this.#disposed) return;
    const busy: Record<ResourceClass, number> = { gpu: 0, cpu: 0 };
    for (const id of this.#running.keys()) busy[this.#kindFor(this.#find(id).kind).resource]++;
    const limit: Record<ResourceClass, number> = { gpu: 1, cpu: this.#cpuSlots };
    for (const job of this.#jobs) {
      if (job.state !== 'queued') continue;
      const kind = this.#kinds.get(job.kind);
      if (!kind) continue;
      if (busy[kind.resource] >= limit[kind.resource]) continue;
      busy[kind.resource]++;
      this.#start(job, kind);
    }
  }

  #start(job: JobRecord, kind: JobKind): void {
    const controller = new AbortController();
    const run: Running = { controller, finishing: false, done: Promise.resolve() };
    this.#running.set(job.id, run);
    Object.assign(job, { state: 'running', startedAt: nowIso(), stage: null, progress: null, units: null, etaSeconds: null } satisfies Partial<JobRecord>);
    this.#changed(job);
    run.done = this.#execute(job, kind, run).finally(() => {
      this.#running.delete(job.id);
      this.#pump();
    });
  }

  async #execute(job: JobRecord, kind: JobKind, run: Running): Promise<void> {
    const signal = run.controller.signal;
    const temp = new JobTempFiles(jobTempDir(job.output.dir, job.id));
    const estimator = new ProgressEstimator(this.options.now);
    const ctx: JobContext = {
      jobId: job.id,
      signal,
      temp,
      ffmpeg: this.options.ffmpeg,
      progress: (stage, done, total) => {
        if (job.state !== 'running' || run.finishing) return;
        const e = estimator.update(stage, done, total);
        job.stage = e.stage;
        job.progress = e.fraction;
        job.units = { done, total };
        job.etaSeconds = e.etaSeconds;
        this.#emit({ type: 'progress', job: copy(job) });
      },
      warn: (message) => {
        job.warnings.push(message);
        this.#emit({ type: 'progress', job: copy(job) });
      },
    };
    let outcome: { state: 'done' } | { state: 'failed'; error: JobError } | { state: 'cancelled' };
    try {
      await mkdir(job.output.dir, { recursive: true }).catch((e) => {
        throw outputError(e, job.output.dir);
      });
      const result = await kind.run(ctx, job.params);
      if (signal.aborted) throw signal.reason;
      run.finishing = true;
      if (result.summary) job.note = result.summary;
      if (result.take) {
        this.#setStage(job, 'saving');
        const place = (file: string, name: string) => placeOutput(file, job.output.dir, name).catch((e) => Promise.reject(outputError(e, job.output.dir)));
        const takeFile = await place(result.take.file, job.output.name);
        const matteFile = result.take.matteFile ? await place(result.take.matteFile, `${job.output.name} matte`) : undefined;
        job.result = { takeFile, ...(matteFile && { matteFile }), params: result.take.params, sourceStart: result.take.sourceStart };
        // Journal it now: a crash from here on must still say where the render is.
        this.#changed(job);
        await this.#complete(job, job.result);
      }
      outcome = { state: 'done' };
    } catch (e) {
      outcome = signal.aborted && !run.finishing ? { state: 'cancelled' } : { state: 'failed', error: toJobError(e) };
    }
    // Clean up before announcing the end: 'cancelled' means the scratch files are gone.
    await temp.removeAll().catch((e) => this.#log(`could not remove the scratch files of job ${job.id} in ${temp.dir}`, e));
    job.finishedAt = nowIso();
    job.etaSeconds = null;
    if (outcome.state === 'done') {
      job.state = 'done';
      job.progress = 1;
    } else if (outcome.state === 'failed') {
      job.state = 'failed';
      job.error = outcome.error;
    } else if (this.#disposed) {
      this.#interruptForQuit(job);
      return;
    } else {
      job.state = 'cancelled';
    }
    this.#changed(job);
  }

  async #complete(job: JobRecord, result: DeliveredResult): Promise<void> {
    if (!this.options.complete) return;
    this.#setStage(job, 'adding take');
    try {
      const outcome = await this.options.complete(copy(job), result);
      if (outcome.resultTakeId !== undefined) job.resultTakeId = outcome.resultTakeId;
      if (outcome.note !== undefined) job.note = outcome.note;
    } catch (e) {
      const err = toJobError(e);
      job.note = `The render is kept at ${result.takeFile}, but it could not be added to the project: ${err.message}`;
      job.warnings.push(job.note);
    }
  }

  #setStage(job: JobRecord, stage: string): void {
    job.stage = stage;
    job.units = null;
    job.etaSeconds = null;
    this.#emit({ type: 'progress', job: copy(job) });
  }

  // ---------------------------------------------------------------- internals

  #ensureOpen(): void {
    if (this.#disposed) throw new LacunaError('CANCELLED', 'the job queue has been shut down');
  }

  #find(jobId: string): JobRecord {
    const job = this.#jobs.find((j) => j.id === jobId);
    if (!job) throw new LacunaError('NOT_FOUND', `no job with id "${jobId}"`, 'It may have been cleared from the job list.');
    return job;
  }

  #kindFor(id: string): JobKind {
    const kind = this.#kinds.get(id);
    if (!kind) {
      const known = [...this.#kinds.keys()].join(', ') || 'none';
      throw new LacunaError('UNSUPPORTED', `this install cannot run "${id}" jobs (installed: ${known})`);
    }
    return kind;
  }

  #checkParams(kind: JobKind, params: unknown): unknown {
    const parsed = kind.params.safeParse(params);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
      throw new LacunaError('BAD_ARGUMENT', `invalid ${kind.label} job: ${problems}`);
    }
    return parsed.data;
  }

  #changed(job: JobRecord): void {
    this.#prune();
    void this.#journal.save();
    this.#emit({ type: 'state', job: copy(job) });
  }

  /** Drops the oldest finished jobs beyond KEEP_FINISHED (never a queued or running one). */
  #prune(): void {
    let finished = this.#jobs.filter((j) => FINISHED_STATES.has(j.state)).length;
    for (let i = 0; i < this.#jobs.length && finished > KEEP_FINISHED; ) {
      if (FINISHED_STATES.has(this.#jobs[i].state)) {
        this.#jobs.splice(i, 1);
        finished--;
      } else i++;
    }
  }

  #emit(event: JobEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (e) {
        this.#log('a job listener failed', e);
      }
    }
  }
}
