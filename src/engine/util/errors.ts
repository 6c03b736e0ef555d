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
  | 'NOT_FOUND'
  | 'CANCELLED'
  | 'MODEL_PACK_INVALID'
  | 'MODEL_PACK_NOT_FOUND'
  | 'UNSUPPORTED'
  /** A language model the chat task was told to use cannot be reached or loaded. */
  | 'LLM_UNAVAILABLE';

export class LacunaError extends Error {
  override readonly name = 'LacunaError';
  constructor(
    readonly code: LacunaErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

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
