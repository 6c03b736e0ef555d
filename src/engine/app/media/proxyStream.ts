import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatList } from '../../media/decode';
import { secondsToFrame } from '../../media/sourceTimeline';
import type { MediaRef } from '../../project';
import { mediaSourceOf } from '../../project/mediaSource';
import { timeToFrame, toNumber, toString, type Rational } from '../../util/rational';

export interface ProxyOptions {
  ffmpeg: string;
  /** Seconds into the source (to the millisecond, see src/api/mediaUrl.ts); the player restarts the stream when seeking. */
  start: number;
  /** Preview height cap: enough to judge a removal, cheap enough to encode in real time. */
  maxHeight?: number;
  /** Receives ffmpeg's stderr tail if it fails (the response has already started by then). */
  onError?: (message: string) => void;
  /** Called once when the transcode has ended, however it ended (the handler counts live proxies). */
  onExit?: () => void;
}

/**
 * Demuxers a preview may read a project's file through. A crafted project can name any file as
 * media; with ffmpeg probing freely, some formats render a file's bytes as a picture (text and
 * binary "art" demuxers). This list is the containers and streams editors bring.
 */
const FILE_DEMUXERS = [
  'mov', 'mp4', 'm4a', '3gp', '3g2', 'mj2', 'matroska', 'webm', 'mxf', 'avi', 'mpegts', 'mpeg', 'mpegvideo',
  'flv', 'asf', 'ogg', 'dv', 'gxf', 'lxf', 'h264', 'hevc', 'm4v', 'mjpeg', 'ivf', 'nut', 'wav', 'w64', 'aiff', 'caf',
  'mp3', 'flac', 'aac', 'image2',
].join(',');
/** An image sequence is read as a concat list of image files, and nothing else. */
const SEQUENCE_DEMUXERS = 'concat,image2';

export interface ProxyPlan {
  args: string[];
  /** The concat list an image sequence is read through (written to a temp file), else null. */
  concatList: string | null;
  /** Source frame the stream starts with: the one shown at the requested time. */
  startFrame: number;
  /** That frame's time in the source, seconds: stream time 0 is this source time. */
  startTime: number;
}

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

/**
 * How ffmpeg makes a real-time H.264/AAC preview of `media` from time `start`, as fragmented MP4
 * on stdout. Frame-accurate: the stream's frame n is source frame startFrame + n, the frame the
 * source shows at `start` first (a time within half a millisecond of a frame's start counts as
 * that frame, since the URL carries milliseconds), timed at n / rate whatever the source's own
 * timestamps. A file is seeked half a frame before that frame (ffmpeg drops what comes earlier,
 * so float rounding cannot lose or add a frame); an image sequence is read through a list of its
 * actual files from that frame on at its own rate, so numbering in steps (00000, 00005, …) plays
 * every frame, where image2's `%05d` stops at the first missing number.
 */
export function proxyPlan(media: MediaRef, start: number, maxHeight = 720): ProxyPlan {
  const video = media.probe.video;
  const fps: Rational | null = media.kind === 'imageSequence' ? media.fps : (video?.fps ?? null);
  const startFrame = fps ? timeToFrame(Math.max(0, start) + 0.0005, fps) : 0;
  const rate = fps ? toString(fps) : null;
  const startTime = fps ? startFrame / toNumber(fps) : Math.max(0, start);
  // A constant size (the display size, capped): a sequence whose frames differ in size must not
  // change the stream's size midway, and the browser wants square pixels.
  const height = video ? even(Math.min(maxHeight, video.displayHeight)) : 0;
  const width = video ? even((video.displayWidth * height) / video.displayHeight) : 0;
  const picture = [
    ...(video?.variableFrameRate && rate ? [`fps=fps=${rate}`] : []),
    ...(rate ? [`setpts=N/(${rate}*TB)`] : []),
    video ? `scale=${width}:${height}:flags=bilinear,setsar=1` : `scale=-2:'min(${maxHeight},ih)'`,
    'format=yuv420p',
  ].join(',');

  let input: string[];
  let list: string | null = null;
  let audio: string[] = [];
  if (media.kind === 'imageSequence') {
    const source = mediaSourceOf(media);
    if (source.kind !== 'imageSequence') throw new Error('unreachable');
    const from = Math.min(startFrame, source.numbers.length - 1);
    list = concatList(source, { start: from, end: source.numbers.length });
    input = ['-f', 'concat', '-safe', '0', '-protocol_whitelist', 'file', '-format_whitelist', SEQUENCE_DEMUXERS, '-i', 'LIST'];
  } else {
    let seek = Math.max(0, start);
    if (video && fps) {
      // Half a frame before the frame; the audio drops that half frame, so both start at startTime.
      seek = startFrame > 0 ? Math.max(0, secondsToFrame(media.probe, video, startFrame - 0.5)) : 0;
      if (startFrame > 0) audio = ['-af', `atrim=start=${(0.5 / toNumber(fps)).toFixed(6)},asetpts=PTS-STARTPTS`];
    }
    input = [...(seek > 0 ? ['-ss', seek.toFixed(6)] : []), '-protocol_whitelist', 'file', '-format_whitelist', FILE_DEMUXERS, '-i', media.path];
  }
  const args = [
    '-hide_banner',
    '-loglevel', 'error',
    '-nostdin',
    ...input,
    '-map', '0:v:0?',
    '-map', '0:a:0?',
    '-sn', '-dn',
    '-vf', picture,
    ...audio,
    ...(rate ? ['-r', rate] : []),
    '-c:v', 'libx264',
    '-preset', 'veryfast',
    '-tune', 'zerolatency',
    '-crf', '23',
    // Short GOPs so the browser can start showing frames soon after each fragment.
    '-g', '30',
    '-c:a', 'aac',
    '-b:a', '160k',
    '-ac', '2',
    '-f', 'mp4',
    // Fragmented MP4 needs no seekable output: the moov goes first and fragments follow, so
    // Chromium plays it progressively from a pipe. This is LosslessCut's approach for codecs
    // the browser cannot decode.
    '-movflags', 'frag_keyframe+empty_moov+default_base_moof',
    'pipe:1',
  ];
  return { args, concatList: list, startFrame, startTime };
}

