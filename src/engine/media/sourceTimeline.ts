import { LacunaError } from '../util/errors';
import { toNumber } from '../util/rational';
import type { FrameRange, MediaInfo, VideoStreamInfo } from './types';

/**
 * Where source frame k sits on the file's timeline, in the terms ffmpeg's input `-ss` uses.
 * ffmpeg measures `-ss` from the container's start (the earliest stream), while frame k of the
 * video is at video.startTime + k/fps; an AAC track starting a few ms before the picture, or an
 * edit list, shifts the two apart. Decode (video) and encode (audio of the same range) both ask
 * here, so picture and sound of a range line up.
 */

/** The stream start times a seek needs: a probe (MediaInfo) or a project's stored summary of one. */
export interface StreamStarts {
  video?: { startTime: number } | null;
  audio: readonly { startTime?: number }[];
}

function containerStart(media: StreamStarts): number {
  const starts = [media.video?.startTime, ...media.audio.map((a) => a.startTime)].filter((t): t is number => t !== undefined);
  return starts.length ? Math.min(...starts) : 0;
}

/** Seconds from the container start to source frame `frame`'s presentation time. */
export function secondsToFrame(media: StreamStarts, video: Pick<VideoStreamInfo, 'startTime' | 'fps'>, frame: number): number {
  return video.startTime - containerStart(media) + frame / toNumber(video.fps);
}

/** The video stream, or a clear error naming the file when it has none (audio-only input). */
export function requireVideo(media: MediaInfo): VideoStreamInfo {
  if (!media.video) {
    throw new LacunaError('BAD_ARGUMENT', `${media.path} has no video stream`, 'Lacuna works on video clips and image sequences.');
  }
  return media.video;
}

/** The whole clip when no range is given; a clear BAD_RANGE when the range does not fit. */
export function checkedRange(media: MediaInfo, range: FrameRange | undefined): FrameRange {
  const count = requireVideo(media).frameCount;
  const r = range ?? { start: 0, end: count };
  if (!Number.isInteger(r.start) || !Number.isInteger(r.end) || r.start < 0 || r.end > count || r.start >= r.end) {
    throw new LacunaError(
      'BAD_RANGE',
      `frame range ${r.start}-${r.end} does not fit ${media.path}, which has frames 0-${count} (end exclusive)`,
      'Give a start frame before the end frame, both within the clip.',
    );
  }
  return r;
}
