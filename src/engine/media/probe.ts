import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isLacunaError } from '../util/errors';
import { rational, toString, type Rational } from '../util/rational';
import { runProcess } from '../util/runProcess';
import { toolMessage } from '../util/toolFailure';
import { ffmpegPaths, type FfmpegPaths } from './ffmpegLocator';
import {
  FfprobeOutputSchema,
  audioStreamOf,
  mainVideoStream,
  num,
  startTimecodeOf,
  videoStreamOf,
  type FfprobeOutput,
} from './ffprobeJson';
import {
  isFolder,
  isGlobPattern,
  isSequencePattern,
  sequenceFilePaths,
  sequenceFromFolder,
  sequenceFromGlob,
  sequenceFromPattern,
  sequenceGapWarning,
} from './imageSequenceSource';
import { checkSequenceFrameSizes } from './sequenceFrameSizes';
import { checkFrameSize } from './frameSizeLimit';
import { mediaNotFound, mediaUnreadable } from './mediaErrors';
import type { MediaInfo, MediaSource } from './types';

export interface ProbeOptions {
  /** Frame rate of an image sequence (image files carry none). Ignored for video files. */
  fps?: Rational;
  signal?: AbortSignal;
  ffmpeg?: FfmpegPaths;
}

/**
 * The rate an image sequence gets when nobody said: 25 fps (the PAL/EBU rate, ffmpeg's own
 * image2 default). The probe carries a warning saying so, because a wrong rate silently changes
 * every timecode and the delivered clip's length.
 */
export const DEFAULT_SEQUENCE_FPS: Rational = rational(25);

type SequenceSource = Extract<MediaSource, { kind: 'imageSequence' }>;

async function ffprobeJson(path: string, ff: FfmpegPaths, signal?: AbortSignal): Promise<FfprobeOutput> {
  let stdout: Buffer;
  try {
    ({ stdout } = await runProcess(
      ff.ffprobe,
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-i', path],
      { signal, what: 'ffprobe' },
    ));
  } catch (e) {
    if (isLacunaError(e, 'FFMPEG_FAILED')) {
      // ffmpeg refuses pictures past its own limit before Lacuna sees the size: say it as ours.
      const huge = /Picture size (\d+)x(\d+) is invalid/.exec(e.detail ?? e.message);
      if (huge) checkFrameSize(path, Number(huge[1]), Number(huge[2]));
      // ffprobe prefixes its reason with the path, which the error already names.
      throw mediaUnreadable(path, toolMessage(e.detail ?? e.message, 1).split(`${path}: `).join(''));
    }
    throw e;
  }
  const parsed = FfprobeOutputSchema.safeParse(JSON.parse(stdout.toString('utf8') || '{}'));
  if (!parsed.success) throw mediaUnreadable(path, 'ffprobe gave output Lacuna does not understand');
  return parsed.data;
}

/** Packets in the first video stream, read from the whole file: for containers with no count (MKV, WebM). */
async function countVideoPackets(path: string, ff: FfmpegPaths, signal?: AbortSignal): Promise<number | undefined> {
  const { stdout } = await runProcess(
    ff.ffprobe,
    ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=index,nb_read_packets', '-print_format', 'json', '-i', path],
    { signal, what: 'ffprobe (counting frames)' },
  );
  const parsed = FfprobeOutputSchema.safeParse(JSON.parse(stdout.toString('utf8') || '{}'));
  return parsed.success ? num(parsed.data.streams[0]?.nb_read_packets) : undefined;
}

/**
 * Whether a QuickTime/MP4 file's data stops before what its index (read first, when it sits at
 * the start) says it holds: a copy or a render that did not finish. Reads from the last keyframe
 * the index names: in a whole file that packet is there; in a cut one it lies past the end.
 */
async function dataEndsEarly(path: string, fileSize: number, ff: FfmpegPaths, signal?: AbortSignal): Promise<boolean> {
  const { stdout } = await runProcess(
    ff.ffprobe,
    ['-v', 'error', '-read_intervals', '99999999%+#1', '-show_entries', 'packet=pos,size', '-print_format', 'json', '-i', path],
    { signal, what: 'ffprobe (checking the end of the file)' },
  );
  const packets = (JSON.parse(stdout.toString('utf8') || '{}') as { packets?: { pos?: string; size?: string }[] }).packets ?? [];
  if (packets.length === 0) return true;
  return packets.some((p) => Number(p.pos) + Number(p.size) > fileSize);
}

