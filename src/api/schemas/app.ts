import { z } from 'zod';
import { ApiErrorShapeSchema } from '../errors';

/**
 * Which process hosts the engine. `electron` has native file dialogs and the lacuna-media://
 * protocol; `browser` is the HTTP bridge (tests, UI work without Electron), where the user types
 * paths instead.
 */
export const HostSchema = z.object({
  kind: z.enum(['electron', 'browser']),
  nativeDialogs: z.boolean(),
});
export type HostDto = z.infer<typeof HostSchema>;

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  host: HostSchema,
  versions: z.record(z.string(), z.string()),
});
export type AppInfoDto = z.infer<typeof AppInfoSchema>;

export const FfmpegStatusSchema = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    ffmpeg: z.string(),
    ffprobe: z.string(),
    source: z.object({ ffmpeg: z.string(), ffprobe: z.string() }),
    version: z.string(),
  }),
  z.object({ available: z.literal(false), error: ApiErrorShapeSchema }),
]);
export type FfmpegStatusDto = z.infer<typeof FfmpegStatusSchema>;

/** Menu commands the main process forwards to the renderer, which owns focus and dialogs. */
export const MenuCommandSchema = z.enum([
  'project.new',
  'project.open',
  'project.save',
  'project.saveAs',
  'edit.undo',
  'edit.redo',
  'media.import',
  'timeline.export',
  'timeline.import',
  'app.settings',
]);
export type MenuCommand = z.infer<typeof MenuCommandSchema>;
