import type { FarmStatusDto, FarmTakeDto } from '../../api/schemas/farm';
import type { JobDto, JobRequestDto } from '../../api/schemas/jobs';
import { FarmClient, type FarmTakeStatus } from '../farm/farmClient';
import { collectInto } from '../farm/farmCollect';
import { farmEngineOf, submitFarmRemoval } from '../farm/farmSubmit';
import { redisOptions, safeRedisUrl, type FarmRedisConfig } from '../farm/redisConnection';
import { probeMedia } from '../media/probe';
import type { Project } from '../project';
import type { RemovalEngine } from '../removal/removalEngine';
import { isLacunaError, LacunaError } from '../util/errors';

/**
 * The app's side of the render farm: the Remove dialog's "Run on: farm" submits here, the Jobs
 * panel lists farm takes here, and finished ones are added to the open project on request
 * (farm.collect), each as a take of its clip, one undo step, as a local job's. The farm is set
 * up by LACUNA_REDIS_URL (and LACUNA_REDIS_PASSWORD) or the host's `farm` option.
 */
export class AppFarm {
  #client: Promise<FarmClient> | null = null;

  constructor(
    private readonly config: FarmRedisConfig | null,
    private readonly dataDir: string,
  ) {}

  static fromEnv(env: NodeJS.ProcessEnv, dataDir: string, config?: FarmRedisConfig): AppFarm {
    return new AppFarm(config ?? (env.LACUNA_REDIS_URL ? { url: env.LACUNA_REDIS_URL } : null), dataDir);
  }

  private client(): Promise<FarmClient> {
    if (!this.config) {
      return Promise.reject(new LacunaError('UNSUPPORTED', 'No render farm is set up', 'Set LACUNA_REDIS_URL to the farm’s Redis (redis://host:6379) and start Lacuna again; see the README’s “Render farm”.'));
    }
    this.#client ??= FarmClient.connect(redisOptions(this.config)).catch((e) => {
      this.#client = null;
      throw e;
    });
    return this.#client;
  }

  async status(): Promise<FarmStatusDto> {
    if (!this.config) return { configured: false, redis: null, reachable: false, error: null, workers: [] };
    const redis = safeRedisUrl(this.config.url);
    try {
      const workers = await (await this.client()).workers();
      return { configured: true, redis, reachable: true, error: null, workers };
    } catch (e) {
      return { configured: true, redis, reachable: false, error: isLacunaError(e) ? e.message : String(e), workers: [] };
    }
  }

  async list(project: Project | null): Promise<FarmTakeDto[]> {
    const all = await (await this.client()).list();
    const mine = (s: FarmTakeStatus) => Boolean(project && s.target?.projectId === project.doc.id);
    return [...all.filter(mine), ...all.filter((s) => !mine(s))].map((s) => toFarmTakeDto(s, project));
  }

  async submit(project: Project, request: Extract<JobRequestDto, { kind: 'remove' }>, engine: RemovalEngine): Promise<JobDto> {
    // The farm's chunks read the clip's active take over its in/out, by words.
    const local = [request.matte && 'a matte', request.range && request.range.kind !== 'clip' && 'another range', request.startFrom === 'original' && 'the original'].filter(Boolean);
    if (local.length) {
      throw new LacunaError('UNSUPPORTED', `The farm renders the clip's own range from its active take, by words; it cannot take ${local.join(' or ')}`, 'Choose Run on: this machine.');
    }
    const take = await submitFarmRemoval(
      await this.client(),
      project,
      {
        clipId: request.clipId,
        ...(await farmEngineOf(engine)),
        target: { kind: 'expression', text: request.expression, ...(request.tracks && { tracks: request.tracks }) },
        // AppService fills in the settings' render codec when the request names none.
        codec: request.codec ?? 'prores_hq',
        settings: { seed: request.seed ?? 0, maskDilate: request.maskDilate ?? 8, maskFeather: request.maskFeather ?? 2, fullFrame: false, engine: request.engineSettings ?? {} },
        writeMatte: true,
        what: request.expression,
      },
      this.dataDir,
    );
    return {
      id: take.takeId,
      kind: engine.id,
      label: `${take.label} · farm`,
      state: 'queued',
      progress: null,
      etaSeconds: null,
      message: 'queued on the farm',
      error: null,
      clipId: request.clipId,
      resultTakeId: null,
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
    } as JobDto;
  }

  async cancel(takeId: string, project: Project | null): Promise<FarmTakeDto> {
    return toFarmTakeDto(await (await this.client()).cancel(takeId), project);
  }

  async retry(takeId: string, project: Project | null): Promise<FarmTakeDto> {
    return toFarmTakeDto(await (await this.client()).retry(takeId), project);
  }

  /** Adds the open project's finished farm takes (not already in it) to their clips. */
  async collect(project: Project): Promise<number> {
    const statuses = await (await this.client()).list(1000);
    const outcome = await collectInto(project, statuses, (path, signal) => probeMedia(path, { signal }));
    return outcome.added.length;
  }

  async dispose(): Promise<void> {
    const c = this.#client;
    this.#client = null;
    if (c) await (await c.catch(() => null))?.close();
  }
}

export function toFarmTakeDto(s: FarmTakeStatus, project: Project | null): FarmTakeDto {
  const ours = Boolean(project && s.target?.projectId === project.doc.id);
  const clip = ours && s.target ? project!.locateClip(s.target.clipId)?.clip : undefined;
  const take = clip?.takes.find((t) => 'jobId' in t && t.jobId === s.takeId);
  return {
    takeId: s.takeId,
    label: s.label,
    state: s.state,
    progress: s.progress,
    message: s.message,
    worker: s.worker,
    chunks: s.chunks.map((c) => ({ index: c.index, state: c.state, worker: c.worker, progress: c.progress })),
    error: s.error,
    clipId: ours ? (s.target?.clipId ?? null) : null,
    resultTakeId: take?.id ?? null,
    file: s.result?.takeFile ?? null,
    submittedBy: s.submittedBy,
    createdAt: s.createdAt,
    finishedAt: s.finishedAt,
  };
}
