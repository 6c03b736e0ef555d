import { z } from 'zod';
import { call, event, type CallDef, type EventDef } from './channel';
import { AppInfoSchema, FfmpegStatusSchema, MenuCommandSchema } from './schemas/app';
import { FindRequestSchema, FindResultSchema, JobKindSchema, JobProgressSchema, JobRequestSchema, JobSchema } from './schemas/jobs';
import { RemovalPlanRequestSchema, RemovalPlanSchema } from './schemas/removalPlan';
import { RationalSchema } from './schemas/media';
import { MediaItemSchema, ProjectSchema } from './schemas/project';
import { ApiErrorShapeSchema } from './errors';
import { ChatReplySchema, ChatRequestSchema } from './schemas/chat';
import { FarmStatusSchema, FarmTakeSchema } from './schemas/farm';
import {
  DeleteClipsSchema,
  MoveClipsSchema,
  PlaceMediaSchema,
  SequenceFormatSchema,
  SplitClipsSchema,
  ThumbnailRequestSchema,
  ThumbnailStripSchema,
  TrackAddSchema,
  TrimClipSchema,
  WaveformRequestSchema,
  WaveformSchema,
} from './schemas/timeline';
import { ModelsViewSchema, SettingsPatchSchema, SettingsViewSchema } from './schemas/settings';
import { TimelineExportRequestSchema, TimelineExportResultSchema, TimelineImportRequestSchema, TimelineImportResultSchema } from './schemas/interchange';

/*
 * The one declaration of what crosses between the renderer and the process hosting the engine.
 * Electron IPC (src/main/ipc.ts, src/preload) and the HTTP test bridge both serve exactly these
 * channels, and both sides validate against these schemas. Adding a channel here is the only
 * step needed for it to be callable; the type of `Handlers` then forces an implementation.
 */

const none = z.object({}).strict();
const id = z.string().min(1);
const path = z.string().min(1, 'path must not be empty');
/** Guards against silently dropping unsaved work: the renderer must ask the user first. */
const discard = z.object({ discardChanges: z.boolean().default(false) });

