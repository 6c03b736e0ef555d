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
import { clipChat } from './clipChat';
import { PreviewCache } from '../previews/previewCache';
import { thumbnailStrip } from '../previews/thumbnails';
import { WAVEFORM_RATE, waveform } from '../previews/waveform';
import { audioMixPlan, renderAudioMix } from '../previews/sequenceAudio';
import type { ServableMedia } from './media/mediaHandler';
import { mediaRate } from '../project/timing';
import { deleteClips, moveClips, placeMedia, splitClips, trimClipEdge } from '../timeline/edits';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { discardFiles, type DiscardReport, type TrashFn } from './discardFiles';
import { AUTOSAVE_INTERVAL_MS, findRecoveries, loadRecovery, removeAutosave, writeAutosave } from './autosave';
import { RecentProjects } from './recentProjects';
import { moveRendersBeside } from './moveRenders';
import { mediaSourceOf } from '../project/mediaSource';
import { LacunaError } from '../util/errors';
import { toApiErrorShape } from '../../api/errors';
import { withGuiWording } from './guiWording';
import { removalPlan } from './removalPlan';
import { removalSource } from './removalSource';
import { findEngineFor, findPreviewNote } from './findPolicy';
import { TimelineInterchange } from './timelineInterchange';
import { AppFarm } from './appFarm';
import type { FarmRedisConfig } from '../farm/redisConnection';
import { AppSettingsStore } from './appSettings';
import { ModelPacks, type ModelPacksOptions } from './modelPacks';
import { settingsHandlers } from './settingsHandlers';

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
  /** How often unsaved changes are written to the autosave side file (default 2 minutes). */
  autosaveIntervalMs?: number;
  /** The render farm's Redis (default: LACUNA_REDIS_URL); none: "Run on: farm" is unavailable. */
  farm?: FarmRedisConfig;
  /** Models folders searched for LGVI packs (bundled, the user's); packs added in Settings come on top. */
  modelRoots?: readonly string[];
  /** Moves deleted takes' files to the trash (default: the OS trash, through the `trash` package). */
  trash?: TrashFn;
  /** Tests: the machine's execution providers and verifyPack's hooks. */
  models?: Pick<ModelPacksOptions, 'providerEnvironment' | 'verify'>;
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
  readonly #previews: PreviewCache;
  readonly #recent: RecentProjects;
  #autosaveTimer: ReturnType<typeof setInterval> | null = null;
  readonly #farm: AppFarm;
  readonly #settings: AppSettingsStore;
  readonly #packs: ModelPacks;
  #disposed = false;
  /** Sequence mixes this engine made (sequence.audioMix): the media endpoint serves these too. */
  readonly #mixes = new Set<string>();

  private constructor(
    private readonly options: AppServiceOptions,
    jobs: (session: ProjectSession) => JobsController,
    settings: AppSettingsStore,
    packs: ModelPacks,
  ) {
    this.#settings = settings;
    this.#packs = packs;
    this.#ffmpeg = { bundledDir: options.ffmpegBundledDir };
    this.#session = new ProjectSession((project) => options.emit('project.changed', project));
    this.#jobs = jobs(this.#session);
    this.#previews = new PreviewCache(join(options.dataDir, 'cache', 'previews'));
    this.#recent = new RecentProjects(options.dataDir);
    this.#autosaveTimer = setInterval(() => void this.autosave(), options.autosaveIntervalMs ?? AUTOSAVE_INTERVAL_MS);
    this.#autosaveTimer.unref?.();
    this.#farm = AppFarm.fromEnv(process.env, options.dataDir, options.farm);
    // Errors leave the engine in the app's words (guiWording.ts), for IPC and the bridge alike.
    this.handlers = withGuiWording(this.#buildHandlers(), toApiErrorShape);
  }

  static async create(options: AppServiceOptions): Promise<AppService> {
    await mkdir(options.dataDir, { recursive: true });
    const ffmpeg = { bundledDir: options.ffmpegBundledDir };
    const settings = await AppSettingsStore.open(options.dataDir);
    if (settings.warning) options.log?.(settings.warning);
    const packs = new ModelPacks({ dataDir: options.dataDir, roots: options.modelRoots, settings, baseEngines: options.engines ?? [], ...options.models });
    const jobs = await JobsController.create({
      dataDir: options.dataDir,
      ffmpeg: () => locateFfmpeg(ffmpeg),
      emit: options.emit,
      log: options.log,
      engines: await packs.engines(),
      defaults: () => {
        const s = settings.current;
        return { engine: s.defaultEngine, codec: s.renderCodec, rendersDir: s.rendersDir };
      },
    });
    return new AppService(options, (session) => jobs.attach(session), settings, packs);
  }

  /** The open project's media entry at `path`, or null: the media endpoint serves only these. */
  servableMedia(path: string): ServableMedia | null {
    if (this.#mixes.has(path)) return { kind: 'mix', path };
    return this.#session.current?.doc.media.find((m) => m.path === path) ?? null;
  }

  /** The viewer's proxy limits from the settings (the media handler reads them per request). */
  proxySettings(): { maxHeight: number; maxConcurrent: number } {
    return this.#settings.current.proxy;
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

  /** Writes the open project's unsaved changes to its autosave side file (autosave.ts); a no-op when clean. */
  async autosave(): Promise<string | null> {
    const p = this.#session.current;
    if (!p?.dirty) return null;
    try {
      return await writeAutosave(p, this.options.dataDir);
    } catch (e) {
      this.options.log?.('autosave failed', e);
      return null;
    }
  }

  /** Cancels running jobs and waits for them to clean up (quit). */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#autosaveTimer) clearInterval(this.#autosaveTimer);
    await Promise.all([this.#jobs.dispose(), this.#farm.dispose()]);
  }

  /** After a save: the autosave side file is stale (remove it, and the never-saved one), and the file is recent. */
  async #afterSave(view: { path: string | null; name: string }, before: { path: string | null; doc: { id: string } } | null): Promise<void> {
    const p = this.#session.current;
    if (p) await removeAutosave(p, this.options.dataDir).catch(() => {});
    if (before) await removeAutosave(before as Parameters<typeof removeAutosave>[0], this.options.dataDir).catch(() => {});
    if (view.path) await this.#recent.touch(view.path, view.name).catch(() => {});
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
        if (view.path) await this.#recent.touch(view.path, view.name).catch(() => {});
        return view;
      },
      'project.save': async () => {
        const view = await session.save();
        await this.#afterSave(view, null);
        return view;
      },
      'project.saveAs': async ({ path }) => {
        const before = session.require();
        const oldSide = { path: before.path, doc: before.doc };
        if (!before.path) await moveRendersBeside(before, path, o.dataDir, this.#settings.current.rendersDir);
        const view = await session.saveAs(path);
        await this.#afterSave(view, oldSide);
        return view;
      },
      'project.close': async ({ discardChanges }) => {
        const p = session.current;
        const result = session.close(discardChanges);
        if (p) await removeAutosave(p, o.dataDir);
        return result;
      },
      'project.recent': () => this.#recent.list(),
      'project.recoveries': async () => findRecoveries(o.dataDir, (await this.#recent.list()).map((r) => r.path)),
      'project.recover': async ({ autosavePath, discardChanges }) => {
        const known = await findRecoveries(o.dataDir, (await this.#recent.list()).map((r) => r.path));
        if (!known.some((r) => r.autosavePath === autosavePath)) {
          throw new LacunaError('NOT_FOUND', 'those autosaved changes are no longer there', 'They may have been recovered or discarded already.');
        }
        const view = session.adopt(await loadRecovery(autosavePath), discardChanges);
        this.#jobs.projectOpened();
        return view;
      },
      'project.discardRecovery': async ({ autosavePath }) => {
        const known = await findRecoveries(o.dataDir, (await this.#recent.list()).map((r) => r.path));
        if (known.some((r) => r.autosavePath === autosavePath)) await rm(autosavePath, { force: true });
        return null;
      },
      'project.undo': async () => edit((p) => p.undo()),
      'project.redo': async () => edit((p) => p.redo()),

      'media.import': async ({ paths, sequenceFps }) => {
        const project = session.require();
        const fps = sequenceFps ?? project.doc.settings.fps;
        const probe = (path: string) => probeMedia(path, { fps });
        const { imported, failed, warnings } = await importMedia(project, paths, probe);
        session.markOnline(imported.map((m) => m.id));
        const view = session.view()!;
        return { project: view, imported: view.media.filter((m) => imported.some((i) => i.id === m.id)), failed, warnings };
      },
      'clip.add': async ({ mediaId, sequenceId }) => edit((p) => appendClip(p, mediaId, sequenceId)),
      'clip.remove': async ({ clipId }) => edit((p) => p.removeClip(clipId)),
      'take.setActive': async ({ clipId, takeId }) => edit((p) => p.setActiveTake(clipId, takeId)),
      'take.delete': async ({ clipId, takeId, files }) => {
        const p = session.require();
        const take = p.getTake(clipId, takeId);
        const mediaIds = take.kind === 'generated' ? [take.mediaId, ...(take.matteMediaId ? [take.matteMediaId] : [])] : [];
        const doomed: string[] = [];
        p.batch('Delete Take', () => {
          p.deleteTake(clipId, takeId);
          if (files === 'keep') return;
          // Only files nothing else refers to (a split clip's other half shares its takes' files).
          for (const m of mediaIds) {
            if (p.mediaUsage(m).length) continue;
            doomed.push(p.getMedia(m).path);
            p.removeMedia(m);
          }
        });
        let report: DiscardReport = { trashed: [], deleted: [] };
        if (files === 'trash') report = await discardFiles(doomed, { trash: this.options.trash });
        else if (files === 'delete') {
          await Promise.all(doomed.map((f) => rm(f, { force: true })));
          report = { trashed: [], deleted: doomed };
        }
        return { project: session.view()!, files: report };
      },

      'timeline.place': async (input) => edit((p) => placeMedia(p, input)),
      'timeline.move': async (input) => edit((p) => moveClips(p, input)),
      'timeline.trim': async (input) => {
        const applied = trimClipEdge(session.require(), input);
        return { project: session.view()!, applied };
      },
      'timeline.split': async (input) => edit((p) => splitClips(p, input)),
      'timeline.delete': async (input) => edit((p) => deleteClips(p, input)),
      'sequence.setFormat': async ({ sequenceId, fps, width, height, startTimecode }) =>
        edit((p) => {
          const seq = p.getSequence(sequenceId);
          const size = width || height ? { width: width ?? seq.size.width, height: height ?? seq.size.height } : undefined;
          p.setSequenceFormat(sequenceId, { fps, size, startTimecode });
        }),
      'track.add': async ({ sequenceId, kind }) => edit((p) => p.addTrack(sequenceId, kind)),
      'track.remove': async ({ trackId }) => edit((p) => p.removeTrack(trackId)),
      'media.thumbnails': async ({ mediaId, frames, height }) => {
        const p = session.require();
        const media = p.getMedia(mediaId);
        const rate = mediaRate(media, p.doc.sequences[0] ?? { fps: p.doc.settings.fps });
        const strip = await thumbnailStrip(this.ffmpegPath(), this.#previews, media, rate, frames, height);
        return { url: `data:image/jpeg;base64,${strip.jpeg.toString('base64')}`, frameWidth: strip.frameWidth, height: strip.height, frames: strip.frames };
      },
      'sequence.audioMix': async ({ sequenceId }) => {
        const project = session.require();
        const plan = audioMixPlan(project.doc, project.getSequence(sequenceId));
        const path = await renderAudioMix(plan, join(this.options.dataDir, 'cache', 'mixes'), this.ffmpegPath());
        if (path) this.#mixes.add(path);
        return { path, seconds: plan.length };
      },
      'media.waveform': async ({ mediaId }) => {
        const peaks = await waveform(this.ffmpegPath(), this.#previews, session.require().getMedia(mediaId));
        return peaks && { peaks, rate: WAVEFORM_RATE };
      },

      'removal.plan': async (request) => removalPlan(session.require(), this.#jobs, request),
      'removal.find': async ({ clipId, expression, engine: engineId, pack, range, startFrom }) => {
        const project = session.require();
        const chosen = this.#jobs.engineFor(engineId, pack);
        // An engine whose mask comes from its own model (LGVI) has no Find: Lite's grounding
        // previews the words, and the objects picked there bound its composite (findPolicy.ts).
        const engine = findEngineFor(chosen, this.#jobs.engines);
        const source = removalSource(project, clipId, range, startFrom);
        const ffmpeg = locateFfmpeg(this.#ffmpeg);
        const media = await probeMedia(mediaSourceOf(source.params.media), { ffmpeg });
        const found = await engine.find!({ media, range: source.params.range, text: expression }, { signal: new AbortController().signal, progress: () => {}, ffmpeg });
        this.#jobs.rememberFind(clipId, {
          takeId: source.take.id,
          rangeStart: source.params.range.start,
          frames: source.params.range.end - source.params.range.start,
          objects: found.tracks,
        });
        const v = media.video!;
        return {
          clipId,
          engine: engine.id,
          matched: found.matched,
          explanation: engine === chosen ? found.explanation : `${found.explanation} (${findPreviewNote(chosen).replace(/\.$/, '')})`,
          width: v.displayWidth,
          height: v.displayHeight,
          takeId: source.take.id,
          rangeStart: source.params.range.start,
          objects: found.tracks.map((t) => ({ ...t, boxes: t.boxes.map((b) => b && ([b.x, b.y, b.width, b.height] as [number, number, number, number])) })),
        };
      },
      'timeline.export': (input) => timelines.export(input),
      'timeline.import': (input) => timelines.import(input),

      'chat.send': async (request) => {
        const { reply, edited } = await clipChat(session.require(), request, locateFfmpeg(this.#ffmpeg), new AbortController().signal, this.#jobs.engines);
        return { ...reply, project: edited ? session.view() : null };
      },
      'jobs.kinds': async () => this.#jobs.kinds(),
      'jobs.list': async () => this.#jobs.list(),
      'jobs.submit': async (request) =>
        request.kind === 'remove' && request.runOn === 'farm'
          ? this.#farm.submit(session.require(), { ...request, codec: request.codec ?? this.#settings.current.renderCodec }, this.#jobs.engineFor(request.engine, request.pack))
          : this.#jobs.submitChecked(request),
      'jobs.cancel': async ({ jobId }) => this.#jobs.cancel(jobId),
      'jobs.retry': async ({ jobId }) => this.#jobs.retry(jobId),

      ...settingsHandlers({ settings: this.#settings, packs: this.#packs, jobs: this.#jobs, dataDir: o.dataDir }),

      'farm.status': async () => this.#farm.status(),
      'farm.list': async () => this.#farm.list(session.current),
      'farm.cancel': async ({ takeId }) => this.#farm.cancel(takeId, session.current),
      'farm.retry': async ({ takeId }) => this.#farm.retry(takeId, session.current),
      'farm.collect': async () => {
        await this.#farm.collect(session.require());
        return session.view()!;
      },
    };
  }
}
