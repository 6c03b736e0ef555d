import { deliveryColour } from './deliveryColour';
import { CODEC_PROFILES } from './deliveryCodecs';
import type { EncodeOptions } from './encode';
import { requireVideo } from './sourceTimeline';
import { framesToTimecode, parseTimecode, timecodeProblem, timecodeToFrames } from './timecode';
import type { DeliveryCodec, FrameRange, MediaInfo } from './types';
import { LacunaError } from '../util/errors';

/**
 * How a render of a source range is encoded so it can stand in for the source in an edit: the
 * source's rate, time base and colour tags, the range's own audio and start timecode, at the
 * display size (rounded to what the codec's chroma subsampling takes), in the codec's legal range. Transcodes and removal
 * takes both use this, so every take lines up with its original in the NLE.
 */
export interface TakeEncoding {
  options: Omit<EncodeOptions, 'output' | 'codec' | 'signal' | 'ffmpeg' | 'overwrite'>;
  warnings: string[];
}

/** The range's start timecode, from the source's start timecode (absent when it has none or it is invalid). */
export function rangeTimecode(info: MediaInfo, range: FrameRange): string | undefined {
  const fps = info.video!.fps;
  const start = info.startTimecode ? parseTimecode(info.startTimecode) : null;
  if (!start || timecodeProblem(start, fps)) return undefined;
  return framesToTimecode(timecodeToFrames(start, fps) + range.start, fps, start.dropFrame);
}

export function takeEncoding(info: MediaInfo, range: FrameRange, codec: DeliveryCodec): TakeEncoding {
  const video = requireVideo(info);
  const warnings = [...(info.warnings ?? [])];
  if (video.rotation) warnings.push(`rotated ${video.rotation}° to stand upright: the output is ${video.displayWidth}x${video.displayHeight}`);
  // 4:2:x codecs need sizes divisible by their subsampling; an anamorphic clip's display width
  // can be odd (853x480), so round to the nearest size the codec takes rather than refuse.
  const [sx, sy] = CODEC_PROFILES[codec]?.subsampling ?? [1, 1];
  const width = Math.max(sx, Math.round(video.displayWidth / sx) * sx);
  const height = Math.max(sy, Math.round(video.displayHeight / sy) * sy);
  if (width !== video.displayWidth || height !== video.displayHeight) {
    warnings.push(`scaled from ${video.displayWidth}x${video.displayHeight} to ${width}x${height}: ${CODEC_PROFILES[codec].label} needs sizes divisible by ${sx}x${sy}`);
  }
  const min = CODEC_PROFILES[codec]?.minSize;
  if (min && (width < min[0] || height < min[1])) {
    throw new LacunaError(
      'BAD_ARGUMENT',
      `${CODEC_PROFILES[codec].label} needs a picture of at least ${min[0]}x${min[1]}; this one is ${width}x${height}`,
      'Choose ProRes 422 HQ or H.264 for it.',
    );
  }
  // The source's tags (what is missing: the output size's convention), as the codec can carry
  // them: legal range, tags its header holds (see deliveryColour). Frames become exactly that.
  const colour = deliveryColour(video.colour, width, height, codec);
  warnings.push(...colour.warnings);
  const timecode = rangeTimecode(info, range);
  return {
    warnings,
    options: {
      width,
      height,
      fps: video.fps,
      timeBase: video.timeBase,
      colour: colour.colour,
      sources: [info.source],
      ...(info.audio.length ? { audioFrom: { media: info, range } } : {}),
      ...(timecode ? { timecode } : {}),
    },
  };
}
