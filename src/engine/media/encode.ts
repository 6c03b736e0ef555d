import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { produceAtomically } from '../util/atomicWrite';
import { LacunaError, cancelledError } from '../util/errors';
import { toString, type Rational } from '../util/rational';
import { colourTagArgs, converterFor, effectiveColour, fromRgbFilter, type ColourConverter } from './colourSpace';
import { hasFilter } from './ffmpegFilters';
import { audioCodecArgs, checkCodecContainer, containerArgs, containerFor, type Container } from './deliveryCodecs';
import { ffmpegPaths, type FfmpegPaths } from './ffmpegLocator';
import { startFfmpeg, type FfmpegRun } from './ffmpegProcess';
import { guardOutput } from './outputGuard';
import { checkedRange, secondsToFrame } from './sourceTimeline';
import type { ColourInfo, DeliveryCodec, Frame, FrameRange, MediaInfo } from './types';

export interface EncodeOptions {
  output: string;
  codec: DeliveryCodec;
  width: number;
  height: number;
  fps: Rational;
  pixelFormat?: 'rgb24' | 'gray';
  /** Colour tags of the source; frames are converted to YUV with its matrix and tagged with it. */
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
  /** RGB → YUV implementation; zscale when the ffmpeg build has it (see colourSpace.ts). */
  converter?: ColourConverter;
}

/** Input options for the source's audio of `range`: an accurate seek and a duration, in seconds. */
function audioInput(audioFrom: NonNullable<EncodeOptions['audioFrom']>): string[] {
  const { media, range } = audioFrom;
  const video = media.video!;
  const start = secondsToFrame(media, video, range.start);
  const seconds = ((range.end - range.start) * video.fps.den) / video.fps.num;
  const path = media.source.kind === 'file' ? media.source.path : media.path;
  return ['-ss', start.toFixed(6), '-t', seconds.toFixed(6), '-i', path];
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

/** Resolves when the pipe can take more; rejects if ffmpeg exits or the job is cancelled first. */
function drained(stdin: Writable, run: FfmpegRun, signal: AbortSignal | undefined, what: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const cleanup = () => {
      stdin.off('drain', onDrain);
      stdin.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    };
    const onDrain = () => (cleanup(), resolvePromise());
    const onClose = () => (cleanup(), run.done.then(() => reject(new LacunaError('FFMPEG_FAILED', `${what}: encoder closed its input early`)), reject));
    const onAbort = () => (cleanup(), reject(cancelledError(what)));
    stdin.on('drain', onDrain);
    stdin.on('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Encodes frames to `output` as they arrive, writing to a temp file beside it that is renamed
 * into place only when ffmpeg finished cleanly; a failure or cancel removes it. The frame rate
 * is the given one exactly (frames are numbered, not timed, on the way in), the colour tags are
 * written to the stream, and `audioFrom` puts the source audio of the same range alongside.
 * Frames are written with backpressure: a slow encoder pauses the producer.
 */
export async function encodeFrames(frames: AsyncIterable<Frame>, options: EncodeOptions): Promise<{ output: string; frameCount: number }> {
  const output = resolve(options.output);
  const container = containerFor(output);
  const profile = checkCodecContainer(options.codec, container, output);
  checkGeometry(options, profile.subsampling, profile.label);
  const audioFrom = options.audioFrom?.media.audio.length ? options.audioFrom : undefined;
  if (audioFrom) checkedRange(audioFrom.media, audioFrom.range);
  await guardOutput(output, options.audioFrom ? [options.audioFrom.media.source] : [], options.overwrite ?? false);

  const { width, height, fps, signal } = options;
  const inputFormat = options.pixelFormat ?? 'rgb24';
  const channels = inputFormat === 'gray' ? 1 : 3;
  const colour = effectiveColour(options.colour, width, height);
  const ff = options.ffmpeg ?? ffmpegPaths();
  const what = `encoding ${output}`;
  const converter = options.converter ?? converterFor(colour, await hasFilter(ff, 'zscale'));

  return produceAtomically(output, async (tempPath) => {
    const args = [
      '-f', 'rawvideo', '-pix_fmt', inputFormat, '-s', `${width}x${height}`, '-framerate', toString(fps), '-i', 'pipe:0',
      ...(audioFrom ? audioInput(audioFrom) : []),
      '-map', '0:v:0', ...(audioFrom ? ['-map', '1:a:0'] : []),
      '-vf', fromRgbFilter(colour, profile.pixelFormat, converter),
      ...profile.encoderArgs, '-fps_mode', 'passthrough',
      ...colourTagArgs(colour),
      ...timescaleArgs(container, fps, options.timeBase),
      ...(options.timecode ? ['-timecode', options.timecode] : []),
      ...(audioFrom ? audioCodecArgs(container) : []),
      ...containerArgs(options.codec, container),
      '-y', tempPath,
    ];
    const run = startFfmpeg(ff.ffmpeg, args, { signal, what });
    let frameCount = 0;
    try {
      for await (const frame of frames) {
        if (signal?.aborted) throw cancelledError(what);
        if (frame.width !== width || frame.height !== height || frame.channels !== channels) {
          throw new LacunaError(
            'BAD_ARGUMENT',
            `frame ${frame.index} is ${frame.width}x${frame.height}x${frame.channels}, but the encoder was set up for ${width}x${height}x${channels}`,
          );
        }
        if (run.exited) break; // ffmpeg died: `done` says why
        if (!run.stdin.write(frame.data)) await drained(run.stdin, run, signal, what);
        frameCount++;
      }
      if (frameCount === 0 && !run.exited) throw new LacunaError('BAD_ARGUMENT', `no frames to encode into ${output}`);
      run.stdin.end();
      await run.done;
    } catch (e) {
      run.stop();
      await run.done.catch(() => {});
      if (signal?.aborted) throw cancelledError(what);
      throw e;
    }
    return { output, frameCount };
  });
}
