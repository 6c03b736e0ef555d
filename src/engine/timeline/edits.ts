import type { Clip, Project, Sequence, Track } from '../project';
import { clipDuration, clipEnd, convertFrames, mediaFrameCount, mediaRate } from '../project/timing';
import { LacunaError } from '../util/errors';
import { hasPictureAndSound, withLinked } from './links';
import { displayName } from './mediaName';
import { clampTrimDelta, rippleShifts, type TrimEdge } from './math';

/**
 * The editing operations of the timeline, on the project model: each is one undo step
 * (Project.batch), carries linked sound along with its picture (links.ts), and refuses an edit
 * that would break the track rules (no overlap, nothing before frame 0) with a message that
 * says what to do, leaving the project untouched. The renderer only says what the user did
 * ("move these clips 12 frames later"); the rules live here, where the CLI and tests use them too.
 */

function bad(message: string, hint?: string): LacunaError {
  return new LacunaError('BAD_ARGUMENT', message, hint);
}

interface Located {
  sequence: Sequence;
  track: Track;
  clip: Clip;
}

function locateAll(project: Project, clipIds: readonly string[]): { sequence: Sequence; clips: Located[] } {
  if (!clipIds.length) throw bad('no clips given', 'Select one or more clips first.');
  const first = project.locateClip(clipIds[0]);
  if (!first) throw bad(`no clip with id "${clipIds[0]}" in this project`);
  const ids = withLinked(first.sequence, clipIds);
  const clips = ids.map((id) => {
    const loc = project.locateClip(id);
    if (!loc) throw bad(`no clip with id "${id}" in this project`);
    if (loc.sequence.id !== first.sequence.id) throw bad('the clips are in different sequences', 'Edit one sequence at a time.');
    return loc;
  });
  return { sequence: first.sequence, clips };
}

function endOf(project: Project, sequence: Sequence, clip: Clip): number {
  return clipEnd(clip, project.getMedia(clip.mediaId), sequence);
}

export interface PlaceMediaOptions {
  mediaId: string;
  sequenceId?: string;
  /** Timeline frame to start at; default: after the last clip of the tracks it goes on. */
  position?: number;
  /** The video (or, for sound-only media, audio) track; default the first of its kind. */
  trackId?: string;
  /** The audio track of a camera file's linked sound; default the first audio track. */
  soundTrackId?: string;
  /** Source range in media frames (the source viewer's marks); default the whole media. */
  sourceIn?: number;
  sourceOut?: number;
}

/**
 * Puts media on the timeline: picture on a video track and, for a file with sound, its sound
 * linked on the first audio track at the same position (an NLE's insert of a camera clip).
 */
export function placeMedia(project: Project, options: PlaceMediaOptions): Clip[] {
  const doc = project.doc;
  const sequence = options.sequenceId ? project.getSequence(options.sequenceId) : doc.sequences[0];
  if (!sequence) throw bad(`"${doc.name}" has no sequence to add the clip to`, 'Add a sequence first.');
  const media = project.getMedia(options.mediaId);
  const kind = media.kind === 'imageSequence' || media.probe.video ? 'video' : 'audio';
  const main = options.trackId ? sequence.tracks.find((t) => t.id === options.trackId) : sequence.tracks.find((t) => t.kind === kind);
  if (!main) throw bad(`sequence "${sequence.name}" has no ${kind} track for "${media.name}"`, `Add a ${kind} track first.`);
  if (main.kind !== kind) throw bad(`"${media.name}" cannot go on ${main.kind} track "${main.name}"`);
  const linked = kind === 'video' && hasPictureAndSound(media);
  const sound = linked ? sequence.tracks.find((t) => (options.soundTrackId ? t.id === options.soundTrackId : t.kind === 'audio')) : undefined;
  if (linked && options.soundTrackId && sound?.kind !== 'audio') throw bad(`the sound of "${media.name}" goes on an audio track, and "${sound?.name ?? options.soundTrackId}" is not one`);
  const tracks = sound ? [main, sound] : [main];
  const position = options.position ?? Math.max(...tracks.map((t) => project.trackEnd(t.id)));
  return project.batch('Add Clip', () => tracks.map((t) => project.addClip(sequence.id, t.id, media.id, { position, sourceIn: options.sourceIn, sourceOut: options.sourceOut, name: displayName(media) })));
}