/** Calls the engine side answers (src/engine/app/AppService), the same in every host. */
export const engineCalls = {
  'app.info': call(none, AppInfoSchema, 'Application name, version, platform and host capabilities.'),
  'ffmpeg.status': call(none, FfmpegStatusSchema, 'Which ffmpeg/ffprobe are used, or why none was found.'),

  'project.get': call(none, ProjectSchema.nullable(), 'The open project, or null.'),
  'project.new': call(
    discard.extend({ name: z.string().trim().min(1).max(200).default('Untitled') }).strict(),
    ProjectSchema,
    'Start a new, unsaved project (refuses to drop unsaved changes unless discardChanges).',
  ),
  'project.open': call(discard.extend({ path }).strict(), ProjectSchema, 'Open a project file.'),
  'project.save': call(none, ProjectSchema, 'Save the open project to its file.'),
  'project.saveAs': call(z.object({ path }).strict(), ProjectSchema, 'Save the open project to a new file.'),
  'project.close': call(discard.strict(), z.null(), 'Close the open project.'),
  'project.recent': call(none, z.array(z.object({ path: z.string(), name: z.string(), at: z.string() })), 'Projects opened or saved lately, newest first.'),
  'project.recoveries': call(
    none,
    z.array(z.object({ autosavePath: z.string(), projectPath: z.string().nullable(), name: z.string(), savedAt: z.string() })),
    'Unsaved changes autosaved before Lacuna quit unexpectedly, to offer back.',
  ),
  'project.recover': call(discard.extend({ autosavePath: path }).strict(), ProjectSchema, 'Open autosaved changes (unsaved, belonging to their project file).'),
  'project.discardRecovery': call(z.object({ autosavePath: path }).strict(), z.null(), 'Throw autosaved changes away.'),
  'project.undo': call(none, ProjectSchema, 'Undo the last project change.'),
  'project.redo': call(none, ProjectSchema, 'Redo the last undone change.'),

  'media.import': call(
    z
      .object({
        paths: z.array(path).min(1, 'give at least one path').max(1000),
        /** The rate image sequences among `paths` play at (image files carry none); default the project's. */
        sequenceFps: RationalSchema.optional(),
      })
      .strict(),
    z.object({
      project: ProjectSchema,
      imported: z.array(MediaItemSchema),
      failed: z.array(z.object({ path: z.string(), error: ApiErrorShapeSchema })),
      /** What came in changed or assumed (a gap closed up in a sequence, a guessed rate, VFR conformed), per path. */
      warnings: z.array(z.object({ path: z.string(), warning: z.string() })),
    }),
    'Probe files and add them to the media pool; files that fail are reported, not fatal.',
  ),
  'clip.add': call(
    z.object({ mediaId: id, sequenceId: id.optional() }).strict(),
    ProjectSchema,
    "Append a clip of a media item to a sequence's first video track (default: the first sequence).",
  ),
  'clip.remove': call(z.object({ clipId: id }).strict(), ProjectSchema, 'Remove a clip from the sequence.'),
  'take.setActive': call(
    z.object({ clipId: id, takeId: id }).strict(),
    ProjectSchema,
    'Choose which take of a clip the sequence uses.',
  ),
  'take.delete': call(
    z
      .object({
        clipId: id,
        takeId: id,
        /**
         * What becomes of its rendered files (take and matte) when nothing else uses them: 'keep'
         * (undoable), 'trash' (the OS trash; deleted, said in `files.notice`, where there is none),
         * 'delete' (for good). Neither of the last two is undoable.
         */
        files: z.enum(['keep', 'trash', 'delete']).default('keep'),
      })
      .strict(),
    z.object({
      project: ProjectSchema,
      files: z.object({ trashed: z.array(z.string()), deleted: z.array(z.string()), notice: z.string().optional() }),
    }),
    'Remove a generated take from a clip; its files stay unless files is "trash" or "delete".',
  ),

  // Timeline edits (src/engine/timeline): each one undo step, linked sound carried with its picture.
  'timeline.place': call(PlaceMediaSchema, ProjectSchema, 'Put media on the timeline (picture and linked sound).'),
  'timeline.move': call(MoveClipsSchema, ProjectSchema, 'Move clips (and their linked partners) by frames and tracks.'),
  'timeline.trim': call(TrimClipSchema, z.object({ project: ProjectSchema, applied: z.number().int() }), 'Trim a clip edge; says how far it moved.'),
  'timeline.split': call(SplitClipsSchema, ProjectSchema, 'Cut clips in two at a frame (default: every clip under it).'),
  'timeline.delete': call(DeleteClipsSchema, ProjectSchema, 'Delete clips, or ripple delete (close the gaps).'),
  'sequence.setFormat': call(SequenceFormatSchema, ProjectSchema, "Change a sequence's frame rate (while empty), size and start timecode."),
  'track.add': call(TrackAddSchema, ProjectSchema, 'Add a video or audio track.'),
  'track.remove': call(z.object({ trackId: id }).strict(), ProjectSchema, 'Remove an empty track.'),
  'media.thumbnails': call(ThumbnailRequestSchema, ThumbnailStripSchema, 'Frames of a media item as one picture (cached on disk).'),
  'media.waveform': call(WaveformRequestSchema, WaveformSchema.nullable(), 'Peak levels of a media item\'s sound (cached), or null without sound.'),
  'sequence.audioMix': call(
    z.object({ sequenceId: id }).strict(),
    z.object({ path: z.string().nullable(), seconds: z.number().nonnegative() }),
    "The sequence's audio tracks mixed into one WAV (cached; served by the media endpoint), or a null path when nothing there has sound.",
  ),

  'removal.plan': call(RemovalPlanRequestSchema, RemovalPlanSchema, 'What a removal with these settings would do, before it runs: frames, starting take, the engine\'s settings and memory, or what it refuses.'),
  'removal.find': call(FindRequestSchema, FindResultSchema, "The Find step: what the words would remove in the clip's active take, and the other objects found; renders nothing."),
  'timeline.export': call(
    TimelineExportRequestSchema,
    TimelineExportResultSchema,
    "Export a sequence for an NLE (OTIO, FCP7 XML, FCPXML, EDL, MLT, Kdenlive), linking each clip's active take.",
  ),
  'timeline.import': call(
    TimelineImportRequestSchema,
    TimelineImportResultSchema,
    'Import an NLE timeline into the open project as a new sequence; the result reports what could not be carried over.',
  ),

  'chat.send': call(ChatRequestSchema, ChatReplySchema, "One turn of a clip's chat: the answer and the instruction it settled on (nothing is rendered; \"undo that\" switches back a take)."),
  'jobs.kinds': call(none, z.array(JobKindSchema), 'Job kinds this install can run.'),
  'jobs.list': call(none, z.array(JobSchema), 'All jobs of this session, oldest first.'),
  'jobs.submit': call(JobRequestSchema, JobSchema, 'Queue a job.'),
  'jobs.cancel': call(z.object({ jobId: id }).strict(), JobSchema, 'Cancel a queued or running job.'),
  'jobs.retry': call(z.object({ jobId: id }).strict(), JobSchema, 'Queue a failed, cancelled or interrupted job again.'),

  // App settings and model packs (src/engine/app/settingsHandlers.ts), persisted in the data folder.
  'settings.get': call(none, SettingsViewSchema, "The app's settings (defaults for new renders, the preview proxy, execution provider)."),
  'settings.update': call(SettingsPatchSchema, SettingsViewSchema, 'Change some settings; the others stay as they are.'),
  'models.list': call(none, ModelsViewSchema, "LGVI model packs with their verification state, this machine's execution providers and the installed engines."),
  'models.add': call(z.object({ dir: path }).strict(), ModelsViewSchema, 'Add a model pack folder to the list and verify it.'),
  'models.remove': call(z.object({ dir: path }).strict(), ModelsViewSchema, 'Take an added model pack off the list (its files are not touched).'),
  'models.verify': call(z.object({ dir: path }).strict(), ModelsViewSchema, 'Check every file of a model pack again.'),

  'farm.status': call(none, FarmStatusSchema, 'Whether a render farm is set up and reachable, and its workers.'),
  'farm.list': call(none, z.array(FarmTakeSchema), "The farm's takes, newest first (those of the open project first)."),
  'farm.cancel': call(z.object({ takeId: id }).strict(), FarmTakeSchema, 'Cancel a farm take (running chunks stop within a frame).'),
  'farm.retry': call(z.object({ takeId: id }).strict(), FarmTakeSchema, 'Queue a failed or cancelled farm take again.'),
  'farm.collect': call(none, ProjectSchema, "Add the open project's finished farm takes to their clips (one undo step each)."),
} as const satisfies Record<string, CallDef>;

