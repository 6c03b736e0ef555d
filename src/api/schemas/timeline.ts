import { z } from 'zod';
import { RationalSchema } from './media';

/*
 * Timeline edits and the pictures the timeline draws (thumbnail strips, waveforms). The edit
 * rules live in the engine (src/engine/timeline); these are only what the user did, in frames.
 */

const Id = z.string().min(1);
const Frames = z.number().int();

export const PlaceMediaSchema = z
  .object({
    mediaId: Id,
    sequenceId: Id.optional(),
    /** Timeline frame; default after the last clip of the tracks it goes on. */
    position: Frames.nonnegative().optional(),
    trackId: Id.optional(),
    /** The audio track for a camera file's linked sound; default the first audio track. */
    soundTrackId: Id.optional(),
    /** Source range [sourceIn, sourceOut) in media frames (marked In/Out); default all of it. */
    sourceIn: Frames.nonnegative().optional(),
    sourceOut: Frames.positive().optional(),
  })
  .strict();

export const MoveClipsSchema = z
  .object({
    clipIds: z.array(Id).min(1).max(10_000),
    delta: Frames,
    trackDelta: Frames.default(0),
  })
  .strict();

export const TrimClipSchema = z.object({ clipId: Id, edge: z.enum(['in', 'out']), delta: Frames }).strict();

export const SplitClipsSchema = z
  .object({ sequenceId: Id, frame: Frames.nonnegative(), clipIds: z.array(Id).max(10_000).optional() })
  .strict();

export const DeleteClipsSchema = z.object({ clipIds: z.array(Id).min(1).max(10_000), ripple: z.boolean().default(false) }).strict();

export const SequenceFormatSchema = z
  .object({
    sequenceId: Id,
    fps: RationalSchema.optional(),
    width: z.number().int().positive().max(16384).optional(),
    height: z.number().int().positive().max(16384).optional(),
    startTimecode: z.string().optional(),
  })
  .strict();

export const TrackAddSchema = z.object({ sequenceId: Id, kind: z.enum(['video', 'audio']) }).strict();

/** A row of frames of a media item, for the clip on the timeline. */
export const ThumbnailRequestSchema = z
  .object({
    mediaId: Id,
    /** Media frames (at the media's rate) to show, left to right. */
    frames: z.array(z.number().int().nonnegative()).min(1).max(64),
    height: z.number().int().min(16).max(256).default(48),
  })
  .strict();

export const ThumbnailStripSchema = z.object({
  /** A JPEG of the frames side by side (data: URL, so it needs no media endpoint). */
  url: z.string(),
  /** Width of one frame in the strip, pixels. */
  frameWidth: z.number().int().positive(),
  height: z.number().int().positive(),
  frames: z.array(z.number().int()),
});
export type ThumbnailStripDto = z.infer<typeof ThumbnailStripSchema>;

export const WaveformRequestSchema = z.object({ mediaId: Id }).strict();

export const WaveformSchema = z.object({
  /** Peak level per bucket, 0..1, mono mix of the first audio stream. */
  peaks: z.array(z.number().min(0).max(1)),
  /** Buckets per second of media. */
  rate: z.number().positive(),
});
export type WaveformDto = z.infer<typeof WaveformSchema>;