/**
 * Streams a preview transcode of `media` from `start` as a web Response. The response is not
 * seekable (no Range): the player asks for a new stream at the new time instead. Its headers say
 * which source frame and time it starts at (X-Lacuna-Start-Frame, X-Lacuna-Start-Time), for a
 * player that keeps its own clock. ffmpeg is killed when the consumer cancels the body (seek, new
 * clip, window closed).
 */
export async function proxyResponse(media: MediaRef, options: ProxyOptions): Promise<Response> {
  const plan = proxyPlan(media, options.start, options.maxHeight);
  let tempDir: string | null = null;
  let args = plan.args;
  try {
    if (plan.concatList !== null) {
      tempDir = await mkdtemp(join(tmpdir(), 'lacuna-proxy-'));
      const listFile = join(tempDir, 'frames.ffconcat');
      await writeFile(listFile, plan.concatList);
      args = args.map((a) => (a === 'LIST' ? listFile : a));
    }
  } catch (e) {
    options.onExit?.();
    throw e;
  }
  const child = spawn(options.ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  let exited = false;
  const ended = () => {
    if (exited) return;
    exited = true;
    if (tempDir) void rm(tempDir, { recursive: true, force: true });
    options.onExit?.();
  };
  child.on('close', ended);
  child.on('error', ended);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  // Until ffmpeg writes its first bytes (or ends), the answer can still be an HTTP error: a
  // source it cannot read gets a plain 422 rather than a 200 whose stream then breaks.
  let started!: () => void;
  const firstOutput = new Promise<void>((resolve) => (started = resolve));
  let sawOutput = false;
  child.stdout.once('data', () => {
    sawOutput = true;
    started();
  });
  child.once('close', () => started());
  let spawnError: Error | null = null;
  child.once('error', (e) => {
    spawnError = e;
    started();
  });
  let finished = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      child.stdout.on('data', (chunk: Buffer) => {
        // Data already read when the player cancelled (or ffmpeg ended) has nowhere to go; a
        // closed stream must not be written to, or the main process takes an uncaught exception.
        if (finished) return;
        controller.enqueue(new Uint8Array(chunk));
        // Back-pressure: stop reading ffmpeg while the player is not consuming.
        if ((controller.desiredSize ?? 1) <= 0) child.stdout.pause();
      });
      child.on('error', (e) => {
        if (finished) return;
        finished = true;
        options.onError?.(`could not start ffmpeg: ${e.message}`);
        controller.error(e);
      });
      child.on('close', (code) => {
        if (finished) return;
        finished = true;
        if (code === 0) controller.close();
        else {
          options.onError?.(`proxy transcode of ${media.path} failed (exit ${code}): ${stderr.trim()}`);
          controller.error(new Error(`ffmpeg exited with ${code}`));
        }
      });
    },
    pull() {
      child.stdout.resume();
    },
    cancel() {
      finished = true;
      child.kill('SIGKILL');
    },
  }, new CountQueuingStrategy({ highWaterMark: 16 }));
  await firstOutput;
  if (spawnError) {
    return new Response(`could not start ffmpeg: ${(spawnError as Error).message}`, { status: 503, headers: { 'Content-Type': 'text/plain' } });
  }
  if (child.exitCode !== null && child.exitCode !== 0 && child.stdout.readableLength === 0 && !sawOutput) {
    void body.cancel().catch(() => {});
    return new Response('this media cannot be previewed (ffmpeg could not read it)', { status: 422, headers: { 'Content-Type': 'text/plain' } });
  }
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': 'video/mp4',
      'Cache-Control': 'no-store',
      'X-Lacuna-Start-Frame': String(plan.startFrame),
      'X-Lacuna-Start-Time': plan.startTime.toFixed(6),
    },
  });
}