export interface MoveOptions {
  clipIds: readonly string[];
  /** Sequence frames, + later. */
  delta: number;
  /** Tracks up (+) or down (−) among tracks of the same kind, for the clips of the first clip's kind. */
  trackDelta?: number;
}

/** Moves clips (and their linked partners) by the same amount; one undo step. */
export function moveClips(project: Project, { clipIds, delta, trackDelta = 0 }: MoveOptions): void {
  if (!Number.isSafeInteger(delta) || !Number.isSafeInteger(trackDelta)) throw bad('move by whole frames and tracks');
  if (delta === 0 && trackDelta === 0) return;
  const { sequence, clips } = locateAll(project, clipIds);
  const kind = project.locateClip(clipIds[0])!.track.kind;
  const earliest = Math.min(...clips.map((c) => c.clip.position));
  if (earliest + delta < 0) {
    throw bad(`that would move "${clips.find((c) => c.clip.position === earliest)!.clip.name}" before the start of the timeline`);
  }
  const targetTrack = (track: Track): Track => {
    if (trackDelta === 0 || track.kind !== kind) return track;
    const same = sequence.tracks.filter((t) => t.kind === kind);
    const to = same[same.indexOf(track) + trackDelta];
    if (!to) throw bad(`there is no ${kind} track ${trackDelta > 0 ? 'above' : 'below'} "${track.name}"`, 'Add a track first.');
    return to;
  };
  // Moving the clip furthest in the direction of travel first means the moved clips never meet each other.
  const ordered = [...clips].sort((a, b) => (delta > 0 ? b.clip.position - a.clip.position : a.clip.position - b.clip.position));
  project.batch(clipIds.length > 1 ? 'Move Clips' : 'Move Clip', () => {
    for (const c of ordered) project.moveClip(c.clip.id, { position: c.clip.position + delta, trackId: targetTrack(c.track).id });
  });
}

export interface TrimOptions {
  clipId: string;
  edge: TrimEdge;
  /** Sequence frames the edge moves, + later; clamped at neighbours and the media's ends. */
  delta: number;
}

/**
 * Trims one edge of a clip (and of its linked partner): a head trim keeps the clip's end where it
 * is, a tail trim its start, as in every NLE. The edge stops at the neighbouring clip and at the
 * ends of the media rather than failing. Returns the frames the edge actually moved.
 */
export function trimClipEdge(project: Project, { clipId, edge, delta }: TrimOptions): number {
  if (!Number.isSafeInteger(delta)) throw bad('trim by whole frames');
  const { sequence, clips } = locateAll(project, [clipId]);
  let applied = delta;
  for (const c of clips) {
    const media = project.getMedia(c.clip.mediaId);
    const rate = mediaRate(media, sequence);
    const others = c.track.clips.filter((o) => o.id !== c.clip.id);
    const start = c.clip.position;
    const end = endOf(project, sequence, c.clip);
    const toSeq = (sourceFrames: number) => convertFrames(sourceFrames, rate, sequence.fps);
    applied = clampTrimDelta(edge, applied, {
      start,
      end,
      prevEnd: Math.max(0, ...others.filter((o) => o.position < start).map((o) => endOf(project, sequence, o))),
      nextStart: Math.min(Number.MAX_SAFE_INTEGER, ...others.filter((o) => o.position >= end).map((o) => o.position)),
      headroom: toSeq(c.clip.sourceIn),
      tailroom: toSeq(mediaFrameCount(media, rate) - c.clip.sourceOut),
    });
  }
  if (applied === 0) return 0;
  project.batch('Trim Clip', () => {
    for (const c of clips) {
      const media = project.getMedia(c.clip.mediaId);
      const rate = mediaRate(media, sequence);
      const src = Math.sign(applied) * convertFrames(Math.abs(applied), sequence.fps, rate);
      if (edge === 'in') project.trimClip(c.clip.id, { sourceIn: Math.min(c.clip.sourceOut - 1, Math.max(0, c.clip.sourceIn + src)) });
      else project.trimClip(c.clip.id, { sourceOut: Math.min(mediaFrameCount(media, rate), Math.max(c.clip.sourceIn + 1, c.clip.sourceOut + src)) });
    }
  });
  return applied;
}

