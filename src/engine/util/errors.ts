import { dirname, join } from 'node:path';
import { finalNameOf, isPartialPath } from './partialFiles';

/**
 * The one error type the engine throws for anything a user can act on. `code` is stable (CLI
 * exit codes, IPC and tests key on it); `hint` says what to do about it. Programming errors stay
 * plain Errors so they are never mistaken for user mistakes.
 */
export type LacunaErrorCode =
  | 'FFMPEG_NOT_FOUND'
  | 'FFMPEG_FAILED'
  | 'MEDIA_NOT_FOUND'
  | 'MEDIA_UNREADABLE'
  | 'BAD_ARGUMENT'
  | 'BAD_RANGE'
  | 'OUTPUT_EXISTS'
  | 'WOULD_OVERWRITE_SOURCE'
  | 'PROJECT_INVALID'
  | 'PROJECT_NOT_FOUND'
  | 'PROJECT_TOO_NEW'
  | 'PROJECT_LOCKED'
  | 'PROJECT_CHANGED'
  | 'NOT_FOUND'
  | 'CANCELLED'
  | 'MODEL_PACK_INVALID'
  | 'MODEL_PACK_NOT_FOUND'
  | 'UNSUPPORTED'
  /** The disk (or quota) filled up while writing. */
  | 'DISK_FULL'
  /** A file or folder could not be written (read-only volume, permissions, a folder that vanished). */
  | 'CANNOT_WRITE'
  /** A language model the chat task was told to use cannot be reached or loaded. */
  | 'LLM_UNAVAILABLE';

export class LacunaError extends Error {
  override readonly name = 'LacunaError';
  constructor(
    readonly code: LacunaErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown; detail?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.detail) this.detail = options.detail;
  }

  /** The tool's full output behind a short message (ffmpeg's stderr), for logs and --json. */
  readonly detail?: string;

  /** Message plus hint, as shown to a person. */
  describe(): string {
    return this.hint ? `${this.message}\n  ${this.hint}` : this.message;
  }
}

export function isLacunaError(e: unknown, code?: LacunaErrorCode): e is LacunaError {
  return e instanceof LacunaError && (code === undefined || e.code === code);
}

/** Thrown by long work when its AbortSignal fires; callers treat it as "stopped", not "failed". */
export function cancelledError(what = 'the job'): LacunaError {
  return new LacunaError('CANCELLED', `${what} was cancelled`);
}

export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw cancelledError(what);
}

/**
 * A filesystem error met while writing `path`, as something a person can act on: a full disk,
 * a read-only or vanished folder, no permission. Other errors come back unchanged (they are
 * not the user's to fix, or are already LacunaErrors).
 */
export function writeFailure(e: unknown, path: string): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new LacunaError('DISK_FULL', `the disk is full: could not write ${path}`, 'Free some space on that drive (or choose another folder), then try again; nothing was replaced.', { cause: e });
    case 'EROFS':
      return new LacunaError('CANNOT_WRITE', `cannot write ${path}: the drive is read-only`, 'Choose a folder on a writable drive.', { cause: e });
    case 'EACCES':
    case 'EPERM':
      return new LacunaError('CANNOT_WRITE', `cannot write ${path}: permission denied`, 'Choose a folder you can write to, or change its permissions.', { cause: e });
    case 'ENOENT':
    case 'ENOTDIR':
      return new LacunaError('CANNOT_WRITE', `cannot write ${path}: its folder no longer exists`, 'Create the folder again (was the drive unplugged?), or choose another.', { cause: e });
    case 'EIO':
      return new LacunaError('CANNOT_WRITE', `cannot write ${path}: the drive reported an I/O error`, 'Check the drive (or network share), then try again.', { cause: e });
    default:
      return e;
  }
}

/**
 * Any error as the user should see it at a boundary (CLI, IPC): LacunaErrors as they are; a
 * filesystem error of a write (full disk, read-only, permissions) as the LacunaError it means,
 * naming the file the user asked for rather than its hidden temp name; anything else unchanged
 * (a bug, shown as an internal error).
 */
const WRITE_CALLS = new Set(['write', 'mkdir', 'rename', 'link', 'copyfile', 'fsync', 'ftruncate']);

export function asUserError(e: unknown): unknown {
  if (e instanceof LacunaError || !(e instanceof Error)) return e;
  const { path, code, syscall } = e as NodeJS.ErrnoException;
  if (typeof path !== 'string') return e;
  const partial = isPartialPath(path);
  // A missing or forbidden path is a write failure only where something was being written.
  const writing = partial || code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS' || WRITE_CALLS.has(syscall ?? '');
  return writing ? writeFailure(e, partial ? join(dirname(path), finalNameOf(path)) : path) : e;
}
