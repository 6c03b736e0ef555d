import { LacunaError, isLacunaError } from '../util/errors';
import { rational, toString as rationalToString } from '../util/rational';
import { clipDuration, type MediaRef, type Project, type Sequence } from '../project';
import type { IxMedia, IxMediaUse, IxNote, IxTimeline } from './model';
import { timecodeFrames } from './rates';

/**
 * An interchange timeline into a project, as a new sequence, in one undo step. Media must be in
 * the pool already (mediaResolver.ts finds, probes and adds it); `mediaFor` maps each file the
 * timeline names to its pool entry, or null when it was not found, and every clip that cannot
 * come in is reported with why, never dropped silently.
 *
 * A clip with a take comes back as in Lacuna: the original media as the clip, the take as its
 * active generated take, the matte beside it. Without its original (not found), the take's
 * media becomes the clip.
 */

export interface ImportedSequence {
  sequence: Sequence;
  clips: number;
  notes: IxNote[];
}

/** Source frames of `use` in its pool entry's frames: EDL ranges count from timecode 00:00:00:00. */
function sourceRange(use: IxMediaUse, ref: MediaRef): { sourceIn: number; sourceOut: number } {
  if (!use.media.startFromTimecode) return { sourceIn: use.sourceIn, sourceOut: use.sourceOut };
  const rate = ref.kind === 'imageSequence' ? ref.fps : (ref.probe.video?.fps ?? use.media.rate);
  const start = timecodeFrames(ref.probe.startTimecode, rate)?.frames ?? 0;
  return { sourceIn: use.sourceIn - start, sourceOut: use.sourceOut - start };
}

export function timelineToProject(project: Project, timeline: IxTimeline, mediaFor: (m: IxMedia) => MediaRef | null, name?: string): ImportedSequence {
  const notes: IxNote[] = [];
  let clips = 0;
  const sequence = project.batch('Import Timeline', () => {
    const seq = project.addSequence({
      name: name ?? timeline.name,
      fps: rational(timeline.rate.num, timeline.rate.den),
      size: { width: timeline.width, height: timeline.height },
      sampleRate: timeline.sampleRate,
      startTimecode: timeline.startTimecode,
      videoTracks: 0,
      audioTracks: 0,
    });
    for (const t of timeline.tracks) {
      const track = project.addTrack(seq.id, t.kind, t.name);
      let overflow: string | null = null;
      for (const c of t.clips) {
        const at = `track "${t.name}" clip "${c.name}" at frame ${c.position}`;
        const shownRef = mediaFor(c.shown.media);
        const origRef = c.original && c.take ? mediaFor(c.original.media) : null;
        if (!shownRef && !origRef) {
          notes.push({ kind: 'media', at, message: `${c.shown.media.name} not found (looked for ${c.shown.media.path}); the clip is left out` });
          continue;
        }
        const shownRange = shownRef ? sourceRange(c.shown, shownRef) : null;
        // The original's range follows from the take's by its alignment, whatever the file said.
        const base = origRef && shownRange ? { ref: origRef, sourceIn: shownRange.sourceIn + c.take!.sourceStart, sourceOut: shownRange.sourceOut + c.take!.sourceStart } : shownRef ? { ref: shownRef, ...shownRange! } : { ref: origRef!, ...sourceRange(c.original!, origRef!) };
        if (c.take && c.original && !origRef) notes.push({ kind: 'media', at, message: `original ${c.original.media.name} not found; the take's media is imported as the clip` });
        if (c.take && c.original && !shownRef) notes.push({ kind: 'media', at, message: `take media ${c.shown.media.name} not found; the original is imported without the take` });
        const place = (trackId: string) => project.addClip(seq.id, trackId, base.ref.id, { sourceIn: base.sourceIn, sourceOut: base.sourceOut, position: c.position, name: c.name });
        let clip;
        try {
          clip = place(track.id);
        } catch (e) {
          if (!isLacunaError(e) || !/overlap/.test(e.message)) {
            notes.push({ kind: 'other', at, message: `not imported: ${isLacunaError(e) ? e.message : String(e)}` });
            continue;
          }
          overflow ??= project.addTrack(seq.id, t.kind, `${t.name} overlaps`).id;
          notes.push({ kind: 'overlap', at, message: `overlaps the clip before it; placed on track "${t.name} overlaps"` });
          try {
            clip = place(overflow);
          } catch (e2) {
            notes.push({ kind: 'other', at, message: `not imported: ${isLacunaError(e2) ? e2.message : String(e2)}` });
            continue;
          }
        }
        clips++;
        const got = clipDuration(clip, base.ref, seq);
        if (got !== c.duration) {
          notes.push({ kind: 'timing', at, message: `lasts ${c.duration} frames in the file but ${got} in Lacuna (media at ${rationalToString(base.ref.kind === 'imageSequence' ? base.ref.fps : (base.ref.probe.video?.fps ?? seq.fps))} fps plays in real time)` });
        }
        if (origRef && shownRef && c.take) {
          const matteRef = c.matte ? mediaFor(c.matte.media) : null;
          if (c.matte && !matteRef) notes.push({ kind: 'media', at, message: `matte ${c.matte.media.name} not found; the take comes in without it` });
          try {
            project.addTake(clip.id, {
              mediaId: shownRef.id,
              params: c.take.params,
              label: c.take.label,
              sourceStart: c.take.sourceStart,
              ...(matteRef && { matteMediaId: matteRef.id }),
            });
          } catch (e) {
            notes.push({ kind: 'other', at, message: `take "${c.take.label}" not kept: ${isLacunaError(e) ? e.message : String(e)}` });
          }
        }
      }
    }
    return seq;
  });
  if (!clips && timeline.tracks.some((t) => t.clips.length)) {
    project.undo();
    throw new LacunaError('MEDIA_NOT_FOUND', `none of the timeline's clips could be imported:\n  ${notes.map((n) => `${n.at}: ${n.message}`).join('\n  ')}`, 'Give the folder the media is in (--search), or a path map (--path-map FROM=TO).');
  }
  return { sequence: project.getSequence(sequence.id), clips, notes };
}
