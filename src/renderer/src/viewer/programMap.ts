import type { ClipDto, SequenceDto, TakeDto } from '../../../api/schemas/project';
import { sourceFrameAt } from '../timeline/timecode';

/** What the program shows at a timeline frame: which clip, and which frame of which take's file. */
export interface ProgramPicture {
  clip: ClipDto;
  /** The clip's frame in the original media's numbering. */
  sourceFrame: number;
  /** The take shown and its own frame number (generated takes start at their sourceStart). */
  take: TakeDto;
  takeFrame: number;
  original: TakeDto;
}

/**
 * The picture at `frame`: the topmost video track with a clip there (V2 covers V1, as in every
 * NLE), or null in a gap (shown black). Pure: tested in Node.
 */
export function pictureAt(sequence: SequenceDto, frame: number): ProgramPicture | null {
  const video = sequence.tracks.filter((t) => t.kind === 'video');
  for (let i = video.length - 1; i >= 0; i--) {
    const clip = video[i].clips.find((c) => c.position <= frame && frame < c.position + c.duration);
    if (!clip) continue;
    const sourceFrame = Math.min(clip.sourceOut - 1, clip.sourceIn + sourceFrameAt(frame - clip.position, clip.sourceFps, sequence.fps));
    const take = clip.takes.find((t) => t.id === clip.activeTakeId) ?? clip.takes[0];
    return { clip, sourceFrame, take, takeFrame: sourceFrame - (take.sourceStart ?? 0), original: clip.takes[0] };
  }
  return null;
}
