import { z } from 'zod';

/**
 * Error codes that may cross the process boundary. They are the engine's LacunaError codes
 * (kept in step by a compile-time check in src/engine/app/errorCodes.ts) plus the boundary's
 * own: a request that fails its schema, a reply that fails its schema (a bug on the main side),
 * no open project, unsaved changes in the way, a channel nobody serves, a caller the host does
 * not trust, a transport failure, and anything unexpected.
 */
export const apiErrorCodes = [
  'FFMPEG_NOT_FOUND',
  'FFMPEG_FAILED',
  'MEDIA_NOT_FOUND',
  'MEDIA_UNREADABLE',
  'BAD_ARGUMENT',
  'BAD_RANGE',
  'OUTPUT_EXISTS',
  'WOULD_OVERWRITE_SOURCE',
  'PROJECT_INVALID',
  'PROJECT_NOT_FOUND',
  'PROJECT_TOO_NEW',
  'PROJECT_LOCKED',
  'PROJECT_CHANGED',
  'NOT_FOUND',
  'CANCELLED',
  'MODEL_PACK_INVALID',
  'MODEL_PACK_NOT_FOUND',
  'UNSUPPORTED',
  'DISK_FULL',
  'CANNOT_WRITE',
  'LLM_UNAVAILABLE',
  'INVALID_INPUT',
  'INVALID_OUTPUT',
  'NO_PROJECT',
  'UNSAVED_CHANGES',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN',
  'TRANSPORT',
  'INTERNAL',
] as const;

export const ApiErrorCodeSchema = z.enum(apiErrorCodes);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;

/** The LacunaError shape as it travels: plain data, so it survives structured clone and JSON. */
export const ApiErrorShapeSchema = z.object({
  code: ApiErrorCodeSchema,
  message: z.string(),
  hint: z.string().optional(),
});
export type ApiErrorShape = z.infer<typeof ApiErrorShapeSchema>;

/**
 * What a client call rejects with. Callers branch on `code` (e.g. PROJECT_NOT_FOUND → offer to
 * locate the file) and show `message` plus `hint`; they never parse message text.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly hint?: string;
  /** Channel the failing call went to, for logs and bug reports. */
  readonly channel?: string;

  constructor(shape: ApiErrorShape, channel?: string) {
    super(shape.message);
    this.code = shape.code;
    this.hint = shape.hint;
    this.channel = channel;
  }

  toShape(): ApiErrorShape {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint };
  }
}

export function isApiError(e: unknown, code?: ApiErrorCode): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

const knownCodes: ReadonlySet<string> = new Set(apiErrorCodes);

/**
 * Turns anything thrown by a handler into the wire shape. Errors that carry a known `code` (the
 * engine's LacunaError, an ApiError) keep it and their hint; the api layer recognises them by
 * shape so it need not import the engine. Anything else is a bug: it becomes INTERNAL with its
 * message, and the caller logs the stack on its side.
 */
export function toApiErrorShape(e: unknown): ApiErrorShape {
  if (e instanceof ApiError) return e.toShape();
  if (e instanceof Error) {
    const { code, hint } = e as Error & { code?: unknown; hint?: unknown };
    if (typeof code === 'string' && knownCodes.has(code)) {
      const shape: ApiErrorShape = { code: code as ApiErrorCode, message: e.message };
      if (typeof hint === 'string' && hint) shape.hint = hint;
      return shape;
    }
    return { code: 'INTERNAL', message: e.message || e.name };
  }
  return { code: 'INTERNAL', message: String(e) };
}

/** Explains a schema failure in one line per problem: "input.paths[0]: expected string". */
export function describeIssues(error: z.ZodError, root: string): string {
  return error.issues
    .map((issue) => {
      const where = [root, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))].join('');
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}
