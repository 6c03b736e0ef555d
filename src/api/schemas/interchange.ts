import { z } from 'zod';
import { RationalSchema } from './media';
import { ProjectSchema } from './project';

/*
 * Timeline interchange (File ▸ Export Timeline… / Import Timeline…): the choices the dialogs
 * offer and the reports they show. The same choices as `lacuna export` / `lacuna import`
 * (engine/interchange); a test keeps these lists equal to the engine's.
 */

export const TIMELINE_FORMATS = ['otio', 'otioz', 'xml', 'fcpxml', 'edl', 'mlt', 'kdenlive'] as const;
export const TIMELINE_IMPORT_FORMATS = ['otio', 'otioz', 'xml', 'fcpxml', 'edl'] as const;
export const TIMELINE_RENDERS = ['prores', 'dnxhr', 'h264', 'hevc'] as const;
export const TIMELINE_MATTES = ['gray', 'alpha'] as const;
export const FCPXML_VERSIONS = ['1.8', '1.9', '1.10', '1.11'] as const;

const path = z.string().min(1, 'path must not be empty');
const PathMapSchema = z.array(z.object({ from: z.string().min(1), to: z.string().min(1) }).strict()).max(50);

export const TimelineExportRequestSchema = z
  .object({
    format: z.enum(TIMELINE_FORMATS),
    /** The file to write (EDL: one per video track, <name>_V1.edl …). */
    path,
    /** Default: the project's first sequence. */
    sequenceId: z.string().min(1).optional(),
    /** What the clips link to: their active takes, or the original media as before any removal. */
    media: z.enum(['takes', 'originals']).default('takes'),
    /** Render the active takes first, in this codec (into "<name> Media/" beside the file). */
    render: z.enum(TIMELINE_RENDERS).optional(),
    /** Include the mattes: as they are (true), or rendered gray / as ProRes 4444 alpha. */
    matte: z.union([z.boolean(), z.enum(TIMELINE_MATTES)]).default(false),
    relative: z.boolean().default(false),
    pathMap: PathMapSchema.default([]),
    fcpxmlVersion: z.enum(FCPXML_VERSIONS).optional(),
    /** .otioz only: copy the media into the bundle. */
    bundleMedia: z.boolean().default(false),
    /** EDL reels: one 8-character reel per file, or AX for all (Premiere's style). */
    edlReels: z.enum(['name', 'ax']).default('name'),
    overwrite: z.boolean().default(false),
  })
  .strict();

export const TimelineExportResultSchema = z.object({
  format: z.enum(TIMELINE_FORMATS),
  files: z.array(z.string()),
  sequence: z.object({ id: z.string(), name: z.string() }),
  clips: z.number().int(),
  takes: z.number().int(),
  rendered: z.array(z.object({ from: z.string(), to: z.string(), what: z.enum(['take', 'matte']) })),
  reels: z.array(z.object({ reel: z.string(), file: z.string() })).optional(),
  warnings: z.array(z.string()),
});

export const TimelineImportRequestSchema = z
  .object({
    /** One file; several EDLs (one per video track) come in as one sequence. */
    paths: z.array(path).min(1).max(99),
    format: z.enum(TIMELINE_IMPORT_FORMATS).optional(),
    /** EDLs only: their frame rate (an EDL does not say it). */
    fps: RationalSchema.optional(),
    /** Folders searched for media not at its path (by name and content hash). */
    search: z.array(path).max(20).default([]),
    pathMap: PathMapSchema.default([]),
    /** Name of the new sequence; default the timeline's. */
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const InterchangeNoteSchema = z.object({
  kind: z.enum(['transition', 'effect', 'speed', 'nested', 'multicam', 'marker', 'media', 'overlap', 'timing', 'other']),
  at: z.string(),
  message: z.string(),
});

export const TimelineImportResultSchema = z.object({
  project: ProjectSchema,
  format: z.enum(TIMELINE_IMPORT_FORMATS),
  files: z.array(z.string()),
  sequence: z.object({ id: z.string(), name: z.string() }),
  clips: z.number().int(),
  media: z.object({ found: z.number().int(), missing: z.array(z.string()) }),
  /** What could not be carried into Lacuna, and what was done instead: the dialog lists these. */
  notes: z.array(InterchangeNoteSchema),
});

export type TimelineExportRequest = z.output<typeof TimelineExportRequestSchema>;
export type TimelineImportRequest = z.output<typeof TimelineImportRequestSchema>;
