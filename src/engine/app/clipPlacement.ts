import { LacunaError } from '../util/errors';
import type { Clip, Project } from '../project';

/**
 * "Add to sequence" from the media pool: the clip goes at the end of the first track that can
 * hold it (video media on the first video track, sound-only media on the first audio track), as
 * an NLE's append edit does. The whole media is used; trimming is a later edit.
 */
export function appendClip(project: Project, mediaId: string, sequenceId?: string): Clip {
  const doc = project.doc;
  const sequence = sequenceId ? project.getSequence(sequenceId) : doc.sequences[0];
  if (!sequence) throw new LacunaError('BAD_ARGUMENT', `"${doc.name}" has no sequence to add the clip to`, 'Add a sequence first.');
  const media = project.getMedia(mediaId);
  const kind = media.kind === 'imageSequence' || media.probe.video ? 'video' : 'audio';
  const track = sequence.tracks.find((t) => t.kind === kind);
  if (!track) {
    throw new LacunaError('BAD_ARGUMENT', `sequence "${sequence.name}" has no ${kind} track for "${media.name}"`, `Add a ${kind} track first.`);
  }
  return project.addClip(sequence.id, track.id, mediaId);
}
