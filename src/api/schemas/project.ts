import { z } from 'zod';
import { MediaInfoSchema, PlaybackSchema, RationalSchema } from './media';

const Id = z.string().min(1);

/**
 * A file (or image sequence) in the project, with what probing found. Generated takes are media
 * too (the rendered files); `role` tells the media pool which ones the user imported.
 */
export const MediaItemSchema = z.object({
  id: Id,
  kind: z.enum(['file', 'imageSequence']),
  name: z.string(),
  /** Absolute path (the printf pattern for an image sequence). */
  path: z.string(),
  info: MediaInfoSchema,
  playback: PlaybackSchema,
  /** False when the file has gone (moved, unmounted drive): shown as offline, not dropped. */
  online: z.boolean(),
  role: z.enum(['source', 'take']),
});
export type MediaItemDto = z.infer<typeof MediaItemSchema>;

/**
 * One version of a clip's picture. The original is the imported media; generated takes are job
 * results (a removal, a transcode), each its own media. Results never overwrite: each is a new take.
 */
export const TakeSchema = z.object({
  id: Id,
  label: z.string(),
  kind: z.enum(['original', 'generated']),
  mediaId: Id,
  /** The take's media, resolved for display and playback. */
  path: z.string(),
  playback: PlaybackSchema,
  online: z.boolean(),
  createdAt: z.string(),
  /** Generated takes: what made it ("transcode", "lgvi") and, for removals, the user's words. */
  engine: z.string().optional(),
  expression: z.string().optional(),
  jobId: z.string().optional(),
  /** Generated takes: the original media's frame shown by the take's frame 0. */
  sourceStart: z.number().int().nonnegative().optional(),
  /** Generated takes with a removal matte: its file (white = removed), aligned like the take. */
  mattePath: z.string().optional(),
  matteMediaId: z.string().optional(),
});
export type TakeDto = z.infer<typeof TakeSchema>;

export const ClipSchema = z.object({
  id: Id,
  name: z.string(),
  mediaId: Id,
  /** Source range [sourceIn, sourceOut) in frames of the media at its own rate. */
  sourceIn: z.number().int().nonnegative(),
  sourceOut: z.number().int().positive(),
  /** Timeline start and length, in sequence frames. */
  position: z.number().int().nonnegative(),
  duration: z.number().int().nonnegative(),
  takes: z.array(TakeSchema).min(1),
  activeTakeId: Id,
  /** The rate its source range counts frames at (the media's); differs from the sequence's when conformed. */
  sourceFps: RationalSchema,
  /** Clips on tracks of the other kind linked to it (its picture or its sound). */
  linkedClipIds: z.array(Id),
});
export type ClipDto = z.infer<typeof ClipSchema>;

export const TrackSchema = z.object({
  id: Id,
  kind: z.enum(['video', 'audio']),
  name: z.string(),
  clips: z.array(ClipSchema),
});
export type TrackDto = z.infer<typeof TrackSchema>;

export const SequenceSchema = z.object({
  id: Id,
  name: z.string(),
  fps: RationalSchema,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  startTimecode: z.string(),
  tracks: z.array(TrackSchema),
});
export type SequenceDto = z.infer<typeof SequenceSchema>;

export const HistorySchema = z.object({
  canUndo: z.boolean(),
  canRedo: z.boolean(),
  /** What undo / redo would do, for menu labels ("Undo Add Clip"). */
  undoLabel: z.string().nullable(),
  redoLabel: z.string().nullable(),
});

export const ProjectSchema = z.object({
  id: Id,
  name: z.string(),
  /** Null until first saved. */
  path: z.string().nullable(),
  dirty: z.boolean(),
  history: HistorySchema,
  media: z.array(MediaItemSchema),
  sequences: z.array(SequenceSchema),
});
export type ProjectDto = z.infer<typeof ProjectSchema>;
