import { z } from 'zod';
import { LacunaError } from '../util/errors';

/**
 * Lite's own settings (RemovalSettings.engine), checked at the start of a job so a typo fails
 * at once with the field's name instead of being ignored.
 */
export const LiteSettingsSchema = z.strictObject({
  /** Frames filled together: more frames show more hidden background, and cost more memory. */
  window: z.number().int().min(2).max(240).default(48),
  /** Frames shared by consecutive windows, cross-faded so the fill does not jump at a border. */
  overlap: z.number().int().min(0).max(120).default(8),
  /** Detect on every k-th frame (boxes between are interpolated); default 1 up to 48 frames, else 2. */
  keyframeEvery: z.number().int().min(1).max(30).optional(),
  /** Long side of the fill's working resolution; the composite is at source resolution. */
  workingSide: z.number().int().min(128).max(4096).default(960),
  /**
   * Fit detector boxes to the object using the background other frames show: narrow them to the
   * pixels that differ from it, and grow them into the object's parts the box cut off (a tail).
   */
  backgroundEvidence: z.boolean().default(true),
  /** Also remove the object's cast shadow (relit from the background other frames show); words "and its shadow" turn it on too. */
  withShadow: z.boolean().default(false),
  /** Most pixels the hole may grow over the object's soft edge (default: 1/100 of the long side, at least 4; 0 = exactly the mask). */
  edgeGrow: z.number().int().min(0).max(64).optional(),
});
export type LiteSettings = z.infer<typeof LiteSettingsSchema>;

export function parseLiteSettings(raw: unknown): LiteSettings {
  const parsed = LiteSettingsSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; ');
  throw new LacunaError('BAD_ARGUMENT', `invalid Lite engine settings: ${problems}`, 'Lite takes window, overlap, keyframeEvery, workingSide, backgroundEvidence, withShadow and edgeGrow.');
}
