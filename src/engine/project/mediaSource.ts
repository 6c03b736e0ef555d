import type { MediaSource } from '../media/types';
import { expandFrameRuns } from './imageSequence';
import type { MediaRef } from './schema';

/**
 * What the media layer reads for a project media entry. The project stores image sequences
 * compactly (frame-number runs, so undo snapshots of a 100,000-frame plate stay small); the
 * media layer wants the frame numbers themselves, so they are expanded here, at the one
 * boundary where a job hands project media to ffmpeg.
 */
export function mediaSourceOf(media: MediaRef): MediaSource {
  if (media.kind === 'file') return { kind: 'file', path: media.path };
  return {
    kind: 'imageSequence',
    pattern: media.path,
    numbers: expandFrameRuns(media.numberRuns),
    fps: { num: media.fps.num, den: media.fps.den },
  };
}
