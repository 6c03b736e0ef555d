import { randomBytes } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { LacunaError } from '../util/errors';
import { bullConnection, type FarmProgress } from './farmWorker';
import { FarmTakeJobSchema, FarmTakeResultSchema, parsePayload, type FarmTakeJob, type FarmTakeJobInput, type FarmTakeResult } from './payloads';
import { cancelChannel, cancelKey, chunkJobId, DEFAULT_PREFIX, queueName, RESOURCE_CLASSES, workersKey, type ResourceClass } from './queues';

/**
 * The submitting side of the farm: queue a take, follow it, cancel or retry it, list the farm's
 * takes and workers. Used by `lacuna farm …` and by the app (its Jobs panel shows farm takes).
 */

export type FarmTakeState = 'queued' | 'running' | 'rendering chunks' | 'done' | 'failed' | 'cancelled';

export interface FarmChunkStatus {
  index: number;
  state: 'queued' | 'running' | 'done' | 'failed';
  worker: string | null;
  progress: number | null;
  attempts: number;
  error: string | null;
}

export interface FarmTakeStatus {
  takeId: string;
  label: string;
  kind: FarmTakeJob['kind'];
  engine: string | null;
  queue: ResourceClass;
  state: FarmTakeState;
  /** 0..1 over the whole take (finding objects, chunks, join), null before it starts. */
  progress: number | null;
  /** What it is doing, in words ("finding objects", "3 of 8 chunks", "joining"). */
  message: string | null;
  /** The worker running the take's own step (find, join, whole render), if any now. */
  worker: string | null;
  chunks: FarmChunkStatus[];
  /** Tries so far of the take's own job. */
  attempts: number;
  maxAttempts: number;
  /** Why it failed, as the worker said it ("[MEDIA_UNREADABLE] …"). */
  error: string | null;
  result: FarmTakeResult | null;
  target: FarmTakeJob['target'];
  submittedBy: string;
  createdAt: string;
  finishedAt: string | null;
}

export interface FarmWorkerStatus {
  name: string;
  host: string;
  resources: ResourceClass[];
  concurrency: number;
  active: string[];
  /** Seconds since its last heartbeat. */
  lastSeenSeconds: number;
}

export interface SubmitOptions {
  resource: ResourceClass;
  /** Tries per job (the take's own and each chunk's) before it fails with its error. */
  attempts?: number;
  /** Milliseconds between tries. */
  backoffMs?: number;
}

/** The resource class a take needs: LGVI (and any engine but Lite) the GPU, Lite and transcodes the CPU. */
export function resourceFor(kind: 'remove' | 'transcode', engine?: string): ResourceClass {
  return kind === 'transcode' || engine === 'lite' ? 'cpu' : 'gpu';
}

