import { basename } from 'node:path';
import { z } from 'zod';
import { LacunaError } from '../util/errors';
import { parseRational, rational } from '../util/rational';
import { newId } from './ids';
import { formatProblems, problemsFromZod } from './problems';
import {
  CONTENT_HASH_ALGORITHM,
  CURRENT_VERSION,
  PROJECT_FORMAT,
  type Clip,
  type MediaRef,
  type ProjectDoc,
  type Track,
} from './schema';

/**
 * Upgrades saved documents from older format versions to the current one, one version at a
 * time, so each migration is written once against a fixed "before" shape and never revisited.
 * Migrations are pure (no file access): the file on disk is only replaced when the user saves,
 * and the previous version stays as the backup.
 *
 * To change the format: bump CURRENT_VERSION in schema.ts, add `{ from: N - 1, to: N }` here
 * with a description of the old shape, and add a fixture test.
 */

export interface Migration {
  from: number;
  to: number;
  what: string;
  up(doc: unknown, source: string): unknown;
}

// ------------------------------------------------------------------ version 0
//
// Version 0 is what the prototype wrote (files may lack the `version` key altogether): a single
// timeline of clips on one video track, no takes, absolute media paths, frame rates as strings
// ("30000/1001") or plain numbers, probe facts flattened onto the media entry, and the quick
// hash packed into one string "lacuna-quick-sha256:<hex>" with the byte count beside it.

const V0Rate = z.union([z.string(), z.number().positive()]);

const V0MediaSchema = z.object({
  id: z.string().min(1),
  path: z.string().min(1),
  hash: z.string().regex(/^lacuna-quick-sha256:[0-9a-f]{64}$/, 'expected "lacuna-quick-sha256:" and 64 hex digits'),
  size: z.number().int().min(0),
  duration: z.number().min(0),
  /** Absent for audio-only media. */
  fps: V0Rate.optional(),
  frames: z.number().int().min(0).optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  codec: z.string().optional(),
  timecode: z.string().optional(),
  audio: z
    .object({ codec: z.string(), sampleRate: z.number().int().positive(), channels: z.number().int().positive() })
    .nullable()
    .optional(),
});

const V0ClipSchema = z.object({
  id: z.string().min(1),
  mediaId: z.string().min(1),
  in: z.number().int().min(0),
  out: z.number().int().min(1),
  /** Timeline frame where the clip starts. */
  at: z.number().int().min(0),
  name: z.string().optional(),
});

export const V0DocSchema = z.object({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(0).optional(),
  name: z.string().min(1),
  created: z.iso.datetime({ offset: true }),
  fps: V0Rate,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  media: z.array(V0MediaSchema),
  clips: z.array(V0ClipSchema),
});
export type V0Doc = z.infer<typeof V0DocSchema>;

function v0Rate(r: string | number, where: string, source: string) {
  try {
    const q = typeof r === 'number' ? parseRational(String(r)) : parseRational(r);
    if (q.num <= 0) throw new RangeError('not positive');
    return rational(q.num, q.den);
  } catch {
    throw new LacunaError('PROJECT_INVALID', `${source} (format version 0): ${where}: expected a frame rate like "30000/1001" or 25, got ${JSON.stringify(r)}`);
  }
}

