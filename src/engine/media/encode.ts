import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { produceAtomically } from '../util/atomicWrite';
import { finalNameOf } from '../util/partialFiles';
import { LacunaError } from '../util/errors';
import { toString, type Rational } from '../util/rational';
import { colourTagArgs, converterFor, effectiveColour, fromRgbFilter, fromYuvFilter, sameMatrix, type ColourConverter } from './colourSpace';
import { deliveryColour } from './deliveryColour';
import { mxfLabelsMatrix } from './mxfColourLabels';
import { hasFilter } from './ffmpegFilters';
import { audioCodecArgs, checkCodecContainer, containerArgs, containerFor, type Container } from './deliveryCodecs';
import { ffmpegPaths, passthroughTimingArgs, type FfmpegPaths } from './ffmpegLocator';
import { startFfmpeg } from './ffmpegProcess';
import { pipeFrames, releaseInput } from './framePipe';
import { guardOutput, protectedSources } from './outputGuard';
import { checkedRange, secondsToFrame } from './sourceTimeline';
import { encodeImageSequence } from './encodeSequence';
import { isSequencePattern } from './imageSequenceSource';
import { isYuvFormat, type ColourInfo, type DeliveryCodec, type Frame, type FramePixelFormat, type FrameRange, type MediaInfo, type MediaSource } from './types';

export interface EncodeOptions {
  output: string;
  codec: DeliveryCodec;
  width: number;
  height: number;
  fps: Rational;
  /**
   * The frames' layout: rgb24 (default), gray, or planar YUV (video outputs only) already in
   * `colour`'s matrix and range, which is then only re-laid-out for the codec (no conversion).
   */
  pixelFormat?: FramePixelFormat;
  /** Colour tags of the source; RGB frames are converted to YUV with its matrix, and all are tagged with it. */
  colour?: ColourInfo;
  /** Copy the source audio of exactly that range (re-encoded to what the container takes). */
  audioFrom?: { media: MediaInfo; range: FrameRange };
  /** The source's stream time base, kept in .mov/.mp4 when the frame rate divides it exactly. */
  timeBase?: Rational;
  /** SMPTE timecode of the first frame, written as the output's start timecode. */
  timecode?: string;
  overwrite?: boolean;
  signal?: AbortSignal;
  ffmpeg?: FfmpegPaths;
  /** RGB → YUV implementation; zscale when the ffmpeg build has it (see colourSpace.ts). Unused for YUV frames. */
  converter?: ColourConverter;
  /** Media that must never be written over (the render's sources), beside `audioFrom`'s. */
  sources?: readonly MediaSource[];
  /** Image-sequence outputs (`frames/%05d.png`): the number of the first file (default 0). */
  firstNumber?: number;
  /** What this encode is, for messages ("the take", "the matte"); "the encoder" when absent. */
  stage?: string;
  /** Called once ffmpeg's pipe has taken a frame (or dropped it, failing): its memory is free again. */
  onWritten?: (frame: Frame) => void;
}

/** How an encode is named in errors: its stage and the file it makes. */
export function encodeLabel(options: Pick<EncodeOptions, 'stage' | 'output'>): string {
  return `${options.stage ?? 'the encoder'} (${finalNameOf(options.output)})`;
}

/** Input options for the source's audio of `range`: an accurate seek and a duration, in seconds. */
function audioInput(audioFrom: NonNullable<EncodeOptions['audioFrom']>): string[] {
  const { media, range } = audioFrom;
  const video = media.video!;
  const start = secondsToFrame(media, video, range.start);
  const seconds = ((range.end - range.start) * video.fps.den) / video.fps.num;
  const path = media.source.kind === 'file' ? media.source.path : media.path;
  // No seek for a range from the start: ffmpeg 4.1 (the npm-shipped build) drops the first AAC
  // frame after any input seek, even to 0, and the take's sound came out 1024 samples short.
  return [...(start > 0 ? ['-ss', start.toFixed(6)] : []), '-t', seconds.toFixed(6), '-i', path];
}


/** Keeps the source's time base where every frame still lands on a whole tick of it. */
function timescaleArgs(container: Container, fps: Rational, timeBase: Rational | undefined): string[] {
  if (!timeBase || (container !== 'mov' && container !== 'mp4') || timeBase.num !== 1) return [];
  const ticksPerFrame = (timeBase.den * fps.den) / fps.num;
  return Number.isInteger(ticksPerFrame) ? ['-video_track_timescale', String(timeBase.den)] : [];
}

function checkGeometry(options: EncodeOptions, subsampling: [number, number], label: string): void {
  const { width, height, fps } = options;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new LacunaError('BAD_ARGUMENT', `encode size must be positive whole pixels, got ${width}x${height}`);
  }
  if (width % subsampling[0] || height % subsampling[1]) {
    throw new LacunaError(
      'BAD_ARGUMENT',
      `${label} needs ${subsampling[1] === 2 ? 'an even width and height' : 'an even width'}, got ${width}x${height}`,
      'Scale or crop the frames by one pixel, or choose another codec.',
    );
  }
  if (!(fps.num > 0 && fps.den > 0)) throw new LacunaError('BAD_ARGUMENT', `frame rate must be positive, got ${toString(fps)}`);
}