async function probeFile(path: string, ff: FfmpegPaths, signal?: AbortSignal): Promise<MediaInfo> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw mediaUnreadable(path, 'not a regular file');
    size = st.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw mediaNotFound(path);
    throw e;
  }
  const out = await ffprobeJson(path, ff, signal);
  const formatName = out.format?.format_name;
  // ffprobe reads any text file as an ANSI-art "video" (format tty): that is not media.
  if (formatName === 'tty') throw mediaUnreadable(path, 'it is a text file');
  const formatDuration = num(out.format?.duration);
  const vs = mainVideoStream(out);
  const needsCount = vs && num(vs.nb_frames) === undefined && vs.avg_frame_rate === vs.r_frame_rate;
  const counted = needsCount ? await countVideoPackets(path, ff, signal) : undefined;
  const video = vs ? videoStreamOf(vs, formatDuration, counted) : null;
  if (video) checkFrameSize(path, video.width, video.height);
  const audio = out.streams.filter((s) => s.codec_type === 'audio').map((s) => audioStreamOf(s, formatDuration));
  if (!video && audio.length === 0) throw mediaUnreadable(path, 'it has no video or audio stream');
  const warnings: string[] = [];
  const indexed = /\b(mov|mp4)\b/.test(formatName ?? '');
  if (indexed && video && video.frameCount > 1 && (await dataEndsEarly(path, size, ff, signal))) {
    warnings.push(
      `the file is cut short: its header announces ${video.frameCount} frames, but its data stops before the last of them ` +
        '(a copy or render that did not finish?); a removal refuses it, a transcode keeps the frames there are',
    );
  }
  if (video?.variableFrameRate) {
    warnings.push(
      `variable frame rate: frames will be conformed to a constant ${toString(video.fps)} fps ` +
        `(${video.frameCount} frames) when decoding, duplicating or dropping frames where the timing drifts`,
    );
  }
  const startTimecode = startTimecodeOf(out);
  return {
    source: { kind: 'file', path },
    path,
    ...(formatName ? { container: formatName } : {}),
    duration: formatDuration ?? video?.duration ?? audio[0]?.duration ?? 0,
    ...(startTimecode ? { startTimecode } : {}),
    video,
    audio,
    fileSize: size,
    ...(warnings.length ? { warnings } : {}),
  };
}

async function probeSequence(source: SequenceSource, fpsGiven: boolean, ff: FfmpegPaths, signal?: AbortSignal): Promise<MediaInfo> {
  const files = sequenceFilePaths(source);
  const sizes = await Promise.all(
    files.map(async (f) => {
      try {
        return (await stat(f)).size;
      } catch {
        throw mediaNotFound(f, `frame ${f} of image sequence`);
      }
    }),
  );
  // All frames of a sequence share a format; the first file stands for them all.
  const out = await ffprobeJson(files[0], ff, signal);
  const vs = mainVideoStream(out);
  const { fps } = source;
  const first = vs && videoStreamOf({ ...vs, r_frame_rate: toString(fps), avg_frame_rate: toString(fps) }, undefined, 1);
  if (!first) throw mediaUnreadable(files[0], 'it is not an image');
  checkFrameSize(files[0], first.width, first.height);
  await checkSequenceFrameSizes(files);
  const frameCount = files.length;
  const duration = (frameCount * fps.den) / fps.num;
  const warnings = fpsGiven
    ? []
    : [`image sequence frame rate not given: assuming ${toString(fps)} fps; set the clip's frame rate if it was shot at another rate`];
  const gaps = sequenceGapWarning(source);
  if (gaps) warnings.push(gaps);
  return {
    source,
    path: source.pattern,
    container: 'image sequence',
    duration,
    video: {
      ...first,
      fps,
      variableFrameRate: false,
      timeBase: rational(fps.den, fps.num),
      frameCount,
      duration,
      startTime: 0,
    },
    audio: [],
    fileSize: sizes.reduce((a, b) => a + b, 0),
    ...(warnings.length ? { warnings } : {}),
  };
}

/** What the user pointed at, as a MediaSource: a file, or a sequence from a folder, pattern or glob. */
async function resolveSource(input: string | MediaSource, fps: Rational | undefined): Promise<{ source: MediaSource; fpsGiven: boolean }> {
  if (typeof input !== 'string') {
    if (input.kind === 'imageSequence' && fps) return { source: { ...input, fps }, fpsGiven: true };
    return { source: input, fpsGiven: true };
  }
  const path = resolve(input);
  const rate = fps ?? DEFAULT_SEQUENCE_FPS;
  if (isSequencePattern(path)) return { source: await sequenceFromPattern(path, rate), fpsGiven: !!fps };
  if (isGlobPattern(path)) return { source: await sequenceFromGlob(path, rate), fpsGiven: !!fps };
  if (await isFolder(path)) return { source: await sequenceFromFolder(path, rate), fpsGiven: !!fps };
  return { source: { kind: 'file', path }, fpsGiven: true };
}

/**
 * Probes `input`: a media file path; a folder of numbered images; a printf pattern
 * ("shots/%05d.png") or a file-name glob ("shots/*.jpg"); or a MediaSource. Image sequences
 * take `options.fps` (else the MediaSource's own, else DEFAULT_SEQUENCE_FPS with a warning).
 * Throws MEDIA_NOT_FOUND for a missing path and MEDIA_UNREADABLE for one that is not media.
 */
export async function probeMedia(input: string | MediaSource, options: ProbeOptions = {}): Promise<MediaInfo> {
  const ff = options.ffmpeg ?? ffmpegPaths();
  const { source, fpsGiven } = await resolveSource(input, options.fps);
  if (source.kind === 'imageSequence') {
    if (source.numbers.length === 0) throw mediaNotFound(source.pattern, 'image sequence (no frames)');
    return probeSequence(source, fpsGiven, ff, options.signal);
  }
  return probeFile(resolve(source.path), ff, options.signal);
}
