import type { EmitEvent } from '../../api/contract';
import { ApiErrorCodeSchema, type ApiErrorShape } from '../../api/errors';
import type { DeliveryCodecDto, JobDto, JobKindDto, JobProgressDto, JobRequestDto } from '../../api/schemas/jobs';
import { JobQueue, type CompletionOutcome, type DeliveredResult, type JobRecord } from '../jobs';
import { installedJobKinds } from '../jobs/kinds';
import type { RemovalTargetParams } from '../jobs/kinds/removal';
import { ProgressThrottle } from '../jobs/progressThrottle';
import { retryOutput, submitClipJob } from '../jobs/clipJob';
import { writeTakeBack, type ProbeFile } from '../jobs/takeWriteBack';
import { CODEC_PROFILES } from '../media/deliveryCodecs';
import type { FfmpegPaths } from '../media/ffmpegLocator';
import { probeMedia } from '../media/probe';
import { LacunaError } from '../util/errors';
import type { BoundBox, RemovalEngine } from '../removal/removalEngine';
import type { MatteFileDto } from '../../api/schemas/removalPlan';
import { resolve } from 'node:path';
import { guiWording } from './guiWording';
import { removalSource, type RemovalSource } from './removalSource';
import type { ProjectSession } from './projectSession';

export interface JobsControllerOptions {
  /** The app's own folder: the job journal, and renders of never-saved projects. */
  dataDir: string;
  ffmpeg: () => FfmpegPaths;
  emit: EmitEvent;
  log?: (message: string, error?: unknown) => void;
  /** CPU-bound jobs at once (default: half the cores). */
  cpuSlots?: number;
  /** The removal engines installed, preferred first (LGVI when a pack is installed, then Lite). */
  engines?: readonly RemovalEngine[];
  /** The app settings' defaults for requests that name none (appSettings.ts); default: the first engine, ProRes, the data folder. */
  defaults?: () => RemovalDefaults;
}

export interface RemovalDefaults {
  engine: string | null;
  codec: DeliveryCodecDto;
  /** Where never-saved projects' renders go, or null for the data folder's. */
  rendersDir: string | null;
}

/** A 'jobs.progress' event at most this often per job. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * The job queue as the app's API presents it: requests (src/api/schemas/jobs.ts) become queue
 * submissions aimed at a clip of the open project, queue records become JobDtos, queue events
 * become 'jobs.state' and (throttled) 'jobs.progress', and finished results are added to the
 * project they were queued for. All the job machinery lives in src/engine/jobs, which needs no
 * project session, so the CLI and render-farm workers drive the same queue without this.
 */
export class JobsController {
  #session: ProjectSession | null = null;
  readonly #throttle: ProgressThrottle<JobProgressDto>;
  readonly #finds = new Map<string, FindPreview>();
  readonly #probe: ProbeFile;
  #queue!: JobQueue;
  #engines: readonly RemovalEngine[];

  private constructor(private readonly options: JobsControllerOptions) {
    this.#throttle = new ProgressThrottle((p) => options.emit('jobs.progress', p), PROGRESS_INTERVAL_MS);
    this.#probe = (path, signal) => probeMedia(path, { ffmpeg: options.ffmpeg(), signal });
    this.#engines = options.engines ?? [];
  }

  /** The removal engines changed (a model pack was added or removed): new requests use these. */
  setEngines(engines: readonly RemovalEngine[]): void {
    this.#engines = engines;
    this.#queue.registerKinds(installedJobKinds(engines));
  }

  get engines(): readonly RemovalEngine[] {
    return this.#engines;
  }

