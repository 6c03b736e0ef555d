import type { ClipDto, MediaItemDto, SequenceDto, TrackDto } from '../../../api/schemas/project';
import type { AppState } from './appStore';

/* Derived views of the store: selections are ids, and whatever they name may have gone (undo, another project). */

export function currentSequence(s: Pick<AppState, 'project' | 'sequenceId'>): SequenceDto | null {
  return s.project?.sequences.find((q) => q.id === s.sequenceId) ?? s.project?.sequences[0] ?? null;
}

export interface PlacedClipDto {
  clip: ClipDto;
  track: TrackDto;
}

export function allClips(sequence: SequenceDto | null): PlacedClipDto[] {
  return sequence ? sequence.tracks.flatMap((track) => track.clips.map((clip) => ({ clip, track }))) : [];
}

export function findClip(s: Pick<AppState, 'project'>, clipId: string | null | undefined): PlacedClipDto | null {
  if (!clipId) return null;
  for (const q of s.project?.sequences ?? []) for (const track of q.tracks) for (const clip of track.clips) if (clip.id === clipId) return { clip, track };
  return null;
}

export function primaryClip(s: Pick<AppState, 'project' | 'selectedClipIds'>): ClipDto | null {
  for (const id of s.selectedClipIds) {
    const found = findClip(s, id);
    if (found) return found.clip;
  }
  return null;
}

export function selectedMedia(s: Pick<AppState, 'project' | 'selectedMediaId'>): MediaItemDto | null {
  return s.project?.media.find((m) => m.id === s.selectedMediaId) ?? null;
}

/** The sequence's length in frames (end of its last clip). */
export function sequenceLength(sequence: SequenceDto | null): number {
  return allClips(sequence).reduce((n, { clip }) => Math.max(n, clip.position + clip.duration), 0);
}

/** Every cut, start and end on the sequence, sorted and unique: ↑/↓ and snapping go to these. */
export function editPoints(sequence: SequenceDto | null, except: ReadonlySet<string> = new Set()): number[] {
  const points = new Set<number>([0]);
  for (const { clip } of allClips(sequence)) {
    if (except.has(clip.id)) continue;
    points.add(clip.position);
    points.add(clip.position + clip.duration);
  }
  return [...points].sort((a, b) => a - b);
}
