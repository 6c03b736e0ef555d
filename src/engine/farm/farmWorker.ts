import { hostname } from 'node:os';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Queue, UnrecoverableError, WaitingChildrenError, WaitingError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { FfmpegPaths } from '../media/ffmpegLocator';
import { probeMedia } from '../media/probe';
import { transcode } from '../media/transcode';
import type { MediaRef } from '../project/schema';
import { mediaSourceOf } from '../project/mediaSource';
import { describeAdditions, type FillAdditions } from '../lite/fillAdditions';
import { createLiteEngine, liteSettingsOf, type LiteEngine, type LiteGrounding } from '../lite/liteEngine';
import { installedRemovalEngines } from '../removal/installedEngines';
import type { RemovalContext, RemovalEngine, RemovalInput, RemovalTarget } from '../removal/removalEngine';
import { commitTempFile, tempPathFor, writeFileAtomic } from '../util/atomicWrite';
import { isLacunaError, LacunaError } from '../util/errors';
import { chunkAdditions, joinLiteChunks, liteChunks, renderLiteChunk, type MatchedGrounding } from './liteSplit';
import type { PathMap } from './pathMap';
import {
  FarmChunkJobSchema,
  FarmTakeJobSchema,
  parsePayload,
  type FarmChunkJob,
  type FarmRemovalTake,
  type FarmTakeJob,
  type FarmTakeResult,
} from './payloads';
import { cancelChannel, cancelKey, chunkJobId, DEFAULT_PREFIX, queueName, workersKey, type ResourceClass } from './queues';
import { engineForTake } from './takeEngine';

/**
 * A farm worker: a headless process over the same engines as the app, taking the jobs of its
 * resource classes from Redis (BullMQ), reporting progress and a heartbeat, honouring cancel
 * within a frame or step, and on shutdown putting its running jobs back on the queue.
 *
 * Everything on a job is checked before use: the payload against the same schemas local jobs
 * use, every path through the worker's PathMap (outside its roots: refused), the engine and its
 * model pack against the ones installed here (takeEngine.ts). A job that cannot be right (malformed, refused, unknown engine) fails
 * at once; any other failure is retried up to the take's attempts, then fails with its error.
 */

export interface FarmWorkerOptions {
  connection: RedisOptions;
  prefix?: string;
  /** Shown by `farm status` and stored on each job it runs. */
  name: string;
  resources: readonly ResourceClass[];
  /** Jobs at once per resource class. */
  concurrency?: number;
  paths: PathMap;
  /** LGVI model packs (their engines take the gpu class). */
  packDirs?: readonly string[];
  ffmpeg: () => FfmpegPaths;
  /** How often running jobs' locks are checked for a dead worker (BullMQ's stalled check). */
  stalledIntervalMs?: number;
  /**
   * How long a job's lock lasts without its worker renewing it. The renewal runs on the worker's
   * event loop, which a Lite window fill holds for its whole length, so this must be longer than
   * the longest window (default 2 minutes); a killed worker's job is taken back after it.
   */
  lockDurationMs?: number;
  /** Times a job may lose its worker before it fails. */
  maxStalledCount?: number;
  heartbeatMs?: number;
  /** Events as they happen (started, progress, finished, failed), for the CLI's log. */
  log?: (event: WorkerLogEvent) => void;
  /** Engines to use instead of the installed ones (tests); a pack engine's take is matched to its pack by identity. */
  engines?: readonly RemovalEngine[];
}

export type WorkerLogEvent =
  | { type: 'ready'; queues: string[] }
  | { type: 'started'; jobId: string; name: string; label: string }
  | { type: 'progress'; jobId: string; stage: string; done: number; total: number }
  | { type: 'finished'; jobId: string; name: string }
  | { type: 'waiting'; jobId: string; chunks: number }
  | { type: 'failed'; jobId: string; name: string; error: string; final: boolean }
  | { type: 'requeued'; jobId: string }
  | { type: 'error'; error: string };