export interface SplitOptions {
  sequenceId: string;
  /** The timeline frame the cut falls before: it becomes the second part's first frame. */
  frame: number;
  /** Clips to cut; default every clip under `frame`. Linked partners are cut with them. */
  clipIds?: readonly string[];
}

/**
 * Cuts clips in two at `frame` (S / Ctrl+B): the first part keeps the clip, the second is a
 * new clip with the same takes (the same rendered files, aligned the same way) and the same
 * take active. Returns the new clips' ids; none when no clip is under the frame.
 */
export function splitClips(project: Project, { sequenceId, frame, clipIds }: SplitOptions): string[] {
  const sequence = project.getSequence(sequenceId);
  const all = sequence.tracks.flatMap((track) => track.clips.map((clip) => ({ track, clip })));
  const wanted = clipIds?.length ? new Set(withLinked(sequence, clipIds)) : null;
  const under = all.filter(({ clip }) => (!wanted || wanted.has(clip.id)) && clip.position < frame && frame < endOf(project, sequence, clip));
  if (!under.length) return [];
  return project.batch('Split Clip', () =>
    under.map(({ track, clip }) => {
      const media = project.getMedia(clip.mediaId);
      const rate = mediaRate(media, sequence);
      const cut = Math.min(clip.sourceOut - 1, Math.max(clip.sourceIn + 1, clip.sourceIn + convertFrames(frame - clip.position, sequence.fps, rate)));
      project.trimClip(clip.id, { sourceOut: cut });
      const position = clip.position + clipDuration({ sourceIn: clip.sourceIn, sourceOut: cut }, media, sequence);
      const second = project.addClip(sequence.id, track.id, clip.mediaId, { sourceIn: cut, sourceOut: clip.sourceOut, position, name: clip.name });
      for (const take of clip.takes) {
        if (take.kind !== 'generated') continue;
        project.addTake(second.id, {
          mediaId: take.mediaId,
          params: take.params,
          label: take.label,
          sourceStart: take.sourceStart,
          ...(take.matteMediaId !== undefined && { matteMediaId: take.matteMediaId }),
          ...(take.jobId !== undefined && { jobId: take.jobId }),
          activate: take.id === clip.activeTakeId,
        });
      }
      return second.id;
    }),
  );
}

export interface DeleteOptions {
  clipIds: readonly string[];
  /** Close the gaps: later clips on the same tracks move up by what was removed. */
  ripple?: boolean;
}

/** Removes clips and their linked partners (Delete), or removes and closes the gaps (Shift+Delete). */
export function deleteClips(project: Project, { clipIds, ripple = false }: DeleteOptions): void {
  const { sequence, clips } = locateAll(project, clipIds);
  const removed = new Set(clips.map((c) => c.clip.id));
  project.batch(ripple ? 'Ripple Delete' : clips.length > 1 ? 'Delete Clips' : 'Delete Clip', () => {
    for (const c of clips) project.removeClip(c.clip.id);
    if (!ripple) return;
    for (const track of sequence.tracks) {
      const gaps = track.clips.filter((c) => removed.has(c.id)).map((c) => ({ start: c.position, end: endOf(project, sequence, c) }));
      if (!gaps.length) continue;
      const kept = track.clips.filter((c) => !removed.has(c.id));
      const shifts = rippleShifts(kept.map((c) => c.position), gaps);
      kept.forEach((c, i) => shifts[i] && project.moveClip(c.id, { position: c.position - shifts[i] }));
    }
  });
}