/**
 * Calls only a desktop host can answer (native dialogs). The HTTP bridge answers them with
 * UNSUPPORTED, and the renderer falls back to typed paths (app.info tells it which applies).
 */
export const hostCalls = {
  'dialog.openMedia': call(none, z.array(z.string()), 'Pick media files to import (empty when cancelled).'),
  'dialog.openProject': call(none, z.string().nullable(), 'Pick a project file to open (null when cancelled).'),
  'dialog.saveProject': call(
    z.object({ suggestedName: z.string() }).strict(),
    z.string().nullable(),
    'Pick where to save the project (null when cancelled).',
  ),
  'dialog.saveTimeline': call(
    z.object({ suggestedName: z.string(), extension: z.string().regex(/^[a-z0-9]{1,12}$/, 'an extension such as otio') }).strict(),
    z.string().nullable(),
    'Pick where to export a timeline, as a file with this extension (null when cancelled).',
  ),
  'dialog.openTimeline': call(none, z.array(z.string()), 'Pick NLE timeline files to import (several EDLs make one sequence; empty when cancelled).'),
  'dialog.openFolder': call(z.object({ title: z.string().max(200) }).strict(), z.string().nullable(), 'Pick a folder (a model pack, the renders folder); null when cancelled.'),
} as const satisfies Record<string, CallDef>;

export const calls = { ...engineCalls, ...hostCalls } as const;

export const events = {
  'project.changed': event(ProjectSchema.nullable(), 'The open project changed (or was closed: null).'),
  'jobs.progress': event(JobProgressSchema, 'A running job moved on.'),
  'jobs.state': event(JobSchema, 'A job was queued, started, finished, failed, was cancelled or found interrupted.'),
  'menu.command': event(MenuCommandSchema, 'The user chose an application-menu item (desktop host).'),
} as const satisfies Record<string, EventDef>;

type Calls = typeof calls;
type Events = typeof events;
export type CallName = keyof Calls;
export type EngineCallName = keyof typeof engineCalls;
export type HostCallName = keyof typeof hostCalls;
export type EventName = keyof Events;

/** What a caller passes (defaults may be omitted). */
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
/** What a handler receives: the input after validation, defaults filled in. */
export type HandlerInput<N extends CallName> = z.output<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>;
export type EventPayload<N extends EventName> = z.output<Events[N]['payload']>;

type HandlerMap<N extends CallName> = { [K in N]: (input: HandlerInput<K>) => Promise<CallOutput<K>> };
export type EngineHandlers = HandlerMap<EngineCallName>;
export type HostHandlers = HandlerMap<HostCallName>;
export type Handlers = HandlerMap<CallName>;

/** Publishes one event; implementations validate the payload before it leaves the process. */
export type EmitEvent = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

export function isCallName(name: string): name is CallName {
  return Object.hasOwn(calls, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
