import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LacunaError, cancelledError } from '../util/errors';
import { frameToTime, toString } from '../util/rational';
import { converterFor, effectiveColour, isYuvStream, toRgbFilter, toYuvFilter, type ColourConverter } from './colourSpace';
import { hasFilter } from './ffmpegFilters';
import { ffmpegPaths, passthroughTimingArgs, type FfmpegPaths } from './ffmpegLocator';
import { startFfmpeg } from './ffmpegProcess';
import { sequenceFilePaths } from './imageSequenceSource';
import { mediaNotFound } from './mediaErrors';
import { readRawFrames, type ReadCounter } from './rawFrameReader';
import { checkedRange, requireVideo, secondsToFrame } from './sourceTimeline';
import { frameBytes, isYuvFormat, type Frame, type FramePixelFormat, type FrameRange, type MediaInfo, type MediaSource } from './types';

export interface DecodeOptions {
  /** Source frames [start, end) to decode; the whole clip when absent. */
  range?: FrameRange;
  /** Output size; the display size (rotation and pixel aspect applied) when absent. */
  width?: number;
  height?: number;
  /**
   * rgb24 (default) or gray; or a planar YUV format for frames that stay in the stream's own
   * matrix and range (only from YUV streams: see colourSpace.keepsYuv).
   */
  pixelFormat?: FramePixelFormat;
  signal?: AbortSignal;
  ffmpeg?: FfmpegPaths;
  /** YUV → RGB implementation; zscale when the ffmpeg build has it (see colourSpace.ts). */
  converter?: ColourConverter;
  /**
   * Whether a source that ends before the range does (a file cut short) may just end early; the
   * caller then says what it did (a transcode's warning). Otherwise that is an error: a removal
   * of fewer frames than the clip would no longer line up with it.
   */
  allowShort?: boolean;
}

/**
 * A source that ended before the frames its header announced. `range` is this decode's, which
 * may start late in the clip (an engine reads in windows): the frames before it were read, so the
 * hint offers everything from the clip's first frame to the last one that exists (out exclusive).
 */
function cutShort(media: MediaInfo, range: FrameRange, got: number): LacunaError {
  const end = range.start + got;
  return new LacunaError(
    'MEDIA_UNREADABLE',
    end > 0
      ? `${media.path} ends after frame ${end - 1}, but its header announces ${media.video!.frameCount} frames: the file is cut short (an interrupted copy or recording?)`
      : `${media.path} has no frame that can be read, but its header announces ${media.video!.frameCount} frames: the file is cut short (an interrupted copy or recording?)`,
    end > 0 ? `Copy it again from the card or camera, or use the frames that are there (-r 0-${end}).` : 'Copy it again from the card or camera.',
  );
}

type SequenceSource = Extract<MediaSource, { kind: 'imageSequence' }>;

/** Whether a YUV pixel format's chroma subsampling divides the picture size (always, for 4:4:4 and RGB). */
export function subsamplingDivides(pixelFormat: string, width: number, height: number): boolean {
  const m = /(?:^|[a-z])(4(?:20|22|11|10|40))/.exec(pixelFormat);
  if (!m) return true;
  const [sx, sy] = ({ '420': [2, 2], '422': [2, 1], '411': [4, 1], '410': [4, 4], '440': [1, 2] } as Record<string, [number, number]>)[m[1]] ?? [1, 1];
  return width % sx === 0 && height % sy === 0;
}

/**
 * The concat demuxer's list for a sequence: one entry per existing file, so numbering with gaps
 * or steps (00000, 00005, …) decodes frame for frame, where image2's %d pattern stops at the
 * first gap. Single quotes in paths are escaped the way ffconcat reads them.
 */
export function concatList(source: SequenceSource, range: FrameRange): string {
  const seconds = (source.fps.den / source.fps.num).toFixed(9);
  const quote = (p: string) => `'${p.replace(/'/g, "'\\''")}'`;
  const files = sequenceFilePaths(source, source.numbers.slice(range.start, range.end));
  return `ffconcat version 1.0\n${files.map((f) => `file ${quote(f)}\nduration ${seconds}\n`).join('')}`;
}

/**
 * ffmpeg arguments that write exactly the range's frames as raw pixels (packed or planar) to stdout.
 * Files: a CFR range starts with an input seek half a frame before its first frame (ffmpeg then
 * decodes from the keyframe before and drops everything earlier, so the first frame out is the
 * range's, whatever float rounding does to the seek time); VFR is conformed with the fps filter
 * and cut with trim by frame number, decoding from the start so a range is exactly the frames
 * the full conformed decode would give. Rotation: ffmpeg's autorotate turns frames upright.
 */
