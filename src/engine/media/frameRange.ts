import { LacunaError } from '../util/errors';
import { requireVideo } from './sourceTimeline';
import { parseTimecode, timecodeProblem, timecodeToFrames } from './timecode';
import type { FrameRange, MediaInfo } from './types';

/**
 * Range specs as a person types them on the command line, always HALF-OPEN [in, out): the out
 * point is the first frame NOT included, so "0-48" is 48 frames and "00:00:01:00-00:00:02:00"
 * is exactly one second, and ranges butt together without overlapping ("0-48", "48-96").
 *
 *   "10-50", "10:50"   frames 10 … 49 (0-based source frame indices)
 *   "10-"              frame 10 to the end
 *   "01:00:01:00-01:00:02:00"  SMPTE timecodes, counted from the media's start timecode when it
 *                      has one (so a camera clip starting at 01:00:00:00 is addressed as the
 *                      editor sees it), from 00:00:00:00 otherwise. ";" before the frames means
 *                      drop-frame (29.97/59.94 only).
 */

const FRAME = /^\d+$/;

function badRange(spec: string, why: string, media: MediaInfo): LacunaError {
  const count = media.video?.frameCount ?? 0;
  return new LacunaError(
    'BAD_RANGE',
    `range "${spec}" ${why}`,
    `Give "in-out" as frame numbers (0-${count}, out exclusive) or as timecodes HH:MM:SS:FF-HH:MM:SS:FF` +
      (media.startTimecode ? ` (this clip starts at ${media.startTimecode})` : ''),
  );
}

/** One end of a range, as a source frame index (may be out of bounds; checked by the caller). */
function position(text: string, spec: string, media: MediaInfo): number {
  const fps = requireVideo(media).fps;
  if (FRAME.test(text)) return Number(text);
  const tc = parseTimecode(text);
  if (!tc) throw badRange(spec, `has "${text}", which is neither a frame number nor a timecode`, media);
  const problem = timecodeProblem(tc, fps);
  if (problem) throw badRange(spec, `has timecode ${text}, which is not valid here: ${problem}`, media);
  let origin = 0;
  if (media.startTimecode) {
    const start = parseTimecode(media.startTimecode);
    if (start && !timecodeProblem(start, fps)) origin = timecodeToFrames(start, fps);
  }
  const frame = timecodeToFrames(tc, fps) - origin;
  if (frame < 0) throw badRange(spec, `starts before the clip: ${text} is earlier than its start timecode ${media.startTimecode}`, media);
  return frame;
}

/** Parses a range spec (see above) and checks it against the media's frame count. */
export function parseFrameRange(spec: string, media: MediaInfo): FrameRange {
  const count = requireVideo(media).frameCount;
  const text = spec.trim();
  let parts: string[];
  if (/^\d+:\d+$/.test(text)) parts = text.split(':');
  else parts = text.split('-').map((p) => p.trim());
  if (parts.length !== 2 || parts[0] === '') throw badRange(spec, 'is not of the form in-out', media);
  const start = position(parts[0], spec, media);
  const end = parts[1] === '' ? count : position(parts[1], spec, media);
  if (end <= start) throw badRange(spec, `ends (${end}) at or before it starts (${start}); the out point is exclusive`, media);
  if (end > count) throw badRange(spec, `ends at frame ${end}, after the clip's last frame ${count - 1} (out may be at most ${count})`, media);
  return { start, end };
}
