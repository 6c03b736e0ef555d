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
 * Tells the producer of `frames` that nobody will read on (an encoder that failed, even before
 * its first read): a channel closes, a generator finishes. Not awaited while a read is still in
 * flight, since a generator busy producing answers `return` only once it yields.
 */
export function releaseInput(iterator: AsyncIterator<unknown>, pending?: Promise<unknown>): void {
  const release = () => Promise.resolve(iterator.return?.()).catch(() => {});
  if (pending) void pending.then(release, release);
  else void release();
}

/** Marks ffmpeg's exit while its writer waits for the producer. */
const GONE = Symbol('ffmpeg exited');

/**
 * Streams frames into a started ffmpeg's stdin with backpressure, checking each frame's geometry,
 * and waits for ffmpeg to finish; on any failure or cancel ffmpeg is stopped first and the
 * producer is released (releaseInput). Returns the number of frames written. The check covers
 * the layout and the byte size as well as the size: ffmpeg reads raw frames by byte count, so one
 * wrong frame would shift every later one. While it waits for the next frame it also watches
 * ffmpeg: an encoder that dies (or exits) while the producer is busy fails the write at once,
 * with ffmpeg's reason, instead of at the next frame.
 */
export async function pipeFrames(
  run: FfmpegRun,
  frames: AsyncIterable<Frame>,
  expect: { width: number; height: number; pixelFormat: FramePixelFormat; signal?: AbortSignal; what: string; output: string; onWritten?: (frame: Frame) => void },
): Promise<number> {
  const { width, height, pixelFormat, signal, what } = expect;
  const bytes = frameBytes(pixelFormat, width, height);
  const iterator = frames[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<Frame>> | undefined;
  let frameCount = 0;
  try {
    for (;;) {
      pending = iterator.next();
      const next = await Promise.race([pending, run.gone.then((): typeof GONE => GONE)]);
      if (next === GONE) {
        await run.done; // rejects with ffmpeg's reason when it failed
        throw new LacunaError('FFMPEG_FAILED', `${what} failed: ffmpeg exited after ${frameCount} frames, before it was given them all`);
      }
      pending = undefined;
      if (next.done) break;
      const frame = next.value;
      if (signal?.aborted) throw cancelledError(what);
      const format = framePixelFormat(frame);
      if (frame.width !== width || frame.height !== height || format !== pixelFormat || frame.data.length !== bytes) {
        throw new LacunaError(
          'BAD_ARGUMENT',
          `frame ${frame.index} is ${frame.width}x${frame.height} ${format} (${frame.data.length} bytes), ` +
            `but the encoder was set up for ${width}x${height} ${pixelFormat} (${bytes} bytes)`,
        );
      }
      // The callback comes once the pipe has the bytes (or the write failed): the frame's memory is free.
      const onWritten = expect.onWritten;
      const more = onWritten ? run.stdin.write(frame.data, () => onWritten(frame)) : run.stdin.write(frame.data);
      if (!more) await drained(run.stdin, run, signal, what);
      frameCount++;
    }
    if (frameCount === 0 && !run.exited) throw new LacunaError('BAD_ARGUMENT', `no frames to encode into ${expect.output}`);
    run.stdin.end();
    await run.done;
  } catch (e) {
    run.stop();
    releaseInput(iterator, pending);
    await run.done.catch(() => {});
    if (signal?.aborted) throw cancelledError(what);
    throw e;
  }
  return frameCount;
}
