import { resolve } from 'node:path';
import { keepsYuv } from './colourSpace';
import { CODEC_PROFILES } from './deliveryCodecs';
import { type FfmpegPaths } from './ffmpegLocator';
import { decodeFrames } from './decode';
import { encodeFrames } from './encode';
import { isSequencePattern } from './imageSequenceSource';
import { guardOutput } from './outputGuard';
import { probeMedia } from './probe';
import { checkedRange, requireVideo } from './sourceTimeline';
import { takeEncoding, type TakeEncoding } from './takeEncoding';
import type { DeliveryCodec, Frame, FramePixelFormat, FrameRange, MediaInfo, MediaSource } from './types';

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

/** Passes frames through, reporting progress as each one is taken by the encoder. */
async function* counted(frames: AsyncIterable<Frame>, total: number, onProgress?: (done: number, total: number) => void): AsyncGenerator<Frame> {
  let done = 0;
  for await (const f of frames) {
    yield f;
    onProgress?.(++done, total);
  }
}

/**
 * The layout frames cross between decoder and encoder in: the codec's own YUV wherever that
 * gives the picture the RGB round trip would (colourSpace.keepsYuv: a YUV source read with the
 * matrix and range the output is tagged with; takeEncoding keeps the source's tags, so this holds
 * unless an untagged clip's size convention changes with the codec's size rounding), and RGB
 * otherwise: RGB/gray/palette sources, and image-sequence outputs, which are written from RGB.
 */
function transcodeFrameFormat(info: MediaInfo, encoding: TakeEncoding['options'], codec: DeliveryCodec, output: string): FramePixelFormat {
  const video = requireVideo(info);
  if (isSequencePattern(output)) return 'rgb24';
  const stream = { pixelFormat: video.pixelFormat, colour: video.colour, width: video.displayWidth, height: video.displayHeight };
  return keepsYuv(stream, encoding) ? CODEC_PROFILES[codec].pixelFormat : 'rgb24';
}

/**
 * decode → identity → encode through the engine's own streaming path (decodeFrames and
 * encodeFrames, as inpainting uses them with the model where the identity is): upright
 * display-size frames, the source's frame rate, time base, colour tags, start timecode and the
 * audio of the range. Frames stay in the stream's YUV, already in the codec's pixel format, when
 * the source allows (see transcodeFrameFormat): no YUV → RGB → YUV round trip, half the bytes
 * through Node for 4:2:0, and no colour-conversion loss. Returns the probe of what was written,
 * and warnings a person should see (conformed VFR, assumed rate).
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
  const pixelFormat = transcodeFrameFormat(info, encoding, options.codec, target);
  const frames = decodeFrames(info, { range, width: encoding.width, height: encoding.height, pixelFormat, signal, ffmpeg, allowShort: true });
  const result = await encodeFrames(counted(frames, total, options.onProgress), {
    ...encoding,
    pixelFormat,
    output: target,
    codec: options.codec,
    overwrite: options.overwrite,
    signal,
    ffmpeg,
  });
  if (result.frameCount !== total) {
    warnings.push(`the source ends after ${result.frameCount} of the ${total} frames its header announces (cut short?): the output has those ${result.frameCount} frames`);
  }
  // An image-sequence output carries no rate of its own: it has the source's.
  const outInfo = await probeMedia(result.output, { signal, ffmpeg, fps: encoding.fps });
  return { output: result.output, frames: result.frameCount, info: outInfo, warnings };
}
