import { z } from 'zod';
import { ApiErrorShapeSchema, type ApiErrorShape } from './errors';

/**
 * What every call returns over the wire. Electron's ipcMain.handle flattens a thrown error to a
 * message string ("Error invoking remote method..."), losing its code and hint, so failures travel
 * as data instead and the client rethrows them as ApiError. The HTTP bridge uses the same shape.
 */
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };

export const EnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorShapeSchema }),
]);

export const success = <T>(value: T): Envelope<T> => ({ ok: true, value });
export const failure = (error: ApiErrorShape): Envelope<never> => ({ ok: false, error });
