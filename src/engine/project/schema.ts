import { z } from 'zod';

/**
 * The project document: what a `.lacuna` file holds, and (with absolute paths) what a `Project`
 * holds in memory. One schema, like OpenTimelineIO's: every exporter (OTIO, FCPXML, FCP7 XML,
 * EDL, MLT) reads the same shapes, so it needs no knowledge of how the app edits them.
 *
 * Time is exact everywhere: frame rates are rationals (30000/1001, never 29.97), and positions
 * and ranges are integer frame counts. Source ranges count frames of the clip's media at the
 * media's own rate; timeline positions count frames at the sequence's rate (see timing.ts).
 *
 * Objects are strict: an unknown key is reported (it is usually a typo in a hand edit), never
 * silently dropped. Anything tool-specific belongs in `TakeParams.extra`.
 *
 * Only the shapes live here. Rules that span objects (ids unique, media referenced exist,
 * sourceIn < sourceOut, no overlaps on a track) are in invariants.ts.
 */

export const PROJECT_FORMAT = 'lacuna.project';
/** Bump with a migration in migrations.ts whenever the shape of a saved file changes. */
export const CURRENT_VERSION = 1;

const Id = z.string().min(1).max(200);
const FrameIndex = z.number().int().min(0);
const PositiveInt = z.number().int().min(1);
const Timestamp = z.iso.datetime({ offset: true });
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits (a SHA-256)');

/** A frame rate or time base. Both parts positive: a rate of 0 or a negative rate means nothing. */
export const RationalSchema = z.strictObject({ num: PositiveInt, den: PositiveInt });

export const SizeSchema = z.strictObject({ width: PositiveInt, height: PositiveInt });
export type Size = z.infer<typeof SizeSchema>;

/** SMPTE timecode; `;` before the frames marks drop-frame (29.97 and 59.94 NTSC rates). */
export const TimecodeSchema = z
  .string()
  .regex(/^\d{2}:\d{2}:\d{2}[:;]\d{2,3}$/, 'expected SMPTE timecode like 01:00:00:00 (or 01:00:00;00 drop-frame)');

export const CONTENT_HASH_ALGORITHM = 'lacuna-quick-sha256';

/**
 * Identifies media by content, so a file can be found again after it was moved or renamed
 * (relink.ts) and re-imports are recognised. The algorithm is defined in contentHash.ts; `size`
 * is the byte count it covered (the sum over all frames for an image sequence), kept apart so a
 * search can skip files of the wrong size without reading them.
 */
export const ContentHashSchema = z.strictObject({
  algorithm: z.literal(CONTENT_HASH_ALGORITHM),
  value: Sha256Hex,
  size: z.number().int().min(0),
});
export type ContentHash = z.infer<typeof ContentHashSchema>;

export const ColourSchema = z.strictObject({
  primaries: z.string().optional(),
  transfer: z.string().optional(),
  matrix: z.string().optional(),
  range: z.enum(['tv', 'pc']).optional(),
});

/** The picture facts exporters need: rate and count for ranges, sizes and aspect for formats. */
export const VideoSummarySchema = z.strictObject({
  codec: z.string(),
  width: PositiveInt,
  height: PositiveInt,
  /** As shown: rotation and sample aspect applied. */
  displayWidth: PositiveInt,
  displayHeight: PositiveInt,
  sampleAspect: RationalSchema,
  /** Degrees clockwise to stand upright. */
  rotation: z.literal([0, 90, 180, 270]),
  fps: RationalSchema,
  variableFrameRate: z.boolean(),
  frameCount: z.number().int().min(0),
  /** Seconds of the first presentation time; exporters need it to map timecode to frames. */
  startTime: z.number(),
  pixelFormat: z.string(),
  bitDepth: z.number().int().min(0),
  colour: ColourSchema,
  hasAlpha: z.boolean(),
});
export type VideoSummary = z.infer<typeof VideoSummarySchema>;