export function newTakeId(): string {
  return `t${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

function progressOf(job: Job): FarmProgress | null {
  const p = job.progress as unknown;
  return p && typeof p === 'object' && 'total' in p ? (p as FarmProgress) : null;
}

function fraction(p: FarmProgress | null): number | null {
  return p && p.total > 0 ? Math.min(1, p.done / p.total) : null;
}

export class FarmClient {
  private readonly queues = new Map<ResourceClass, Queue>();
  private readonly redis: Redis;
  private constructor(
    connection: RedisOptions,
    readonly prefix: string,
  ) {
    for (const r of RESOURCE_CLASSES) {
      const queue = new Queue(queueName(r), { connection: bullConnection(connection), prefix });
      // Connection errors (Redis restarting) are retried by the connection; calls wait for it.
      queue.on('error', () => {});
      this.queues.set(r, queue);
    }
    this.redis = new Redis({ ...connection, maxRetriesPerRequest: 3 });
    this.redis.on('error', () => {});
  }

  /** Connects, and fails with a clear error if Redis cannot be reached (or refuses the password). */
  static async connect(connection: RedisOptions, prefix = DEFAULT_PREFIX): Promise<FarmClient> {
    const client = new FarmClient({ ...connection, retryStrategy: () => null, lazyConnect: true }, prefix);
    try {
      await client.redis.connect();
      await client.redis.ping();
    } catch (e) {
      await client.close();
      const text = (e as Error).message;
      const auth = /NOAUTH|WRONGPASS|invalid password|AUTH/i.test(text);
      throw new LacunaError(
        'UNSUPPORTED',
        `cannot reach the farm's Redis at ${connection.host}:${connection.port}: ${text}`,
        auth ? 'Check the user and password (--redis-password-file or LACUNA_REDIS_PASSWORD).' : 'Is redis-server running there, and the port open to this machine?',
      );
    }
    await client.close();
    return new FarmClient(connection, prefix);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => {})));
    this.redis.disconnect();
  }

  async submit(take: FarmTakeJobInput, options: SubmitOptions): Promise<FarmTakeJob> {
    const data = parsePayload(FarmTakeJobSchema, take, 'farm take');
    await this.queue(options.resource).add('take', data, {
      jobId: data.takeId,
      attempts: options.attempts ?? 3,
      backoff: { type: 'fixed', delay: options.backoffMs ?? 2000 },
    });
    return data;
  }

  private queue(r: ResourceClass): Queue {
    return this.queues.get(r)!;
  }

  private async findTake(takeId: string): Promise<{ job: Job; queue: ResourceClass } | null> {
    for (const r of RESOURCE_CLASSES) {
      const job = await this.queue(r).getJob(takeId);
      if (job && job.name === 'take') return { job, queue: r };
    }
    return null;
  }

  private async chunksOf(takeId: string, count: number): Promise<FarmChunkStatus[]> {
    const out: FarmChunkStatus[] = [];
    for (let i = 0; i < count; i++) {
      const read = await this.queue('cpu').getJob(chunkJobId(takeId, i));
      if (!read) break;
      const state = await read.getState();
      const job = await this.finishedJob(read, state, 'cpu');
      const p = progressOf(job);
      out.push({
        index: i,
        state: state === 'completed' ? 'done' : state === 'failed' ? 'failed' : state === 'active' ? 'running' : 'queued',
        worker: state === 'active' ? (job.processedBy ?? p?.worker ?? null) : state === 'completed' ? (job.processedBy ?? null) : null,
        progress: state === 'completed' ? 1 : fraction(p),
        attempts: job.attemptsMade,
        error: job.failedReason || null,
      });
    }
    return out;
  }

  /**
   * The job as stored once it has finished: a job read just before it completed or failed lacks
   * its result, error and last attempt, which the state (read after it) already reports.
   */
  private async finishedJob(job: Job, state: string, queue: ResourceClass): Promise<Job> {
    if (state !== 'completed' && state !== 'failed') return job;
    return (await this.queue(queue).getJob(job.id!)) ?? job;
  }

  private async describe(read: Job, queue: ResourceClass): Promise<FarmTakeStatus> {
    const data = read.data as FarmTakeJob;
    const state = await read.getState();
    const job = await this.finishedJob(read, state, queue);
    const cancelled = (await this.redis.exists(cancelKey(this.prefix, data.takeId))) === 1;
    const deps = await job.getDependenciesCount().catch(() => ({ processed: 0, unprocessed: 0, failed: 0, ignored: 0 }));
    const chunkCount = (deps.processed ?? 0) + (deps.unprocessed ?? 0) + (deps.failed ?? 0) + (deps.ignored ?? 0);
    const chunks = chunkCount ? await this.chunksOf(data.takeId, chunkCount) : [];
    const p = progressOf(job);
    const done = chunks.filter((c) => c.state === 'done').length;
    let result: FarmTakeResult | null = null;
    if (state === 'completed') {
      result = parsePayload(FarmTakeResultSchema, job.returnvalue, 'farm take result');
    }
    const failedChunk = chunks.find((c) => c.state === 'failed');
    const takeState: FarmTakeState =
      state === 'completed' ? 'done'
      : cancelled ? 'cancelled'
      : state === 'failed' ? 'failed'
      : state === 'waiting-children' ? 'rendering chunks'
      : state === 'active' ? 'running'
      : 'queued';
    let progress: number | null = null;
    let message: string | null = null;
    if (takeState === 'done') {
      progress = 1;
    } else if (state === 'waiting-children' || (chunks.length && done === chunks.length && state !== 'active')) {
      const part = chunks.reduce((s, c) => s + (c.progress ?? 0), 0) / Math.max(1, chunks.length);
      progress = 0.2 + 0.7 * part;
      message = `${done} of ${chunks.length} chunks`;
    } else if (state === 'active' && p) {
      const f = fraction(p) ?? 0;
      if (p.stage === 'joining') progress = 0.9 + 0.1 * f;
      else if (chunkCount) progress = 0.2 + 0.7 * (done / chunkCount);
      else progress = data.kind === 'remove' && data.engine === 'lite' ? 0.2 * f : f;
      message = p.stage;
    }
    // A take failed by a chunk says the chunk's own error.
    const error = takeState === 'failed' ? (failedChunk?.error ? `chunk ${failedChunk.index}: ${failedChunk.error}` : job.failedReason || 'failed') : null;
    return {
      takeId: data.takeId,
      label: data.label,
      kind: data.kind,
      engine: data.kind === 'remove' ? data.engine : null,
      queue,
      state: takeState,
      progress,
      message,
      worker: state === 'active' ? (job.processedBy ?? p?.worker ?? null) : null,
      chunks,
      attempts: job.attemptsMade,
      maxAttempts: job.opts.attempts ?? 1,
      error,
      result,
      target: data.target,
      submittedBy: data.submittedBy,
      createdAt: new Date(job.timestamp).toISOString(),
      finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    };
  }

  async status(takeId: string): Promise<FarmTakeStatus> {
    const found = await this.findTake(takeId);
    if (!found) throw new LacunaError('NOT_FOUND', `no take "${takeId}" on the farm`, 'Run `lacuna farm status` to list them.');
    return this.describe(found.job, found.queue);
  }

  /** The farm's takes, newest first (at most `limit`). */
  async list(limit = 200): Promise<FarmTakeStatus[]> {
    const out: FarmTakeStatus[] = [];
    for (const r of RESOURCE_CLASSES) {
      const jobs = await this.queue(r).getJobs(['active', 'waiting', 'waiting-children', 'delayed', 'prioritized', 'completed', 'failed'], 0, limit);
      for (const job of jobs) if (job?.name === 'take') out.push(await this.describe(job, r));
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
  }

  async workers(staleSeconds = 60): Promise<FarmWorkerStatus[]> {
    const all = await this.redis.hgetall(workersKey(this.prefix));
    const now = Date.now();
    return Object.values(all)
      .map((text) => JSON.parse(text) as { name: string; host: string; resources: ResourceClass[]; concurrency: number; active: string[]; seen: number })
      .map((w) => ({ name: w.name, host: w.host, resources: w.resources, concurrency: w.concurrency, active: w.active, lastSeenSeconds: Math.round((now - w.seen) / 1000) }))
      .filter((w) => w.lastSeenSeconds <= staleSeconds)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Cancels a take: workers running any of its jobs stop within a frame or step, and its jobs not
   * yet started fail as cancelled when a worker reaches them. Nothing it wrote is kept as a take.
   */
  async cancel(takeId: string): Promise<FarmTakeStatus> {
    const status = await this.status(takeId);
    if (status.state === 'done') throw new LacunaError('BAD_ARGUMENT', `take ${takeId} is already done`, 'Delete the take in the project instead.');
    await this.redis.set(cancelKey(this.prefix, takeId), '1', 'EX', 30 * 24 * 3600);
    await this.redis.publish(cancelChannel(this.prefix), takeId);
    return this.status(takeId);
  }

  /** Queues a failed or cancelled take again (chunks already rendered are reused). */
  async retry(takeId: string): Promise<FarmTakeStatus> {
    const found = await this.findTake(takeId);
    if (!found) throw new LacunaError('NOT_FOUND', `no take "${takeId}" on the farm`);
    const status = await this.describe(found.job, found.queue);
    if (status.state !== 'failed' && status.state !== 'cancelled') {
      throw new LacunaError('BAD_ARGUMENT', `take ${takeId} is ${status.state}`, 'Only a failed or cancelled take can be retried.');
    }
    if ((await found.job.getState()) !== 'failed') {
      throw new LacunaError('BAD_ARGUMENT', `take ${takeId} is still stopping`, 'Wait until `lacuna farm status` shows it failed or cancelled, then retry.');
    }
    const { data, opts } = found.job;
    await this.redis.del(cancelKey(this.prefix, takeId));
    for (const c of status.chunks) await this.queue('cpu').remove(chunkJobId(takeId, c.index));
    await found.job.remove({ removeChildren: true });
    await this.queue(found.queue).add('take', data, { jobId: takeId, attempts: opts.attempts, backoff: opts.backoff });
    return this.status(takeId);
  }

  /**
   * Waits until the take is done, failed or cancelled, calling `onStatus` as it moves; polls, so it
   * rides out a Redis restart (it waits for Redis to come back).
   */
  async waitFor(takeId: string, options: { signal?: AbortSignal; onStatus?: (s: FarmTakeStatus) => void; pollMs?: number } = {}): Promise<FarmTakeStatus> {
    for (;;) {
      if (options.signal?.aborted) throw new LacunaError('CANCELLED', 'stopped waiting for the farm');
      let status: FarmTakeStatus | null = null;
      try {
        status = await this.status(takeId);
      } catch (e) {
        if (e instanceof LacunaError) throw e;
        // Redis away (restarting): try again.
      }
      if (status) {
        options.onStatus?.(status);
        if (status.state === 'done' || status.state === 'failed' || (status.state === 'cancelled' && (await this.settled(takeId)))) return status;
      }
      await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
    }
  }

  /** A cancelled take has stopped once none of its jobs runs any more. */
  private async settled(takeId: string): Promise<boolean> {
    const found = await this.findTake(takeId);
    if (!found) return true;
    const state = await found.job.getState();
    if (state === 'failed') return true;
    const status = await this.describe(found.job, found.queue);
    return state !== 'active' && status.chunks.every((c) => c.state !== 'running');
  }
}
