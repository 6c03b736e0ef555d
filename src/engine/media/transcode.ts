import { resolve } from 'node:path';
import { type FfmpegPaths } from './ffmpegLocator';
import { decodeFrames } from './decode';
import { CODEC_PROFILES } from './deliveryCodecs';
import { encodeFrames } from './encode';
import { guardOutput } from './outputGuard';
import { probeMedia } from './probe';
import { checkedRange, requireVideo } from './sourceTimeline';
import { framesToTimecode, parseTimecode, timecodeProblem, timecodeToFrames } from './timecode';
import type { DeliveryCodec, Frame, FrameRange, MediaInfo, MediaSource } from './types';

export interface TranscodeOptions {
  codec: DeliveryCodec;
  range?: FrameRange;
  overwrite?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  ffmpeg?: FfmpegPaths;
  /** Already probed input: skip probing. */
  info?: MediaInfo;
}

export interface TranscodeResult {
  output: string;
  frames: number;
  /** Probe of the output. */
  info: MediaInfo;
  warnings: string[];
}

/** The output's start timecode: the source's, moved on by the range's first frame. */
function rangeTimecode(info: MediaInfo, range: FrameRange): string | undefined {
  const fps = info.video!.fps;
  const start = info.startTimecode ? parseTimecode(info.startTimecode) : null;
  if (!start || timecodeProblem(start, fps)) return undefined;
  return framesToTimecode(timecodeToFrames(start, fps) + range.start, fps, start.dropFrame);
}

/** Passes frames through unchanged, reporting progress: the "identity" stage of the pipeline. */
async function* counted(frames: AsyncIterable<Frame>, total: number, onProgress?: (done: number, total: number) => void): AsyncGenerator<Frame> {
  let done = 0;
  for await (const f of frames) {
    yield f;
    onProgress?.(++done, total);
  }
}

/**
 * decode → identity → encode through the engine's own streaming path (the same one inpainting
 * uses, with the model where the identity is): upright display-size RGB frames, the source's
 * frame rate, time base, colour tags, start timecode and the audio of the range. Returns the
 * probe of what was written, and warnings a person should see (conformed VFR, assumed rate).
 */
export async function transcode(input: string | MediaSource, output: string, options: TranscodeOptions): Promise<TranscodeResult> {
  const { signal, ffmpeg } = options;
  const info = options.info ?? (await probeMedia(input, { signal, ffmpeg }));
  const video = requireVideo(info);
  const range = checkedRange(info, options.range);
  const target = resolve(output);
  // Refuse before decoding anything; encodeFrames checks again right before it writes.
  await guardOutput(target, [info.source], options.overwrite ?? false);

  const warnings = [...(info.warnings ?? [])];
  if (video.rotation) warnings.push(`rotated ${video.rotation}° to stand upright: the output is ${video.displayWidth}x${video.displayHeight}`);
  // 4:2:x codecs need sizes divisible by their subsampling; an anamorphic clip's display width
  // can be odd (853x480), so round to the nearest size the codec takes rather than refuse.
  const [sx, sy] = CODEC_PROFILES[options.codec]?.subsampling ?? [1, 1];
  const width = Math.max(sx, Math.round(video.displayWidth / sx) * sx);
  const height = Math.max(sy, Math.round(video.displayHeight / sy) * sy);
  if (width !== video.displayWidth || height !== video.displayHeight) {
    warnings.push(`scaled from ${video.displayWidth}x${video.displayHeight} to ${width}x${height}: ${CODEC_PROFILES[options.codec].label} needs sizes divisible by ${sx}x${sy}`);
  }
  const total = range.end - range.start;
  const frames = decodeFrames(info, { range, width, height, signal, ffmpeg });
  const timecode = rangeTimecode(info, range);
  const result = await encodeFrames(counted(frames, total, options.onProgress), {
    output: target,
    codec: options.codec,
    width,
    height,
    fps: video.fps,
    timeBase: video.timeBase,
    colour: video.colour,
    ...(info.audio.length ? { audioFrom: { media: info, range } } : {}),
    ...(timecode ? { timecode } : {}),
    overwrite: options.overwrite,
    signal,
    ffmpeg,
  });
  if (result.frameCount !== total) {
    warnings.push(`the source gave ${result.frameCount} frames where its header promised ${total}; the output has ${result.frameCount}`);
  }
  const outInfo = await probeMedia(result.output, { signal, ffmpeg });
  return { output: result.output, frames: result.frameCount, info: outInfo, warnings };
}
