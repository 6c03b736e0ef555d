import type { MediaItemDto, SequenceDto, TrackDto } from '../../../api/schemas/project';
import { snapMove } from './geometry';

/*
 * Dropping a bin item on the timeline, as pure functions (tested in Node: test/renderer/dropMath.test.ts):
 * which tracks the picture and its linked sound land on, where the clip starts once snapped to
 * the edit points and the playhead, and whether it fits there. The engine's timeline.place
 * makes the edit and has the last word; this is what the ghost shows while dragging.
 */

/** The media's whole length in sequence frames (real time: a 25 fps clip lasts 24 frames a second at 24). */
export function mediaLengthInSequence(media: Pick<MediaItemDto, 'info'>, fps: SequenceDto['fps']): number {
  const seqRate = fps.num / fps.den;
  const v = media.info.video;
  if (v) return Math.max(1, Math.round((v.frameCount * seqRate * v.fps.den) / v.fps.num));
  return Math.max(1, Math.round(media.info.duration * seqRate));
}

export interface DropTracks {
  /** The picture's track (or a sound-only file's audio track). */
  main: TrackDto;
  /** The linked sound's track, for a file with picture and sound. */
  sound: TrackDto | null;
}

/**
 * The tracks a drop on `target` fills. On a video track: the picture there, its sound on the
 * first audio track. On an audio track: the sound there, the picture on the first video track. A
 * sound-only file goes on audio tracks only. Null (with why) when the drop cannot go there.
 */
export function dropTracks(sequence: SequenceDto, target: TrackDto, media: Pick<MediaItemDto, 'info' | 'kind'>): DropTracks | { refused: string } {
  const picture = media.kind === 'imageSequence' || !!media.info.video;
  const sound = media.kind === 'file' && media.info.audio.length > 0;
  const firstOf = (kind: TrackDto['kind']) => sequence.tracks.find((t) => t.kind === kind) ?? null;
  if (!picture) return target.kind === 'audio' ? { main: target, sound: null } : { refused: 'Sound goes on an audio track' };
  if (target.kind === 'video') return { main: target, sound: sound ? firstOf('audio') : null };
  const video = firstOf('video');
  if (!video) return { refused: 'Add a video track for the picture' };
  return { main: video, sound: sound ? target : null };
}

/** Whether [start, end) is free on the track. */
export function rangeFree(track: Pick<TrackDto, 'clips'>, start: number, end: number): boolean {
  return track.clips.every((c) => c.position + c.duration <= start || c.position >= end);
}

export interface DropPlacement {
  position: number;
  length: number;
  snapped: boolean;
  /** The clip (and its sound) land on free frames. */
  fits: boolean;
}

/**
 * Where a drop at `frame` (the frame under the pointer) puts a clip of `length` frames: its start
 * at the pointer, then either edge snapped to an edit point or the playhead within the snap
 * reach at `zoom`, never before frame 0.
 */
export function dropPlacement(frame: number, length: number, tracks: DropTracks, points: readonly number[], zoom: number): DropPlacement {
  const snap = snapMove(0, frame, frame + length, points, zoom);
  const position = Math.max(0, frame + snap.delta);
  const fits = [tracks.main, ...(tracks.sound ? [tracks.sound] : [])].every((t) => rangeFree(t, position, position + length));
  return { position, length, snapped: snap.snapped, fits };
}
