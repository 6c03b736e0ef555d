import type { Clip, MediaRef, Sequence, Track } from '../project/schema';

/**
 * Linked picture and sound of one source. A camera file placed on the timeline becomes a clip
 * on a video track and one on an audio track; they are linked while they still show the same
 * media over the same source range at the same timeline position, which is exactly what an NLE
 * keeps in sync. The link is derived rather than stored, so the project file needs no new field
 * and every exporter sees plain clips; moving one half alone (not done by the app's own edits,
 * which carry the partner along) simply unlinks it, as Alt-drag does in Premiere.
 */

export interface PlacedClip {
  track: Track;
  clip: Clip;
}

function sameSource(a: Clip, b: Clip): boolean {
  return a.mediaId === b.mediaId && a.position === b.position && a.sourceIn === b.sourceIn && a.sourceOut === b.sourceOut;
}

/** The clips on tracks of the other kind linked to `clipId` (usually zero or one). */
export function linkedClips(sequence: Sequence, clipId: string): PlacedClip[] {
  let self: PlacedClip | undefined;
  for (const track of sequence.tracks) {
    const clip = track.clips.find((c) => c.id === clipId);
    if (clip) self = { track, clip };
  }
  if (!self) return [];
  const out: PlacedClip[] = [];
  for (const track of sequence.tracks) {
    if (track.kind === self.track.kind) continue;
    for (const clip of track.clips) if (sameSource(clip, self.clip)) out.push({ track, clip });
  }
  return out;
}

/** `clipIds` with every linked partner added, each once, in the order found. */
export function withLinked(sequence: Sequence, clipIds: readonly string[]): string[] {
  const out = new Set<string>();
  for (const id of clipIds) {
    out.add(id);
    for (const p of linkedClips(sequence, id)) out.add(p.clip.id);
  }
  return [...out];
}

/** Whether `media` can be placed on both a video and an audio track (a camera file with sound). */
export function hasPictureAndSound(media: MediaRef): boolean {
  return media.kind === 'file' && media.probe.video !== null && media.probe.audio.length > 0;
}
