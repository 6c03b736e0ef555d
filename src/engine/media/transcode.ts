import { resolve } from 'node:path';
import { type FfmpegPaths } from './ffmpegLocator';
import { decodeFrames } from './decode';
import { encodeFrames } from './encode';
import { guardOutput } from './outputGuard';
import { probeMedia } from './probe';
import { checkedRange, requireVideo } from './sourceTimeline';
import { takeEncoding } from './takeEncoding';
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
  requireVideo(info);
  const range = checkedRange(info, options.range);
  const target = resolve(output);
  // Refuse before decoding anything; encodeFrames checks again right before it writes.
  await guardOutput(target, [info.source], options.overwrite ?? false);

  const { options: encoding, warnings } = takeEncoding(info, range, options.codec);
  const total = range.end - range.start;
  const frames = decodeFrames(info, { range, width: encoding.width, height: encoding.height, signal, ffmpeg });
  const result = await encodeFrames(counted(frames, total, options.onProgress), {
    ...encoding,
    output: target,
    codec: options.codec,
    overwrite: options.overwrite,
    signal,
    ffmpeg,
  });
  if (result.frameCount !== total) {
    warnings.push(`the source gave ${result.frameCount} frames where its header promised ${total}; the output has ${result.frameCount}`);
  }
  // An image-sequence output carries no rate of its own: it has the source's.
  const outInfo = await probeMedia(result.output, { signal, ffmpeg, fps: encoding.fps });
  return { output: result.output, frames: result.frameCount, info: outInfo, warnings };
}