function decodeArgs(media: MediaInfo, range: FrameRange, filter: string, pixelFormat: string, listFile: string | null, ffmpeg: string): string[] {
  const video = requireVideo(media);
  // Asked of the ffmpeg that runs, not the default one: a caller's own build may be older (4.1).
  const timing = passthroughTimingArgs(ffmpeg);
  const count = range.end - range.start;
  const out = ['-an', '-sn', '-dn', '-frames:v', String(count), '-f', 'rawvideo', '-pix_fmt', pixelFormat, 'pipe:1'];
  if (listFile) {
    return ['-nostdin', '-f', 'concat', '-safe', '0', '-i', listFile, '-map', '0:v:0', '-vf', filter, ...timing, ...out];
  }
  const path = media.source.kind === 'file' ? media.source.path : media.path;
  const map = ['-map', `0:${video.index}`];
  if (video.variableFrameRate) {
    const vf = `fps=fps=${toString(video.fps)},trim=start_frame=${range.start}:end_frame=${range.end},setpts=PTS-STARTPTS,${filter}`;
    return ['-nostdin', '-i', path, ...map, '-vf', vf, ...timing, ...out];
  }
  const seek = range.start > 0 ? ['-ss', Math.max(0, secondsToFrame(media, video, range.start - 0.5)).toFixed(6)] : [];
  return ['-nostdin', ...seek, '-i', path, ...map, '-vf', filter, ...timing, ...out];
}

/**
 * Streams the frames of `media` as packed RGB24 (or gray) at the requested size, or in planar YUV
 * with no colour conversion (only scaling and chroma/bit-depth changes), pulled: ffmpeg
 * runs only as fast as the consumer takes frames (see readRawFrames), so memory stays at about
 * one frame whatever the clip's length. Stopping early (break, return) or aborting the signal
 * kills ffmpeg at once; abort rejects with CANCELLED. `counter` is for tests and benchmarks.
 */
export async function* decodeFrames(media: MediaInfo, options: DecodeOptions = {}, counter?: ReadCounter): AsyncGenerator<Frame> {
  const video = requireVideo(media);
  const range = checkedRange(media, options.range);
  const width = options.width ?? video.displayWidth;
  const height = options.height ?? video.displayHeight;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new LacunaError('BAD_ARGUMENT', `decode size must be positive whole pixels, got ${width}x${height}`);
  }
  const pixelFormat = options.pixelFormat ?? 'rgb24';
  const channels = pixelFormat === 'gray' ? 1 : 3;
  const yuv = isYuvFormat(pixelFormat) ? pixelFormat : undefined;
  const ff = options.ffmpeg ?? ffmpegPaths();
  const what = `decoding ${media.path}`;
  let filter: string;
  if (isYuvFormat(pixelFormat)) {
    // An RGB (or gray, or palette) source needs a matrix to become YUV: a colour conversion, which
    // YUV decoding promises not to make. Such sources are decoded to RGB, and encodeFrames
    // converts them with the output's matrix.
    if (!isYuvStream(video.pixelFormat)) {
      throw new LacunaError('BAD_ARGUMENT', `cannot decode ${media.path} to ${pixelFormat} without a colour conversion: its pictures are ${video.pixelFormat}`, 'Decode it to rgb24.');
    }
    filter = toYuvFilter(video.colour, video.displayWidth, video.displayHeight, width, height, pixelFormat);
  } else {
    // zimg refuses subsampled pictures whose size the subsampling does not divide (a 321x179
    // 4:2:0 JPEG); swscale reads them.
    const zscale = (await hasFilter(ff, 'zscale')) && subsamplingDivides(video.pixelFormat, video.width, video.height);
    const converter = options.converter ?? converterFor(effectiveColour(video.colour, video.displayWidth, video.displayHeight), zscale);
    filter = toRgbFilter(video.colour, video.displayWidth, video.displayHeight, width, height, pixelFormat, converter);
  }

  if (media.source.kind === 'file') {
    // Media can go offline between probe and decode (an unplugged drive): say so plainly.
    const path = media.source.path;
    await access(path).catch(() => {
      throw mediaNotFound(path);
    });
  }
  let tempDir: string | null = null;
  let listFile: string | null = null;
  if (media.source.kind === 'imageSequence') {
    tempDir = await mkdtemp(join(tmpdir(), 'lacuna-seq-'));
    listFile = join(tempDir, 'frames.ffconcat');
    await writeFile(listFile, concatList(media.source, range));
  }
  try {
    const run = startFfmpeg(ff.ffmpeg, decodeArgs(media, range, filter, pixelFormat, listFile, ff.ffmpeg), { signal: options.signal, what });
    let index = 0;
    try {
      for await (const data of readRawFrames(run.stdout, frameBytes(pixelFormat, width, height), counter)) {
        if (options.signal?.aborted) throw cancelledError(what);
        if (run.failure) throw run.failure;
        const sourceIndex = range.start + index;
        yield { index, sourceIndex, time: frameToTime(sourceIndex, video.fps), width, height, channels, ...(yuv && { yuv }), data };
        index++;
      }
      await run.done;
      // A conformed variable-rate stream may end one frame before its estimated count.
      const slack = video.variableFrameRate ? 1 : 0;
      if (!options.allowShort && index < range.end - range.start - slack && !options.signal?.aborted) throw cutShort(media, range, index);
    } catch (e) {
      // A decoder that died explains itself better than the broken pipe it left behind.
      if (run.exited || options.signal?.aborted) await run.done;
      throw e;
    } finally {
      run.stop();
    }
  } finally {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}
