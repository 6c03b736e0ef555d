import { create } from 'zustand';
import type { FindResultDto, JobDto, JobKindDto } from '../../../api/schemas/jobs';
import type { CompositeDto, RemovalPlanDto, StartFromDto } from '../../../api/schemas/removalPlan';
import type { AppInfoDto, FfmpegStatusDto } from '../../../api/schemas/app';
import type { ProjectDto } from '../../../api/schemas/project';
import type { FarmStatusDto, FarmTakeDto } from '../../../api/schemas/farm';

/*
 * The renderer's one store. zustand (already a dependency, ~1 kB, no provider or boilerplate)
 * rather than React context + reducers: the timeline and viewers read small slices many times a
 * second (the playhead while playing), and zustand's selector subscriptions re-render only the
 * components whose slice changed, where a context would re-render the whole tree on every frame.
 * Actions (../actions) read and write it through `getState`/`setState`, outside React.
 *
 * What lives here is view state only. The project itself is what the engine last published
 * (project.changed); nothing here edits it except by calling the engine.
 */

export type ViewerId = 'source' | 'program';

export interface TransportState {
  /** Frame at the viewer's rate: source frames for the source viewer, sequence frames for the program. */
  frame: number;
  /** Shuttle speed: 0 stopped, 1 play, 2/4/8 fast forward, −1/−2/−4/−8 reverse (J/K/L). */
  rate: number;
}

export type CompareMode = 'off' | 'wipe' | 'side' | 'ab';

export interface AppState {
  project: ProjectDto | null;
  loaded: boolean;
  jobs: Record<string, JobDto>;
  info: AppInfoDto | null;
  ffmpeg: FfmpegStatusDto | null;
  kinds: JobKindDto[];

  /** Selected timeline clips (the first is the "primary": Takes panel, viewer title). */
  selectedClipIds: string[];
  /** The bin's selection, shown in the source viewer; selecting clips clears it and vice versa. */
  selectedMediaId: string | null;
  sequenceId: string | null;
  /** Which viewer the transport keys drive. */
  activeViewer: ViewerId;
  program: TransportState;
  source: TransportState & { inPoint: number | null; outPoint: number | null };
  /** The media the source viewer shows (and its marks are on); kept when a clip is selected. */
  sourceMediaId: string | null;
  /** Timeline zoom (pixels per sequence frame) and horizontal scroll (pixels). */
  zoom: number;
  scrollX: number;
  /** Before/after comparison in the program viewer: A is the original take, B the active one. */
  compare: { mode: CompareMode; wipe: number; showOriginal: boolean; matte: boolean; matteOpacity: number };
  contextMenu: { clipId: string; x: number; y: number } | null;
  /** The Remove panel while open: the request being prepared, and its Find preview. */
  removal: RemovalDraft | null;
  /** The bin item being dragged toward the timeline (drag-over events cannot read the drag's data). */
  binDrag: string | null;
  /** The render farm as last polled (jobs/farmSync.ts): null status until the first answer. */
  farm: { status: FarmStatusDto | null; takes: FarmTakeDto[]; error: string | null };
}

export interface RemovalDraft {
  clipId: string;
  expression: string;
  engine: string | null;
  seed: number;
  maskDilate: number;
  maskFeather: number;
  /** The engine's own settings the user changed (LGVI: steps, guidance…; Lite: workingSide), by key; the rest are the engine's defaults. */
  engineSettings: Record<string, number | string>;
  /** The LGVI pack, when several are installed (null: the engine's own). */
  pack: string | null;
  /** LGVI: where the generated pixels replace the source. */
  composite: CompositeDto;
  /** What says what to remove: the words, or a matte file (path, and an image sequence's rate). */
  target: 'words' | 'matte';
  mattePath: string;
  /** Which frames: the clip's in/out, the source viewer's marks (captured when the panel opened), the whole source. */
  range: 'clip' | 'marked' | 'source';
  /** The source viewer's In/Out on the clip's media, as original-media frames (half-open), or null. */
  marks: { start: number; end: number } | null;
  startFrom: StartFromDto;
  /** The engine's answer for these settings (removal.plan): frames, take, fields, memory, problem. */
  plan: RemovalPlanDto | null;
  find: FindResultDto | null;
  /** Track ids picked (starts as the words' choice; clicks in the viewer change it). */
  chosen: number[];
  busy: 'finding' | 'submitting' | null;
  error: { message: string; hint?: string } | null;
  /** Where it renders: this machine's queue, or the render farm (when farm.status says one is usable). */
  runOn: 'local' | 'farm';
}

export const initialState: AppState = {
  project: null,
  loaded: false,
  jobs: {},
  info: null,
  ffmpeg: null,
  kinds: [],
  selectedClipIds: [],
  selectedMediaId: null,
  sequenceId: null,
  activeViewer: 'program',
  program: { frame: 0, rate: 0 },
  source: { frame: 0, rate: 0, inPoint: null, outPoint: null },
  sourceMediaId: null,
  zoom: 4,
  scrollX: 0,
  compare: { mode: 'off', wipe: 0.5, showOriginal: false, matte: false, matteOpacity: 0.5 },
  contextMenu: null,
  removal: null,
  binDrag: null,
  farm: { status: null, takes: [], error: null },
};

export const useAppStore = create<AppState>()(() => initialState);

export type SetState = (partial: Partial<AppState> | ((s: AppState) => Partial<AppState>)) => void;