export interface FarmWorker {
  readonly name: string;
  /** Stops taking jobs; running ones go back to the queue for another worker. */
  close(): Promise<void>;
}

/** Progress as stored on a farm job (job.progress). */
export interface FarmProgress {
  stage: string;
  done: number;
  total: number;
  worker: string;
  at: number;
}

/** The form a failure is stored in (BullMQ's failedReason): "[CODE] message" and the hint. */
export function failureText(e: unknown): string {
  if (isLacunaError(e)) return `[${e.code}] ${e.message}${e.hint ? `\n${e.hint}` : ''}`;
  return e instanceof Error ? e.message : String(e);
}

const SHUTDOWN = 'lacuna: worker shutting down';
const CANCELLED = 'lacuna: take cancelled';

export async function startFarmWorker(options: FarmWorkerOptions): Promise<FarmWorker> {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const log = options.log ?? (() => {});
  const engines = options.engines ?? installedRemovalEngines({ packDirs: options.packDirs ?? [] });
  const lite = (engines.find((e) => e.id === 'lite') as LiteEngine | undefined) ?? createLiteEngine();
  const active = new Map<string, { takeId: string; queue: ResourceClass }>();
  let shuttingDown = false;

  const redis = new Redis(options.connection);
  const subscriber = new Redis(options.connection);
  redis.on('error', () => {});
  subscriber.on('error', () => {});
  const queues = new Map<ResourceClass, Queue>();
  for (const r of ['cpu', 'gpu'] as const) {
    const queue = new Queue(queueName(r), { connection: bullConnection(options.connection), prefix });
    queue.on('error', (e) => log({ type: 'error', error: e.message }));
    queues.set(r, queue);
  }

  const workers: Worker[] = [];

  async function isCancelled(takeId: string): Promise<boolean> {
    return (await redis.exists(cancelKey(prefix, takeId))) === 1;
  }

  function context(job: Job, signal: AbortSignal): RemovalContext {
    let last = 0;
    return {
      signal,
      ffmpeg: options.ffmpeg(),
      warn: (message) => void job.log(`warning: ${message}`).catch(() => {}),
      progress: (stage, done, total) => {
        const now = Date.now();
        if (now - last < 250 && done < total) return;
        last = now;
        const p: FarmProgress = { stage, done, total, worker: options.name, at: now };
        job.updateProgress(p as unknown as object).catch(() => {});
        log({ type: 'progress', jobId: job.id!, stage, done, total });
      },
    };
  }

  /** The take's request with every path as this machine names it, checked against its roots. */
  async function localInput(take: FarmRemovalTake, signal: AbortSignal, ffmpeg: FfmpegPaths, output: { file: string; matteFile?: string }): Promise<RemovalInput> {
    const p = take.params;
    const mediaRef: MediaRef = { ...p.media, path: options.paths.toLocal(p.media.path, 'media') };
    const media = await probeMedia(mediaSourceOf(mediaRef), { signal, ffmpeg });
    let target: RemovalTarget;
    if (p.target.kind === 'mask') {
      target = { kind: 'mask', matte: await probeMedia(options.paths.toLocal(p.target.matte, 'matte'), { fps: p.target.fps, signal, ffmpeg }) };
    } else target = p.target;
    return { media, range: p.range, target, settings: p.settings, output: { file: output.file, codec: p.codec, ...(output.matteFile && { matteFile: output.matteFile }) } };
  }

  function outputsOf(take: FarmTakeJob): { file: string; matteFile?: string; scratch: string } {
    const file = options.paths.toLocal(take.output.file, 'output file');
    const matteFile = take.output.matteFile && take.kind === 'remove' && take.params.writeMatte ? options.paths.toLocal(take.output.matteFile, 'matte file') : undefined;
    const scratch = options.paths.toLocal(take.output.scratchDir, 'scratch folder');
    return { file, ...(matteFile && { matteFile }), scratch };
  }

  async function commitOutputs(temp: { file: string; matteFile?: string }, final: { file: string; matteFile?: string }, matteWritten: boolean): Promise<void> {
    if (final.matteFile && temp.matteFile && matteWritten) await commitTempFile(temp.matteFile, final.matteFile);
    await commitTempFile(temp.file, final.file);
  }

  function result(take: FarmTakeJob, partial: Omit<FarmTakeResult, 'sourceStart' | 'warnings'>): FarmTakeResult {
    return { ...partial, sourceStart: take.params.sourceStart, warnings: [] };
  }

  async function runTranscode(job: Job, take: Extract<FarmTakeJob, { kind: 'transcode' }>, ctx: RemovalContext): Promise<FarmTakeResult> {
    const out = outputsOf(take);
    await mkdir(dirname(out.file), { recursive: true });
    const temp = tempPathFor(out.file);
    try {
      const media: MediaRef = { ...take.params.media, path: options.paths.toLocal(take.params.media.path, 'media') };
      const done = await transcode(mediaSourceOf(media), temp, {
        codec: take.params.codec,
        range: take.params.range,
        signal: ctx.signal,
        ffmpeg: ctx.ffmpeg,
        onProgress: (d, all) => ctx.progress('encoding', d, all),
      });
      for (const w of done.warnings) ctx.warn(w);
      await commitTempFile(temp, out.file);
    } finally {
      await rm(temp, { force: true });
    }
    return result(take, { changed: true, explanation: `transcoded to ${take.params.codec}`, takeFile: take.output.file, matteFile: null, params: { engine: 'transcode', extra: { codec: take.params.codec } }, chunks: 0 });
  }

  /** A removal rendered whole on this machine (LGVI, or any engine without a split). */
  async function runWhole(take: FarmRemovalTake, engine: RemovalEngine, ctx: RemovalContext): Promise<FarmTakeResult> {
    const out = outputsOf(take);
    await mkdir(dirname(out.file), { recursive: true });
    const temp = { file: tempPathFor(out.file), ...(out.matteFile && { matteFile: tempPathFor(out.matteFile) }) };
    try {
      const input = await localInput(take, ctx.signal, ctx.ffmpeg, temp);
      const outcome = await engine.remove(input, ctx);
      if (!outcome.changed) return result(take, { changed: false, explanation: outcome.explanation, takeFile: null, matteFile: null, params: outcome.params, chunks: 0 });
      await commitOutputs(temp, out, outcome.matteWritten);
      return result(take, {
        changed: true,
        explanation: outcome.explanation,
        takeFile: take.output.file,
        matteFile: outcome.matteWritten && take.output.matteFile ? take.output.matteFile : null,
        params: outcome.params,
        chunks: 0,
      });
    } finally {
      await Promise.all([rm(temp.file, { force: true }), temp.matteFile && rm(temp.matteFile, { force: true })]);
    }
  }

  /**
   * A Lite take as a flow: find the objects once (the grounding, kept on shared storage), queue
   * its chunks as this job's children and wait for them, then join them. Each step is safe to
   * run again after a crash: the grounding is reused, chunk jobs have fixed ids (adding one twice
   * adds it once), and chunk files are whole or absent.
   */
  async function runSplit(job: Job, token: string, take: FarmRemovalTake, ctx: RemovalContext): Promise<FarmTakeResult> {
    const out = outputsOf(take);
    await mkdir(out.scratch, { recursive: true });
    const groundingFile = join(out.scratch, 'grounding.json');
    const probeInput = await localInput(take, ctx.signal, ctx.ffmpeg, out);
    const chunks = liteChunks(probeInput, take.chunkWindows);
    let grounding: LiteGrounding;
    try {
      grounding = JSON.parse(await readFile(groundingFile, 'utf8')) as LiteGrounding;
    } catch {
      grounding = await lite.ground(probeInput, ctx);
      await writeFileAtomic(groundingFile, JSON.stringify(grounding));
    }
    if (!grounding.matched) {
      await rm(out.scratch, { recursive: true, force: true });
      return result(take, { changed: false, explanation: grounding.explanation, takeFile: null, matteFile: null, params: grounding.params, chunks: 0 });
    }
    const queue = queues.get('cpu')!;
    const attempts = job.opts.attempts ?? 3;
    await queue.addBulk(
      chunks.map((c) => ({
        name: 'chunk',
        data: { v: 1, take, chunk: c.index, windows: c.windows } satisfies FarmChunkJob,
        opts: {
          jobId: chunkJobId(take.takeId, c.index),
          parent: { id: job.id!, queue: job.queueQualifiedName },
          attempts,
          backoff: job.opts.backoff ?? { type: 'fixed', delay: 1000 },
          failParentOnFailure: true,
        },
      })),
    );
    if (await job.moveToWaitingChildren(token)) {
      log({ type: 'waiting', jobId: job.id!, chunks: chunks.length });
      throw new WaitingChildrenError();
    }
    if (await isCancelled(take.takeId)) throw new UnrecoverableError(CANCELLED);
    // Every chunk is done: join.
    await mkdir(dirname(out.file), { recursive: true });
    const temp = { file: tempPathFor(out.file), ...(out.matteFile && { matteFile: tempPathFor(out.matteFile) }) };
    try {
      const input = await localInput(take, ctx.signal, ctx.ffmpeg, temp);
      const files = chunks.map((c) => chunkFile(out.scratch, c.index));
      await joinLiteChunks(input, chunks, files, ctx);
      await commitOutputs(temp, out, Boolean(out.matteFile));
    } finally {
      await Promise.all([rm(temp.file, { force: true }), temp.matteFile && rm(temp.matteFile, { force: true })]);
    }
    await rm(out.scratch, { recursive: true, force: true });
    // The chunks' additions (soft edges, a shadow), summed as a local render sums its windows'.
    const added = chunkAdditions(Object.values(await job.getChildrenValues()));
    return result(take, {
      changed: true,
      explanation: grounding.explanation + describeAdditions(added, liteSettingsOf(probeInput).withShadow),
      takeFile: take.output.file,
      matteFile: out.matteFile ? take.output.matteFile! : null,
      params: grounding.params,
      chunks: chunks.length,
    });
  }

  async function runChunk(chunkJob: FarmChunkJob, ctx: RemovalContext): Promise<{ chunk: number; additions: FillAdditions }> {
    const take = chunkJob.take;
    const out = outputsOf(take);
    const grounding = JSON.parse(await readFile(join(out.scratch, 'grounding.json'), 'utf8').catch(() => {
      throw new LacunaError('MEDIA_NOT_FOUND', `the take's grounding is missing from ${out.scratch}`, 'Is the shared storage mounted on this worker as on the others (path maps)?');
    })) as MatchedGrounding;
    const input = await localInput(take, ctx.signal, ctx.ffmpeg, out);
    const chunks = liteChunks(input, take.chunkWindows);
    const chunk = chunks[chunkJob.chunk];
    if (!chunk || chunk.windows.join() !== chunkJob.windows.join()) throw new LacunaError('BAD_ARGUMENT', `chunk ${chunkJob.chunk} does not match the take's window plan`);
    const additions = await renderLiteChunk(lite, input, grounding, { takeId: take.takeId, chunks, chunk: chunk.index, file: chunkFile(out.scratch, chunk.index) }, ctx);
    return { chunk: chunk.index, additions };
  }

  async function process(resource: ResourceClass, job: Job, token: string | undefined, signal: AbortSignal | undefined): Promise<unknown> {
    if (job.name !== 'take' && job.name !== 'chunk') throw new UnrecoverableError(`refused a job named "${job.name}": this worker runs only removals and transcodes`);
    let payload: FarmTakeJob | FarmChunkJob;
    try {
      payload = job.name === 'take' ? parsePayload(FarmTakeJobSchema, job.data, 'farm take') : parsePayload(FarmChunkJobSchema, job.data, 'farm chunk');
    } catch (e) {
      throw new UnrecoverableError(failureText(e));
    }
    const take = 'take' in payload ? payload.take : payload;
    if (await isCancelled(take.takeId)) throw new UnrecoverableError(CANCELLED);
    active.set(job.id!, { takeId: take.takeId, queue: resource });
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    log({ type: 'started', jobId: job.id!, name: job.name, label: take.label });
    try {
      const ctx = context(job, abort.signal);
      let value: unknown;
      if ('take' in payload) value = await runChunk(payload, ctx);
      else if (payload.kind === 'transcode') value = await runTranscode(job, payload, ctx);
      else {
        const engine = await engineForTake(engines, payload, options.name);
        value = engine.id === 'lite' && 'fillWindows' in engine ? await runSplit(job, token!, payload, ctx) : await runWhole(payload, engine, ctx);
      }
      log({ type: 'finished', jobId: job.id!, name: job.name });
      return value;
    } catch (e) {
      if (e instanceof WaitingChildrenError) throw e;
      if (shuttingDown && abort.signal.aborted) {
        // Back on the queue, as if never started here; another worker (or this one, restarted) runs it.
        await job.moveToWait(token).catch(() => {});
        log({ type: 'requeued', jobId: job.id! });
        throw new WaitingError();
      }
      if (abort.signal.aborted || (await isCancelled(take.takeId).catch(() => false))) throw new UnrecoverableError(CANCELLED);
      const text = failureText(e);
      // A request that cannot be right is not retried; anything else may be the storage or the machine.
      const final = e instanceof UnrecoverableError || (isLacunaError(e) && (e.code === 'BAD_ARGUMENT' || e.code === 'UNSUPPORTED'));
      log({ type: 'failed', jobId: job.id!, name: job.name, error: text, final });
      throw final ? new UnrecoverableError(text) : new Error(text);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      active.delete(job.id!);
    }
  }

  for (const resource of options.resources) {
    const worker = new Worker(queueName(resource), (job, token, signal) => process(resource, job, token, signal), {
      connection: bullConnection(options.connection),
      prefix,
      name: options.name,
      concurrency: options.concurrency ?? 1,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      lockDuration: options.lockDurationMs ?? 120_000,
      maxStalledCount: options.maxStalledCount ?? 2,
    });
    worker.on('error', (e) => log({ type: 'error', error: e.message }));
    workers.push(worker);
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));

  // Cancel: stop this take's running jobs here at once (each stops within a frame or step).
  await subscriber.subscribe(cancelChannel(prefix));
  subscriber.on('message', (_channel, takeId: string) => {
    for (const [jobId, a] of active) {
      if (a.takeId !== takeId) continue;
      for (const w of workers) w.cancelJob(jobId, CANCELLED);
    }
  });

  const heartbeat = async () => {
    const info = { name: options.name, host: hostname(), pid: globalThis.process.pid, resources: options.resources, concurrency: options.concurrency ?? 1, active: [...active.keys()], seen: Date.now() };
    await redis.hset(workersKey(prefix), options.name, JSON.stringify(info)).catch(() => {});
  };
  await heartbeat();
  const beat = setInterval(() => void heartbeat(), options.heartbeatMs ?? 5000);
  log({ type: 'ready', queues: options.resources.map(queueName) });

  return {
    name: options.name,
    async close() {
      shuttingDown = true;
      clearInterval(beat);
      for (const w of workers) w.cancelAllJobs(SHUTDOWN);
      await Promise.all(workers.map((w) => w.close()));
      await redis.hdel(workersKey(prefix), options.name).catch(() => {});
      await Promise.all([...queues.values()].map((q) => q.close()));
      subscriber.disconnect();
      redis.disconnect();
    },
  };
}

/** A chunk's file in the take's scratch folder, named by the chunk (the same name every time it is rendered). */
export function chunkFile(scratch: string, chunk: number): string {
  return join(scratch, `chunk-${String(chunk).padStart(4, '0')}.lfc`);
}

/** ioredis options as BullMQ takes them (its own type for them is looser than ioredis'). */
export function bullConnection(options: RedisOptions): ConnectionOptions {
  return options as unknown as ConnectionOptions;
}