function v0ToV1(raw: unknown, source: string): unknown {
  const parsed = V0DocSchema.safeParse(raw);
  if (!parsed.success) {
    throw new LacunaError(
      'PROJECT_INVALID',
      `${source} is a version 0 project that cannot be upgraded:\n${formatProblems(problemsFromZod(parsed.error, raw))}`,
    );
  }
  const v0 = parsed.data;
  const ids = new Set<string>([...v0.media.map((m) => m.id), ...v0.clips.map((c) => c.id)]);
  const fresh = (kind: 'project' | 'seq' | 'track' | 'take') => {
    const id = newId(kind, (x) => ids.has(x));
    ids.add(id);
    return id;
  };
  const fps = v0Rate(v0.fps, 'fps', source);

  const media: MediaRef[] = v0.media.map((m, i) => {
    const hasVideo = m.fps !== undefined && m.width !== undefined && m.height !== undefined;
    const mFps = hasVideo ? v0Rate(m.fps!, `media[${i}].fps`, source) : null;
    return {
      id: m.id,
      kind: 'file',
      name: basename(m.path),
      path: m.path,
      probe: {
        duration: m.duration,
        ...(m.timecode !== undefined && { startTimecode: m.timecode }),
        fileSize: m.size,
        // The prototype kept only these facts; the rest take the values those files had in
        // practice (square pixels, upright, 8-bit 4:2:0) until the media is probed again.
        video: mFps
          ? {
              codec: m.codec ?? 'unknown',
              width: m.width!,
              height: m.height!,
              displayWidth: m.width!,
              displayHeight: m.height!,
              sampleAspect: { num: 1, den: 1 },
              rotation: 0 as const,
              fps: mFps,
              variableFrameRate: false,
              frameCount: m.frames ?? Math.floor((m.duration * mFps.num) / mFps.den + 1e-6),
              startTime: 0,
              pixelFormat: 'yuv420p',
              bitDepth: 8,
              colour: {},
              hasAlpha: false,
            }
          : null,
        // The prototype read only the first audio stream, which follows the video stream.
        audio: m.audio
          ? [{ index: mFps ? 1 : 0, codec: m.audio.codec, sampleRate: m.audio.sampleRate, channels: m.audio.channels, duration: m.duration, startTime: 0 }]
          : [],
      },
      hash: { algorithm: CONTENT_HASH_ALGORITHM, value: m.hash.slice(CONTENT_HASH_ALGORITHM.length + 1), size: m.size },
    };
  });
  const names = new Map(media.map((m) => [m.id, m.name]));

  const clips: Clip[] = [...v0.clips]
    .sort((a, b) => a.at - b.at)
    .map((c) => {
      const takeId = fresh('take');
      return {
        id: c.id,
        name: c.name || names.get(c.mediaId) || c.id,
        mediaId: c.mediaId,
        sourceIn: c.in,
        sourceOut: c.out,
        position: c.at,
        takes: [{ id: takeId, kind: 'original' as const, label: 'Original', created: v0.created, mediaId: c.mediaId }],
        activeTakeId: takeId,
      };
    });
  const tracks: Track[] = [
    { id: fresh('track'), kind: 'video', name: 'V1', clips },
    { id: fresh('track'), kind: 'audio', name: 'A1', clips: [] },
  ];
  const doc: ProjectDoc = {
    format: PROJECT_FORMAT,
    version: 1,
    id: fresh('project'),
    name: v0.name,
    created: v0.created,
    modified: v0.created,
    settings: { fps, size: { width: v0.width, height: v0.height }, sampleRate: 48000, startTimecode: '01:00:00:00' },
    media,
    sequences: [
      {
        id: fresh('seq'),
        name: 'Sequence 1',
        fps,
        size: { width: v0.width, height: v0.height },
        sampleRate: 48000,
        // The prototype had no timecode; 00:00:00:00 keeps its frame numbers as they were.
        startTimecode: '00:00:00:00',
        tracks,
      },
    ],
  };
  return doc;
}

/** Every migration, in order. Each takes a document of version `from` to version `to`. */
export const MIGRATIONS: readonly Migration[] = [
  { from: 0, to: 1, what: 'single timeline → sequences with tracks; takes; structured probe and hash', up: v0ToV1 },
];

/**
 * The format version of a parsed file; throws PROJECT_INVALID for something that is not a
 * Lacuna project and PROJECT_TOO_NEW for a version this build does not know.
 */
export function readVersion(raw: unknown, source: string): number {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new LacunaError('PROJECT_INVALID', `${source} is not a Lacuna project: it holds ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : `a ${typeof raw}`}, not an object`);
  }
  const o = raw as Record<string, unknown>;
  if (o.format !== PROJECT_FORMAT) {
    throw new LacunaError(
      'PROJECT_INVALID',
      `${source} is not a Lacuna project: format is ${o.format === undefined ? 'missing' : JSON.stringify(o.format)}, expected "${PROJECT_FORMAT}"`,
    );
  }
  if (o.version === undefined) return 0; // the prototype did not write one
  if (typeof o.version !== 'number' || !Number.isSafeInteger(o.version) || o.version < 0) {
    throw new LacunaError('PROJECT_INVALID', `${source}: version: expected a whole number ≥ 0, got ${JSON.stringify(o.version)}`);
  }
  if (o.version > CURRENT_VERSION) {
    throw new LacunaError(
      'PROJECT_TOO_NEW',
      `${source} was saved by a newer Lacuna (project format version ${o.version}); this version reads up to ${CURRENT_VERSION}`,
      'Update Lacuna to open it. (Opening it here and saving would lose what the newer version added.)',
    );
  }
  return o.version;
}

/** Brings a parsed document up to CURRENT_VERSION; `from` is the version it had. */
export function migrateToCurrent(raw: unknown, source = 'the project'): { doc: unknown; from: number } {
  const from = readVersion(raw, source);
  let doc = raw;
  for (let v = from; v < CURRENT_VERSION; ) {
    const step = MIGRATIONS.find((m) => m.from === v);
    if (!step) throw new Error(`no migration from project format version ${v}`);
    doc = step.up(doc, source);
    v = step.to;
  }
  return { doc, from };
}
