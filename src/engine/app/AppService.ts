import { mkdir } from 'node:fs/promises';
import type { EmitEvent, EngineHandlers } from '../../api/contract';
import type { HostDto } from '../../api/schemas/app';
import { locateFfmpeg, type LocateOptions } from '../media/ffmpegLocator';
import { probeMedia } from '../media/probe';
import { appendClip } from './clipPlacement';
import { ffmpegStatus } from './ffmpegStatus';
import { JobsController } from './jobsController';
import { importMedia } from './mediaImport';
import type { RemovalEngine } from '../removal/removalEngine';
import { ProjectSession } from './projectSession';
import { TimelineInterchange } from './timelineInterchange';

export interface AppServiceOptions {
  host: HostDto;
  appName: string;
  appVersion: string;
  /** Runtime versions shown in About and bug reports (electron, chrome, node). */
  versions: Record<string, string>;
  /** The app's own folder: job journal, renders of never-saved projects. */
  dataDir: string;
  /** Folder with ffmpeg/ffprobe shipped with the app (packaged Electron: resources/ffmpeg). */
  ffmpegBundledDir?: string;
  emit: EmitEvent;
  log?: (message: string, error?: unknown) => void;
  /** Removal engines installed, preferred first (see engine/removal/installedEngines.ts). */
  engines?: readonly RemovalEngine[];
}

/**
 * The engine as the UI sees it: every contract call (src/api/contract.ts) implemented over the
 * project model, media probing and the job queue, with no Electron in sight. The Electron main
 * process and the HTTP bridge both host one, and tests drive it directly.
 */
export class AppService {
  readonly handlers: EngineHandlers;
  readonly #session: ProjectSession;
  readonly #jobs: JobsController;
  readonly #ffmpeg: LocateOptions;
  #disposed = false;

  private constructor(
    private readonly options: AppServiceOptions,
    jobs: (session: ProjectSession) => JobsController,
  ) {
    this.#ffmpeg = { bundledDir: options.ffmpegBundledDir };
    this.#session = new ProjectSession((project) => options.emit('project.changed', project));
    this.#jobs = jobs(this.#session);
    this.handlers = this.#buildHandlers();
  }

  static async create(options: AppServiceOptions): Promise<AppService> {
    await mkdir(options.dataDir, { recursive: true });
    const ffmpeg = { bundledDir: options.ffmpegBundledDir };
    const jobs = await JobsController.create({
      dataDir: options.dataDir,
      ffmpeg: () => locateFfmpeg(ffmpeg),
      emit: options.emit,
      log: options.log,
      engines: options.engines,
    });
    return new AppService(options, (session) => jobs.attach(session));
  }

  /** Whether the media endpoint may serve `path`: only files of the open project. */
  canServe(path: string): boolean {
    return this.#session.paths().has(path);
  }

  ffmpegPath(): string {
    return locateFfmpeg(this.#ffmpeg).ffmpeg;
  }

  /** The open project when it has unsaved changes (the close guard asks), else null. */
  unsavedProject(): { name: string; path: string | null } | null {
    const p = this.#session.current;
    return p?.dirty ? { name: p.doc.name, path: p.path } : null;
  }

  activeJobCount(): number {
    return this.#jobs.activeCount();
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Cancels running jobs and waits for them to clean up (quit). */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#jobs.dispose();
  }

  #buildHandlers(): EngineHandlers {
    const session = this.#session;
    const o = this.options;
    const timelines = new TimelineInterchange(session, () => locateFfmpeg(this.#ffmpeg));
    const edit = <T>(fn: (p: ReturnType<ProjectSession['require']>) => T) => {
      fn(session.require());
      return session.view()!;
    };
    return {
      'app.info': async () => ({
        name: o.appName,
        version: o.appVersion,
        platform: `${process.platform}-${process.arch}`,
        host: o.host,
        versions: o.versions,
      }),
      'ffmpeg.status': () => ffmpegStatus(this.#ffmpeg),

      'project.get': async () => session.view(),
      'project.new': async ({ name, discardChanges }) => session.newProject(name, discardChanges),
      'project.open': async ({ path, discardChanges }) => {
        const view = await session.open(path, discardChanges);
        this.#jobs.projectOpened();
        return view;
      },
      'project.save': () => session.save(),
      'project.saveAs': ({ path }) => session.saveAs(path),
      'project.close': async ({ discardChanges }) => session.close(discardChanges),
      'project.undo': async () => edit((p) => p.undo()),
      'project.redo': async () => edit((p) => p.redo()),

      'media.import': async ({ paths }) => {
        const project = session.require();
        const probe = (path: string) => probeMedia(path);
        const { imported, failed } = await importMedia(project, paths, probe);
        session.markOnline(imported.map((m) => m.id));
        const view = session.view()!;
        return { project: view, imported: view.media.filter((m) => imported.some((i) => i.id === m.id)), failed };
      },
      'clip.add': async ({ mediaId, sequenceId }) => edit((p) => appendClip(p, mediaId, sequenceId)),
      'clip.remove': async ({ clipId }) => edit((p) => p.removeClip(clipId)),
      'take.setActive': async ({ clipId, takeId }) => edit((p) => p.setActiveTake(clipId, takeId)),
      'take.delete': async ({ clipId, takeId }) => edit((p) => p.deleteTake(clipId, takeId)),

      'timeline.export': (input) => timelines.export(input),
      'timeline.import': (input) => timelines.import(input),

      'jobs.kinds': async () => this.#jobs.kinds(),
      'jobs.list': async () => this.#jobs.list(),
      'jobs.submit': async (request) => this.#jobs.submit(request),
      'jobs.cancel': async ({ jobId }) => this.#jobs.cancel(jobId),
      'jobs.retry': async ({ jobId }) => this.#jobs.retry(jobId),
    };
  }
}