export const AudioSummarySchema = z.strictObject({
  /** Stream index in the container, so an exporter can name the right track. */
  index: z.number().int().min(0),
  codec: z.string(),
  sampleRate: PositiveInt,
  channels: PositiveInt,
  channelLayout: z.string().optional(),
  duration: z.number().min(0),
  startTime: z.number(),
});
export type AudioSummary = z.infer<typeof AudioSummarySchema>;

/**
 * The part of a probe (media/types.ts MediaInfo) that is kept in the project: what an NLE export
 * needs without re-probing, so exports work even while the media is offline.
 */
export const ProbeSummarySchema = z.strictObject({
  container: z.string().optional(),
  /** Seconds. */
  duration: z.number().min(0),
  /** Start timecode from the file's tags, as the camera wrote it; not validated (cameras vary). */
  startTimecode: z.string().optional(),
  fileSize: z.number().int().min(0).optional(),
  video: VideoSummarySchema.nullable(),
  audio: z.array(AudioSummarySchema),
});
export type ProbeSummary = z.infer<typeof ProbeSummarySchema>;

/**
 * Image sequence frame numbers as runs, `{ start, count, step }`: a 100,000-frame EXR sequence is
 * one run instead of 100,000 numbers in every save and undo snapshot. Gaps are further runs.
 */
export const FrameRunSchema = z.strictObject({
  start: z.number().int(),
  count: PositiveInt,
  step: PositiveInt,
});
export type FrameRun = z.infer<typeof FrameRunSchema>;

// Key order here is the order in saved files: identity first, then what a reader scans for.
const mediaRefBase = {
  /** Shown in the media pool; the file name (or sequence name) at import. */
  name: z.string().min(1),
  /**
   * In memory: absolute. In a saved file: relative to the project file's folder, with `/`
   * separators, whenever the two share a root (another drive on Windows cannot be relative).
   * For an image sequence this is the printf pattern, e.g. `plates/sh010.%05d.exr`.
   */
  path: z.string().min(1),
  /**
   * Saved files only: where a relatively stored path last pointed. When the project file is
   * moved alone (copied to a backup drive, say), the relative path breaks but this still finds
   * the media. Absent in memory.
   */
  absolutePath: z.string().min(1).optional(),
  probe: ProbeSummarySchema,
  hash: ContentHashSchema,
};

export const FileMediaRefSchema = z.strictObject({ id: Id, kind: z.literal('file'), ...mediaRefBase });

export const ImageSequenceMediaRefSchema = z.strictObject({
  id: Id,
  kind: z.literal('imageSequence'),
  ...mediaRefBase,
  /** Frame numbers in the file names, ascending. Frame index i of the media is the i-th number. */
  numberRuns: z.array(FrameRunSchema).min(1),
  /** Image files carry no rate; the user chose this one. */
  fps: RationalSchema,
});

export const MediaRefSchema = z.discriminatedUnion('kind', [FileMediaRefSchema, ImageSequenceMediaRefSchema]);
export type MediaRef = z.infer<typeof MediaRefSchema>;
export type FileMediaRef = z.infer<typeof FileMediaRefSchema>;
export type ImageSequenceMediaRef = z.infer<typeof ImageSequenceMediaRefSchema>;

/** Engines known today; any other string is kept as is (a plugin's, or a future one's). */
export const KNOWN_ENGINES = ['lgvi', 'lgvi-i', 'lite', 'transcode'] as const;

/** How a generated take was made: enough to show it, compare takes, and make it again. */
export const TakeParamsSchema = z.strictObject({
  engine: z.string().min(1),
  /** The referring expression: what was removed, in the user's words ("the man on the left"). */
  expression: z.string().optional(),
  /** The instruction given to a chat-driven engine (lgvi-i), verbatim. */
  chat: z.string().optional(),
  seed: z.number().int().optional(),
  steps: PositiveInt.optional(),
  guidance: z.number().optional(),
  imageGuidance: z.number().optional(),
  /** The model weights used: results are reproducible only with the same pack. */
  modelPack: z.strictObject({ id: z.string().min(1), sha256: Sha256Hex }).optional(),
  /** Engine-specific settings; JSON values only. */
  extra: z.record(z.string(), z.unknown()).optional(),
});
export type TakeParams = z.infer<typeof TakeParamsSchema>;

