import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { LacunaError, cancelledError } from '../util/errors';
import { toolFailure } from '../util/toolFailure';

/**
 * A long-running ffmpeg whose stdin/stdout the engine streams through (runProcess collects
 * output whole, which is what streaming must not do). Aborting the signal kills it at once;
 * `stop()` ends it quietly when the consumer has what it needs (a range's last frame, say).
 */
export interface FfmpegRun {
  stdin: Writable;
  stdout: Readable;
  /** Resolves when ffmpeg exits 0 or was stopped; rejects CANCELLED or FFMPEG_FAILED. */
  done: Promise<void>;
  stop(): void;
  /** Whether the process has exited. */
  readonly exited: boolean;
  /**
   * Resolves when the process exits, however (never rejects): lets a writer that is waiting on
   * its producer notice at once that ffmpeg has gone, rather than at its next write.
   */
  readonly gone: Promise<void>;
  /**
   * Set as soon as the process has died of an error or a signal nobody sent it, with its last
   * words, while its output may still be buffered: a reader can stop at once rather than
   * draining frames a failed decoder left behind before `done` (which waits for the pipes) says so.
   */
  readonly failure: LacunaError | null;
}

/** What ffmpeg prints when finishing its output failed, even where it then exits 0. */
const TORN_AT_CLOSE = /^Error (writing trailer|closing file)\b/m;

export function startFfmpeg(bin: string, args: readonly string[], options: { signal?: AbortSignal; what: string }): FfmpegRun {
  const { signal, what } = options;
  if (signal?.aborted) throw cancelledError(what);
  const child: ChildProcess = spawn(bin, ['-hide_banner', '-nostats', '-loglevel', 'error', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let stderr = '';
  let stopped = false;
  let exited = false;
  let failure: LacunaError | null = null;
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 200_000) stderr = stderr.slice(-50_000);
  });
  const kill = () => {
    if (!exited) child.kill('SIGKILL');
  };
  signal?.addEventListener('abort', kill, { once: true });
  // A consumer that stops early closes the pipes; the resulting EPIPE is expected, not an error.
  child.stdin!.on('error', () => {});
  child.stdout!.on('error', () => {});
  child.on('exit', (code, sig) => {
    if (code === 0 || stopped || signal?.aborted) return;
    const settle = () => {
      if (!stopped && !signal?.aborted) failure = toolFailure(what, stderr, { code, signal: sig });
    };
    // Its last words on stderr are all in once that pipe has closed (before or after the exit).
    if (child.stderr!.closed) settle();
    else child.stderr!.once('close', settle);
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (e) => {
      exited = true;
      signal?.removeEventListener('abort', kill);
      reject(new LacunaError('FFMPEG_FAILED', `could not start ${bin} for ${what}: ${e.message}`, undefined, { cause: e }));
    });
    child.on('close', (code, sig) => {
      exited = true;
      signal?.removeEventListener('abort', kill);
      if (signal?.aborted) return reject(cancelledError(what));
      if (stopped) return resolve();
      // ffmpeg 5 exits 0 when writing the file's end fails (a disk that filled at the last
      // moment): the file is torn, so that is a failure whatever the exit code says.
      if (code === 0 && !TORN_AT_CLOSE.test(stderr)) return resolve();
      reject(toolFailure(what, stderr, { code, signal: sig }));
    });
  });
  // Callers await `done` only at the end; never let an early failure surface as unhandled.
  done.catch(() => {});
  const gone = done.then(
    () => {},
    () => {},
  );
  return {
    stdin: child.stdin!,
    stdout: child.stdout!,
    done,
    stop() {
      stopped = true;
      kill();
    },
    get exited() {
      return exited;
    },
    get failure() {
      return failure;
    },
    gone,
  };
}
