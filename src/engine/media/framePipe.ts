import type { Writable } from 'node:stream';
import { LacunaError, cancelledError } from '../util/errors';
import type { FfmpegRun } from './ffmpegProcess';
import { frameBytes, framePixelFormat, type Frame, type FramePixelFormat } from './types';

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
 * Streams frames into a started ffmpeg's stdin with backpressure, checking each frame's geometry,
 * and waits for ffmpeg to finish; on any failure or cancel ffmpeg is stopped first. Returns the
 * number of frames written. The check covers the layout and the byte size as well as the size:
 * ffmpeg reads raw frames by byte count, so one wrong frame would shift every later one.
 */
export async function pipeFrames(
  run: FfmpegRun,
  frames: AsyncIterable<Frame>,
  expect: { width: number; height: number; pixelFormat: FramePixelFormat; signal?: AbortSignal; what: string; output: string },
): Promise<number> {
  const { width, height, pixelFormat, signal, what } = expect;
  const bytes = frameBytes(pixelFormat, width, height);
  let frameCount = 0;
  try {
    for await (const frame of frames) {
      if (signal?.aborted) throw cancelledError(what);
      const format = framePixelFormat(frame);
      if (frame.width !== width || frame.height !== height || format !== pixelFormat || frame.data.length !== bytes) {
        throw new LacunaError(
          'BAD_ARGUMENT',
          `frame ${frame.index} is ${frame.width}x${frame.height} ${format} (${frame.data.length} bytes), ` +
            `but the encoder was set up for ${width}x${height} ${pixelFormat} (${bytes} bytes)`,
        );
      }
      if (run.exited) break; // ffmpeg died: `done` says why
      if (!run.stdin.write(frame.data)) await drained(run.stdin, run, signal, what);
      frameCount++;
    }
    if (frameCount === 0 && !run.exited) throw new LacunaError('BAD_ARGUMENT', `no frames to encode into ${expect.output}`);
    run.stdin.end();
    await run.done;
  } catch (e) {
    run.stop();
    await run.done.catch(() => {});
    if (signal?.aborted) throw cancelledError(what);
    throw e;
  }
  return frameCount;
}