  static async create(options: JobsControllerOptions): Promise<JobsController> {
    const controller = new JobsController(options);
    controller.#queue = await JobQueue.open({
      dataDir: options.dataDir,
      kinds: installedJobKinds(options.engines),
      ffmpeg: options.ffmpeg,
      cpuSlots: options.cpuSlots,
      log: options.log,
      complete: (job, result) => controller.#addResult(job, result),
    });
    controller.#queue.on((event) => {
      if (event.type === 'progress') {
        controller.#throttle.push(event.job.id, toJobProgressDto(event.job));
      } else {
        controller.#throttle.drop(event.job.id);
        options.emit('jobs.state', toJobDto(event.job));
      }
    });
    return controller;
  }

  /** The queue itself, for callers that need more than the API offers. */
  get queue(): JobQueue {
    return this.#queue;
  }

  /** Connects the app's open project: results go into it, and requests refer to its clips. */
  attach(session: ProjectSession): JobsController {
    this.#session = session;
    return this;
  }

  /**
   * A project was opened: results of its jobs that finished while it was closed (or while the
   * app was not running) are added to it now, each as its own undo step.
   */
  projectOpened(): void {
    void this.#addPendingResults().catch((e) => this.options.log?.('could not add finished job results to the opened project', e));
  }

  async #addPendingResults(): Promise<void> {
    const project = this.#session?.current;
    if (!project) return;
    const pending = this.#queue
      .list()
      .filter((j) => j.state === 'done' && j.result && !j.resultTakeId && j.target?.projectId === project.doc.id);
    for (const job of pending) {
      const outcome = await this.#addResult(job, job.result!).catch((e: Error) => ({
        note: `The render is kept at ${job.result!.takeFile}, but it could not be added to the project: ${e.message}`,
      }));
      this.#queue.recordOutcome(job.id, outcome);
    }
  }

  async #addResult(job: Readonly<JobRecord>, result: DeliveredResult): Promise<CompletionOutcome> {
    const { mediaIds, ...outcome } = await writeTakeBack(job, result, () => this.#session?.current ?? null, this.#probe);
    this.#session?.markOnline(mediaIds);
    return outcome;
  }

  /**
   * The kinds offered now: those of the installed engines (a pack's removed engine stays in the
   * queue, so its queued jobs run, but is not offered), the settings' default engine first among
   * the removal kinds, since the Remove dialog preselects the first.
   */
  kinds(): JobKindDto[] {
    const fallback = this.#defaults().engine;
    const offered = installedJobKinds(this.#engines).sort((a, b) => Number(b.id === fallback) - Number(a.id === fallback));
    return offered.map((k) => ({ kind: k.id, label: k.label, category: k.category, description: k.description }));
  }

  list(): JobDto[] {
    return this.#queue.list().map(toJobDto);
  }

  submit(request: JobRequestDto): JobDto {
    if (request.kind === 'remove') return toJobDto(this.#submitRemoval(request));
    const session = this.#session;
    if (!session) throw new Error('JobsController.submit before attach(session)');
    const job = submitClipJob(this.#queue, session.require(), {
      kind: 'transcode',
      clipId: request.clipId,
      params: { codec: request.codec },
      what: `Transcode ${CODEC_PROFILES[request.codec].label}`,
      dataDir: this.options.dataDir,
      rendersDir: this.#defaults().rendersDir,
    });
    return toJobDto(job);
  }

  /**
   * A removal request checked as the dialog needs it before it is queued: the engine's own
   * settings against its defaults (a refused setting is a sentence, not a failed job later).
   */
  async submitChecked(request: JobRequestDto): Promise<JobDto> {
    if (request.kind === 'remove') {
      const engine = this.engineFor(request.engine, request.pack);
      await engine.settingsForm?.(removalEngineSettings(request));
    }
    return this.submit(request);
  }

  /** What a Find preview showed for a clip (removal.find): an engine without a Find of its own is bounded by its picks. */
  rememberFind(clipId: string, preview: FindPreview): void {
    this.#finds.set(clipId, preview);
  }

  #submitRemoval(request: Extract<JobRequestDto, { kind: 'remove' }>): JobRecord {
    const engines = this.#engines;
    if (!engines.length) {
      throw new LacunaError(
        'UNSUPPORTED',
        'No removal engine is installed',
        'Object removal needs a removal engine: the Lite engine ships with Lacuna, LGVI needs a model pack. Reinstall Lacuna, or install a pack.',
      );
    }
    const engine = this.engineFor(request.engine, request.pack);
    const defaults = this.#defaults();
    const session = this.#session;
    if (!session) throw new Error('JobsController.submit before attach(session)');
    const project = session.require();
    const source = removalSource(project, request.clipId, request.range, request.startFrom);
    const target = request.matte ? matteTarget(engine, request.matte) : (chatTargetFor(engine, request) ?? this.#expressionTarget(engine, request, source));
    const job = submitClipJob(this.#queue, project, {
      kind: engine.id,
      clipId: request.clipId,
      source: source.params,
      params: {
        target,
        codec: request.codec ?? defaults.codec,
        settings: {
          seed: request.seed ?? 0,
          // A matte is the user's own edge: not grown unless asked (as the CLI's --mask).
          maskDilate: request.maskDilate ?? (request.matte ? 0 : 8),
          maskFeather: request.maskFeather ?? 2,
          fullFrame: request.composite === 'full',
          engine: removalEngineSettings(request),
        },
        ...(request.conversation && { conversation: request.conversation }),
        // Which pack renders it (several LGVI packs are one job kind: removal.ts picks by this).
        ...(engine.packDir && { pack: engine.packDir }),
      },
      what: request.matte ? 'Remove by matte' : request.expression,
      dataDir: this.options.dataDir,
      rendersDir: defaults.rendersDir,
    });
    return job;
  }

  /** The words, with the picks of a Find preview: the engine's own tracks (Lite), or the picked objects' grown boxes bounding the composite (LGVI). */
  #expressionTarget(engine: RemovalEngine, request: Extract<JobRequestDto, { kind: 'remove' }>, source: RemovalSource): RemovalTargetParams {
    const base = { kind: 'expression' as const, text: request.expression };
    if (!request.tracks) return base;
    if (engine.find) return { ...base, tracks: request.tracks };
    if (request.composite === 'full') {
      throw new LacunaError(
        'BAD_ARGUMENT',
        'Full frame regenerates every pixel, so the picked objects cannot bound it',
        'Choose the union, mask head or difference composite, or clear the picks.',
      );
    }
    const preview = this.#finds.get(request.clipId);
    if (!preview || preview.takeId !== source.take.id || preview.rangeStart !== source.params.range.start || preview.frames !== source.params.range.end - source.params.range.start) {
      throw new LacunaError('BAD_ARGUMENT', 'The picked objects come from a Find on other frames or another take', 'Run Find again with this range and starting take, then pick the objects.');
    }
    const grow = (request.maskDilate ?? 8) + (request.maskFeather ?? 2);
    const bounds = growBoxes(preview.objects, request.tracks, grow);
    return { ...base, tracks: request.tracks, bounds };
  }

  /** The engine a request names (its pack, when several LGVI packs are installed), or the default one. */
  engineFor(id: string | undefined, pack: string | undefined): RemovalEngine {
    if (!pack) return this.engine(id);
    const engine = this.#engines.find((e) => (!id || e.id === id) && e.packDir && resolve(e.packDir) === resolve(pack));
    if (!engine) throw new LacunaError('NOT_FOUND', `No installed model pack is at ${pack}`, 'Add the pack in Settings, or choose another pack.');
    return engine;
  }

  /**
   * The removal engine a request names, or else the settings' default engine when installed (the
   * preferred installed one when not), or a GUI-worded refusal.
   */
  engine(id: string | undefined): RemovalEngine {
    const engines = this.#engines;
    const fallback = this.#defaults().engine;
    const engine = id ? engines.find((e) => e.id === id) : (engines.find((e) => e.id === fallback) ?? engines[0]);
    if (!engine) throw new LacunaError('UNSUPPORTED', id ? `the removal engine "${id}" is not installed` : 'No removal engine is installed', 'Choose another engine in the Remove dialog.');
    return engine;
  }

  #defaults(): RemovalDefaults {
    return this.options.defaults?.() ?? { engine: null, codec: 'prores_hq', rendersDir: null };
  }

  cancel(jobId: string): JobDto {
    return toJobDto(this.#queue.cancel(jobId));
  }

  retry(jobId: string): JobDto {
    const project = this.#session?.current;
    const output = project ? retryOutput(this.#queue, project, this.#queue.get(jobId)) : null;
    return toJobDto(this.#queue.retry(jobId, output ?? undefined));
  }

  activeCount(): number {
    return this.#queue.activeCount();
  }

  /** Stops running jobs, waits for their cleanup, and closes the journal (app quit). */
  async dispose(): Promise<void> {
    await this.#queue.dispose();
    this.#throttle.dispose();
  }
}

/** A Find preview as the controller keeps it, to bound an engine without a Find of its own by the picks. */
export interface FindPreview {
  takeId: string;
  /** The searched take's first frame and frame count (the render must read the same frames). */
  rangeStart: number;
  frames: number;
  objects: readonly { id: number; boxes: readonly ({ x: number; y: number; width: number; height: number } | null)[] }[];
}

/** Per frame, the picked objects' boxes grown by `grow` pixels on each side (frames where none is seen: none). */
export function growBoxes(objects: FindPreview['objects'], picked: readonly number[], grow: number): BoundBox[][] {
  const chosen = objects.filter((o) => picked.includes(o.id));
  const frames = Math.max(0, ...objects.map((o) => o.boxes.length));
  return Array.from({ length: frames }, (_, f) =>
    chosen.flatMap((o) => {
      const b = o.boxes[f];
      return b ? [{ x: b.x - grow, y: b.y - grow, width: b.width + 2 * grow, height: b.height + 2 * grow }] : [];
    }),
  );
}

/** The engine's own settings a request carries, with the composite where the engine has one (LGVI). */
export function removalEngineSettings(request: Extract<JobRequestDto, { kind: 'remove' }>): Record<string, unknown> {
  return { ...request.engineSettings, ...(request.composite && request.composite !== 'full' && { composite: request.composite }) };
}

function matteTarget(engine: RemovalEngine, matte: MatteFileDto): RemovalTargetParams {
  if (!engine.targets.includes('mask')) {
    throw new LacunaError('UNSUPPORTED', `${engine.label} removes by words, not by a matte`, 'Choose the Lite engine to remove exactly what the matte shows.');
  }
  return { kind: 'mask', matte: matte.path, ...(matte.fps && { fps: matte.fps }) };
}

/** A queue error as the API carries it; codes the API does not know are bugs (INTERNAL). */
function toErrorShape(error: NonNullable<JobRecord['error']>): ApiErrorShape {
  const code = ApiErrorCodeSchema.safeParse(error.code);
  const shape: ApiErrorShape = { code: code.success ? code.data : 'INTERNAL', message: error.message };
  if (error.hint) shape.hint = error.hint;
  return guiWording(shape);
}

/** The execution provider the job's render recorded (LGVI: its U-Net's; Lite: the CPU). */
function providerOf(job: JobRecord): string | null {
  const provider = job.result?.params.extra?.provider;
  return typeof provider === 'string' ? provider : null;
}

/** The API's job. An interrupted job carries an error saying why and whether Retry runs it again. */
export function toJobDto(job: JobRecord): JobDto {
  const running = job.state === 'running';
  return {
    id: job.id,
    kind: job.kind,
    label: job.label,
    state: job.state,
    progress: job.state === 'done' ? 1 : running || job.state === 'queued' ? job.progress : null,
    etaSeconds: running ? job.etaSeconds : null,
    message: running ? job.stage : (job.note ?? (job.warnings.length ? job.warnings.join('\n') : null)),
    units: running ? job.units : null,
    error: job.error && (job.state === 'failed' || job.state === 'interrupted') ? toErrorShape(job.error) : null,
    clipId: job.target?.clipId ?? null,
    projectId: job.target?.projectId ?? null,
    resultTakeId: job.resultTakeId,
    provider: providerOf(job),
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}

export function toJobProgressDto(job: JobRecord): JobProgressDto {
  return { jobId: job.id, progress: job.progress, etaSeconds: job.etaSeconds, message: job.stage, units: job.units };
}

/**
 * An engine that reads chats rather than descriptions (LGVI-I) removes by the conversation's last
 * request, with the turns before it: its own LLM answers again (seeded, the same answer) and guides
 * the model by it. Other engines take the instruction the chat settled on as their description.
 */
function chatTargetFor(engine: RemovalEngine, request: Extract<JobRequestDto, { kind: 'remove' }>): RemovalTargetParams | null {
  if (engine.targets.includes('expression') || !engine.targets.includes('chat')) return null;
  const conversation = request.conversation ?? [];
  const last = conversation.map((m) => m.role).lastIndexOf('user');
  if (last < 0) return { kind: 'chat', message: request.expression };
  const history = conversation.slice(0, last).map(({ role, text }) => ({ role, text }));
  return { kind: 'chat', message: conversation[last].text, ...(history.length && { history }) };
}