const takeBase = {
  label: z.string().min(1),
  created: Timestamp,
};

/** The imported picture. Every clip has exactly one, first; it cannot be deleted. */
export const OriginalTakeSchema = z.strictObject({
  id: Id,
  kind: z.literal('original'),
  ...takeBase,
  /** Always the clip's own mediaId. */
  mediaId: Id,
});

/**
 * A rendered alternative of the clip's picture (an object removal, a transcode). It is frame
 * aligned with the original: frame 0 of its media shows the original media's frame
 * `sourceStart`, at the same rate, so the clip's source range maps onto it by subtraction.
 */
export const GeneratedTakeSchema = z.strictObject({
  id: Id,
  kind: z.literal('generated'),
  ...takeBase,
  /** The rendered file's own media entry. */
  mediaId: Id,
  sourceStart: FrameIndex,
  /** The removal mask, aligned like the take itself (optional: not every engine writes one). */
  matteMediaId: Id.optional(),
  params: TakeParamsSchema,
  /** The job that rendered it, for its log and for "render again". */
  jobId: z.string().min(1).optional(),
});

export const TakeSchema = z.discriminatedUnion('kind', [OriginalTakeSchema, GeneratedTakeSchema]);
export type Take = z.infer<typeof TakeSchema>;
export type OriginalTake = z.infer<typeof OriginalTakeSchema>;
export type GeneratedTake = z.infer<typeof GeneratedTakeSchema>;

/**
 * A piece of media placed on a track. `[sourceIn, sourceOut)` is half-open, in frames of the
 * media at its own rate; `position` is where it starts on the timeline, in sequence frames.
 */
export const ClipSchema = z.strictObject({
  id: Id,
  name: z.string().min(1),
  mediaId: Id,
  sourceIn: FrameIndex,
  sourceOut: PositiveInt,
  position: FrameIndex,
  takes: z.array(TakeSchema).min(1),
  activeTakeId: Id,
});
export type Clip = z.infer<typeof ClipSchema>;

export const TrackKindSchema = z.enum(['video', 'audio']);
export type TrackKind = z.infer<typeof TrackKindSchema>;

/** Clips in timeline order, never overlapping (as on every NLE track, and as OTIO expects). */
export const TrackSchema = z.strictObject({
  id: Id,
  kind: TrackKindSchema,
  name: z.string().min(1),
  clips: z.array(ClipSchema),
});
export type Track = z.infer<typeof TrackSchema>;

export const SequenceSchema = z.strictObject({
  id: Id,
  name: z.string().min(1),
  fps: RationalSchema,
  size: SizeSchema,
  /** Hz; audio clips are placed in frames like everything else, this is for export and mixdown. */
  sampleRate: PositiveInt,
  /** Timecode of timeline frame 0 (EDLs and NLEs conventionally start at 01:00:00:00). */
  startTimecode: TimecodeSchema,
  /** Within each kind, numbered as NLEs do: V1 first (bottom of the stack), then V2 above it. */
  tracks: z.array(TrackSchema),
});
export type Sequence = z.infer<typeof SequenceSchema>;

/** Defaults for new sequences. */
export const ProjectSettingsSchema = z.strictObject({
  fps: RationalSchema,
  size: SizeSchema,
  sampleRate: PositiveInt,
  startTimecode: TimecodeSchema,
});
export type ProjectSettings = z.infer<typeof ProjectSettingsSchema>;

export const ProjectDocSchema = z.strictObject({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(CURRENT_VERSION),
  id: Id,
  name: z.string().min(1),
  created: Timestamp,
  /** When the file was last saved (stamped by store.ts at save). */
  modified: Timestamp,
  settings: ProjectSettingsSchema,
  media: z.array(MediaRefSchema),
  sequences: z.array(SequenceSchema),
});
export type ProjectDoc = z.infer<typeof ProjectDocSchema>;

export const DEFAULT_SETTINGS: ProjectSettings = {
  fps: { num: 24, den: 1 },
  size: { width: 1920, height: 1080 },
  sampleRate: 48000,
  startTimecode: '01:00:00:00',
};
