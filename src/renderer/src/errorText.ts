import { isApiError } from '../../api/errors';

/** An error as the user reads it: one line saying what went wrong, and where known one saying what to do. */
export function errorOf(e: unknown): { message: string; hint?: string; code?: string } {
  if (isApiError(e)) return { message: e.message, hint: e.hint, code: e.code };
  return { message: e instanceof Error ? e.message : String(e) };
}
