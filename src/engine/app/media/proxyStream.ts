import { spawn } from 'node:child_process';

export interface ProxyOptions {
  ffmpeg: string;
  /** Seconds into the source to start from; the player restarts the stream when seeking. */
  start: number;
  /** Preview height cap: enough to judge a removal, cheap enough to encode in real time. */
  maxHeight?: number;
  /** Receives ffmpeg's stderr tail if it fails (the response has already started by then). */
  onError?: (message: string) => void;
}

/** ffmpeg arguments for a real-time H.264/AAC preview as fragmented MP4 on stdout. */
export function proxyArgs(source: string, start: number, maxHeight = 720): string[] {
  return [
    '-hide_banner',
    '-loglevel', 'error',
    '-nostdin',
    // Input seeking (before -i) is fast and frame-accurate on decode in current ffmpeg.
    ...(start > 0 ? ['-ss', start.toFixed(3)] : []),
    '-i', source,
    '-map', '0:v:0?',
    '-map', '0:a:0?',
    '-sn', '-dn',
    '-vf', `scale=-2:'min(${maxHeight},ih)':flags=bilinear,format=yuv420p`,
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
}

/**
 * Streams a preview transcode of `source` from `start` as a web Response. The response is not
 * seekable (no Range): the player asks for a new stream at the new time instead. ffmpeg is
 * killed when the consumer cancels the body (seek, new clip, window closed).
 */
export function proxyResponse(source: string, options: ProxyOptions): Response {
  const child = spawn(options.ffmpeg, proxyArgs(source, options.start, options.maxHeight), {
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
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
          options.onError?.(`proxy transcode of ${source} failed (exit ${code}): ${stderr.trim()}`);
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
  return new Response(body, {
    status: 200,
    headers: { 'Content-Type': 'video/mp4', 'Cache-Control': 'no-store' },
  });
}
