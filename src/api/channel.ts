import type { z } from 'zod';

/**
 * One invoke-style call across the boundary: the renderer sends `input`, the main side answers
 * with `output`. Both are zod schemas so each side can check what it receives; `summary` is the
 * one-line description shown in docs and error messages.
 */
export interface CallDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly summary: string;
}

/** One event the main side pushes to every renderer (no reply). */
export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
  readonly summary: string;
}

export function call<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string): CallDef<I, O> {
  return { input, output, summary };
}

export function event<P extends z.ZodType>(payload: P, summary: string): EventDef<P> {
  return { payload, summary };
}
