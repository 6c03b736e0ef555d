// Which frames a removal from the app renders, and from which take: the Remove dialog's range
// (the clip's in/out, In/Out marked on its media in the source viewer, or the whole source) and
// its starting take (the active one, or the original media). The result is the clip-source part
// of a removal job's params (clipJob.ts), the same `range` the CLI's `remove -r` hands the engine
// (RemovalInput.range), so the engine reads and renders only those frames, and the take made is
// aligned to the original media by `sourceStart` like any other.
import type { RemovalRangeDto, StartFromDto } from '../../api/schemas/removalPlan';
import type { ClipSourceParams } from '../jobs/clipJob';
import type { Project } from '../project';
import type { Rational } from '../util/rational';
import { takeCoverage } from '../project/invariants';
import { mediaRate } from '../project/timing';
import { LacunaError } from '../util/errors';

export interface RemovalSource {
  params: ClipSourceParams;
  /** The take read. */
  take: { id: string; label: string; kind: StartFromDto };
  /** The rendered frames in the original media's frames, half-open, at its rate. */
  frames: { start: number; end: number; fps: Rational; kind: RemovalRangeDto['kind'] };
  /** Whether the take made will cover the clip's in/out (only then does the clip switch to it). */
  coversClip: boolean;
}

export function removalSource(project: Project, clipId: string, range: RemovalRangeDto = { kind: 'clip' }, startFrom: StartFromDto = 'active'): RemovalSource {
  const loc = project.locateClip(clipId);
  if (!loc) throw new LacunaError('NOT_FOUND', 'That clip is no longer in the project', 'Pick a clip on the timeline.');
  const { clip, sequence } = loc;
  const take = startFrom === 'original' ? clip.takes.find((t) => t.kind === 'original')! : project.activeTake(clipId);
  const media = project.getMedia(take.mediaId);
  const fps = mediaRate(project.getMedia(clip.mediaId), sequence);
  // Original-media frames the starting take has.
  const has = takeCoverage(take, media, sequence);
  const wanted = range.kind === 'clip' ? { start: clip.sourceIn, end: clip.sourceOut } : range.kind === 'source' ? has : { start: range.start, end: range.end };
  if (wanted.start < has.start || wanted.end > has.end) {
    const which = range.kind === 'marked' ? `The marked In/Out (frames ${wanted.start}–${wanted.end - 1})` : `The clip's frames ${wanted.start}–${wanted.end - 1}`;
    throw new LacunaError(
      'BAD_RANGE',
      `${which} reach beyond what “${take.label}” has (frames ${has.start}–${has.end - 1})`,
      startFrom === 'active' ? 'Start from the original instead, or mark a range inside the take.' : 'Mark a range inside the media.',
    );
  }
  const offset = take.kind === 'generated' ? take.sourceStart : 0;
  return {
    params: {
      name: clip.name,
      media,
      range: { start: wanted.start - offset, end: wanted.end - offset },
      sourceStart: wanted.start,
    },
    take: { id: take.id, label: take.label, kind: startFrom },
    frames: { ...wanted, fps, kind: range.kind },
    coversClip: wanted.start <= clip.sourceIn && clip.sourceOut <= wanted.end,
  };
}

/** The dialog's sentence for a range that does not cover the clip, or null. */
export function rangeNote(source: RemovalSource): string | null {
  if (source.coversClip) return null;
  return 'These frames do not cover the whole clip, so the new take is added to the clip’s takes but the clip keeps showing its current take; trim the clip to the range to use it.';
}
