import { z } from 'zod';

/** An exact frame rate or time base, e.g. 30000/1001. */
export const RationalSchema = z.object({ num: z.number().int(), den: z.number().int().positive() });
export type RationalDto = z.infer<typeof RationalSchema>;

export const ColourSchema = z.object({
  primaries: z.string().optional(),
  transfer: z.string().optional(),
  matrix: z.string().optional(),
  range: z.enum(['tv', 'pc']).optional(),
});

export const VideoStreamSchema = z.object({
  codec: z.string(),
  profile: z.string().optional(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  displayWidth: z.number().int().nonnegative(),
  displayHeight: z.number().int().nonnegative(),
  rotation: z.number(),
  fps: RationalSchema,
  variableFrameRate: z.boolean(),
  frameCount: z.number().int().nonnegative(),
  pixelFormat: z.string(),
  bitDepth: z.number().int().nonnegative(),
  colour: ColourSchema,
  hasAlpha: z.boolean(),
});
export type VideoStreamDto = z.infer<typeof VideoStreamSchema>;

export const AudioStreamSchema = z.object({
  codec: z.string(),
  sampleRate: z.number().int().nonnegative(),
  channels: z.number().int().nonnegative(),
  channelLayout: z.string().optional(),
});

/** What probing found: enough for the media pool and for deciding how to play the file. */
export const MediaInfoSchema = z.object({
  container: z.string().optional(),
  duration: z.number().nonnegative(),
  fileSize: z.number().int().nonnegative().optional(),
  startTimecode: z.string().optional(),
  video: VideoStreamSchema.nullable(),
  audio: z.array(AudioStreamSchema),
});
export type MediaInfoDto = z.infer<typeof MediaInfoSchema>;

/**
 * How the viewer plays a file: `native` streams it as is; `proxy` means Chromium cannot decode
 * it (ProRes, DNxHR, HEVC on Linux, 10-bit H.264...) so the host transcodes a preview stream.
 */
export const PlaybackSchema = z.enum(['native', 'proxy']);
export type Playback = z.infer<typeof PlaybackSchema>;
