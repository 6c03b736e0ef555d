import type { ContentHash, TakeParams } from '../project';
import type { Rational } from '../util/rational';

/**
 * The one timeline every interchange adapter reads and writes (OTIO, FCP7 XML, FCPXML, EDL,
 * MLT, Kdenlive). It holds what NLEs exchange, in exact integer frames, and nothing that only
 * one format knows: each adapter maps its own file to and from this, and projectToTimeline.ts /
 * timelineToProject.ts map it to and from the Lacuna project. So a format never sees the
 * project model, and the project never sees a format.
 *
 * Time: timeline positions and durations count frames at `IxTimeline.rate`; source ranges count
 * frames of the media at `IxMedia.rate`, from the media's first frame (not from its timecode:
 * `IxMedia.startFrame` says which timecode label frame 0 carries). Half-open everywhere.
 */

/** A media file as interchange files describe it. */
export interface IxMedia {
  /** File name shown by NLEs (the file's name, without folders). */
  name: string;
  /** Absolute path on this machine (or after a path map, on the target machine). */
  path: string;
  /** Frames per second the source range counts in (the video rate; for sound-only media, the timeline's). */
  rate: Rational;
  /** Frames the media holds at `rate`. */
  frames: number;
  /** Timecode frame count of frame 0 (from 00:00:00:00, at the nominal rate), 0 when the file has none. */
  startFrame: number;
  dropFrame: boolean;
  /** Picture size; absent for sound-only media. */
  video: { width: number; height: number } | null;
  audio: { channels: number; sampleRate: number } | null;
  /**
   * Source ranges of this media count timecode frames (from 00:00:00:00), not frames from the
   * file's start: an EDL knows only timecodes. Import subtracts the file's start timecode once
   * it has found and probed the file.
   */
  startFromTimecode?: boolean;
  /** Lacuna's content hash, when the file came from Lacuna: finds the media again when it moved. */
  hash?: ContentHash;
}

/** A range of a media file: `[sourceIn, sourceOut)` in the media's own frames. */
export interface IxMediaUse {
  media: IxMedia;
  sourceIn: number;
  sourceOut: number;
}

/** What Lacuna made for a clip: the active take, and where its media sits against the original. */
export interface IxTake {
  label: string;
  params: TakeParams;
  /** The original media's frame shown by the take media's frame 0. */
  sourceStart: number;
}

export interface IxClip {
  name: string;
  /** Timeline frame where it starts. */
  position: number;
  /** Timeline frames it lasts. */
  duration: number;
  /** What the clip shows: the active take's media, or the original's when no take is active. */
  shown: IxMediaUse;
  /** When a generated take is shown: the original media and range, and how the take was made. */
  original?: IxMediaUse;
  take?: IxTake;
  /** The take's removal matte, aligned with `shown`. */
  matte?: IxMediaUse;
}

export type IxTrackKind = 'video' | 'audio';

export interface IxTrack {
  kind: IxTrackKind;
  name: string;
  /** Clips in timeline order, never overlapping; the spaces between them are gaps. */
  clips: IxClip[];
}

export interface IxTimeline {
  name: string;
  rate: Rational;
  /** Timecode of timeline frame 0; `;` before the frames marks drop-frame. */
  startTimecode: string;
  width: number;
  height: number;
  sampleRate: number;
  /** Video tracks bottom (V1) first, then audio tracks A1 first. */
  tracks: IxTrack[];
}

/**
 * What an import could not carry into Lacuna, said precisely instead of dropped silently:
 * where in the file (`at`), what it was (`kind`) and what was done instead (`message`).
 */
export type IxNoteKind = 'transition' | 'effect' | 'speed' | 'nested' | 'multicam' | 'marker' | 'media' | 'overlap' | 'timing' | 'other';

export interface IxNote {
  kind: IxNoteKind;
  at: string;
  message: string;
}

export interface IxParsed {
  timeline: IxTimeline;
  notes: IxNote[];
}

export const FORMATS = ['otio', 'otioz', 'xml', 'fcpxml', 'edl', 'mlt', 'kdenlive'] as const;
export type InterchangeFormat = (typeof FORMATS)[number];

/** The formats import reads. */
export const IMPORT_FORMATS = ['otio', 'otioz', 'xml', 'fcpxml', 'edl'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The clip's timeline end (half-open). */
export const clipEndOf = (c: Pick<IxClip, 'position' | 'duration'>): number => c.position + c.duration;

/** The timeline's length in frames: the end of its last clip. */
export function timelineLength(t: IxTimeline): number {
  let end = 0;
  for (const tr of t.tracks) for (const c of tr.clips) end = Math.max(end, clipEndOf(c));
  return end;
}

/** Every distinct media file the timeline refers to (shown, original, matte), by path, in first-use order. */
export function timelineMedia(t: IxTimeline): IxMedia[] {
  const seen = new Map<string, IxMedia>();
  for (const tr of t.tracks) {
    for (const c of tr.clips) {
      for (const u of [c.shown, c.original, c.matte]) if (u && !seen.has(u.media.path)) seen.set(u.media.path, u.media);
    }
  }
  return [...seen.values()];
}