/**
 * Encodes frames to `output` as they arrive, writing to a temp file beside it that is renamed
 * into place only when ffmpeg finished cleanly; a failure or cancel removes it. The frame rate
 * is the given one exactly (frames are numbered, not timed, on the way in), the colour tags are
 * written to the stream, and `audioFrom` puts the source audio of the same range alongside.
 * RGB frames are converted to the codec's YUV with the colour's matrix; YUV frames are taken to
 * be in that matrix already and are only re-laid-out (chroma subsampling, bit depth).
 * Frames are written with backpressure: a slow encoder pauses the producer.
 */
export async function encodeFrames(frames: AsyncIterable<Frame>, options: EncodeOptions): Promise<{ output: string; frameCount: number }> {
  try {
    return await (isSequencePattern(options.output) ? encodeImageSequence(frames, options) : encodeVideo(frames, options));
  } catch (e) {
    // However it failed (a refused option before ffmpeg started, included), the producer must
    // not wait for ever to hand over its next frame.
    releaseInput(frames[Symbol.asyncIterator]());
    throw e;
  }
}

async function encodeVideo(frames: AsyncIterable<Frame>, options: EncodeOptions): Promise<{ output: string; frameCount: number }> {
  const output = resolve(options.output);
  const container = containerFor(output);
  const profile = checkCodecContainer(options.codec, container, output);
  checkGeometry(options, profile.subsampling, profile.label);
  const audioFrom = options.audioFrom?.media.audio.length ? options.audioFrom : undefined;
  if (audioFrom) checkedRange(audioFrom.media, audioFrom.range);
  await guardOutput(output, protectedSources(options), options.overwrite ?? false);

  const { width, height, fps, signal } = options;
  const inputFormat = options.pixelFormat ?? 'rgb24';
  // Written in the codec's legal range and with tags it can hold (deliveryColour.ts): RGB frames
  // are converted to exactly that, YUV frames (in `colour`'s matrix and range) have their levels
  // moved to it.
  let colour = deliveryColour(options.colour, width, height, options.codec).colour;
  const ff = options.ffmpeg ?? ffmpegPaths();
  // An MXF writer that labels everything BT.709 (ffmpeg 4.x): make the label true by converting
  // RGB frames to the BT.709 matrix (the primaries it cannot say; see mxfColourLabels.ts).
  if (container === 'mxf' && !isYuvFormat(inputFormat) && colour.matrix !== 'bt709' && !(await mxfLabelsMatrix(ff))) colour = { ...colour, matrix: 'bt709' };
  const what = encodeLabel(options);
  let filter: string;
  if (isYuvFormat(inputFormat)) {
    const given = effectiveColour(options.colour, width, height);
    if (!sameMatrix(given.matrix, colour.matrix)) {
      throw new LacunaError('BAD_ARGUMENT', `${what}: YUV frames in the ${given.matrix} matrix cannot be written as ${colour.matrix} without a colour conversion`, 'Hand the encoder RGB frames.');
    }
    filter = fromYuvFilter(colour, profile.pixelFormat, given.range);
  } else {
    filter = fromRgbFilter(colour, profile.pixelFormat, options.converter ?? converterFor(colour, await hasFilter(ff, 'zscale')), inputFormat === 'gray' ? 'gray' : 'rgb24');
  }

  return produceAtomically(output, async (tempPath) => {
    // Made now, not when ffmpeg opens it after the first frame (which may be a long fill away):
    // a read-only or full drive fails the job before any work.
    await (await open(tempPath, 'w')).close();
    const args = [
      '-f', 'rawvideo', '-pix_fmt', inputFormat, '-s', `${width}x${height}`, '-framerate', toString(fps), '-i', 'pipe:0',
      ...(audioFrom ? audioInput(audioFrom) : []),
      '-map', '0:v:0', ...(audioFrom ? ['-map', '1:a:0'] : []),
      '-vf', filter,
      ...profile.encoderArgs, ...passthroughTimingArgs(ff.ffmpeg),
      ...colourTagArgs(colour),
      ...timescaleArgs(container, fps, options.timeBase),
      ...(options.timecode ? ['-timecode', options.timecode] : []),
      ...(audioFrom ? audioCodecArgs(container) : []),
      ...containerArgs(options.codec, container),
      '-y', tempPath,
    ];
    const frameCount = await pipeFrames(startFfmpeg(ff.ffmpeg, args, { signal, what }), frames, { width, height, pixelFormat: inputFormat, signal, what, output, ...(options.onWritten && { onWritten: options.onWritten }) });
    return { output, frameCount };
  });
}
