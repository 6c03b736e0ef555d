import { z } from 'zod';
import { resolve } from 'node:path';
import { probeMedia } from '../../media/probe';
import { checkMatteFits, checkMatteLeavesPicture } from '../../media/matteFit';
import type { MediaInfo, MediaSource } from '../../media/types';
import { mediaSourceOf } from '../../project/mediaSource';
import type { TakeParams } from '../../project/schema';
import type { RemovalEngine, RemovalTarget } from '../../removal/removalEngine';
import { LacunaError } from '../../util/errors';
import { ClipSourceParamsSchema } from '../clipJob';
import { defineJobKind, type JobKind } from '../jobKind';

/**
 * Object removal as a job: one job kind per installed removal engine (its id is the engine's,
 * "lite" or "lgvi", and it takes the engine's resource class, so LGVI runs one at a time on the
 * GPU while Lite jobs share the CPU). The job reads the clip's active take over the clip's range,
 * hands it to the engine, and returns the engine's render as the clip's next take, or nothing
 * (with the engine's explanation) when the description matched nothing.
 */

const RationalSchema = z.object({ num: z.number().int().positive(), den: z.number().int().positive() });

/** The longest description read (the API's limit, and the CLI's): a sentence, not a document. */
export const MAX_EXPRESSION_LENGTH = 500;

export const RemovalTargetParamsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('expression'),
    text: z.string().trim().min(1).max(MAX_EXPRESSION_LENGTH),
    /** Objects chosen in a Find preview, by track id (words and clicks combined); default the words' choice. */
    tracks: z.array(z.number().int().min(0)).max(1000).optional(),
    /** Per range frame, the picked objects' grown boxes that bound the composite (engines without a Find: LGVI). */
    bounds: z.array(z.array(z.object({ x: z.number(), y: z.number(), width: z.number().min(0), height: z.number().min(0) })).max(1000)).max(1_000_000).optional(),
  }),
  /** A matte file or image sequence (path, folder or pattern); fps for a sequence. */
  z.object({ kind: z.literal('mask'), matte: z.string().min(1), fps: RationalSchema.optional() }),
  z.object({
    kind: z.literal('chat'),
    message: z.string().trim().min(1).max(4000),
    history: z.array(z.object({ role: z.enum(['user', 'assistant']), text: z.string().max(4000) })).max(200).optional(),
  }),
]);
export type RemovalTargetParams = z.infer<typeof RemovalTargetParamsSchema>;

export const ConversationSchema = z
  .array(z.object({ role: z.enum(['user', 'assistant']), text: z.string().max(4000), instruction: z.string().max(500).optional() }))
  .max(200);

export const RemovalSettingsSchema = z.object({
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  maskDilate: z.number().int().min(0).max(256).default(8),
  maskFeather: z.number().int().min(0).max(256).default(2),
  fullFrame: z.boolean().default(false),
  engine: z.record(z.string(), z.unknown()).default({}),
});

export const RemovalParamsSchema = ClipSourceParamsSchema.extend({
  target: RemovalTargetParamsSchema,
  codec: z.enum(['h264', 'hevc', 'prores_hq', 'dnxhr_hq']).default('prores_hq'),
  settings: RemovalSettingsSchema.default({ seed: 0, maskDilate: 8, maskFeather: 2, fullFrame: false, engine: {} }),
  /** Write the removal matte beside the take (for the NLE). */
  writeMatte: z.boolean().default(true),
  /** The chat that settled on this removal (chat task): saved with the take, so follow-ups continue it. */
  conversation: ConversationSchema.optional(),
  /** The model pack folder the engine runs, when the engine has packs (LGVI); default its first installed pack. */
  pack: z.string().min(1).optional(),
}).refine((p) => p.range.end > p.range.start, { message: 'range must contain at least one frame', path: ['range'] });
export type RemovalParams = z.infer<typeof RemovalParamsSchema>;

/** Editing codecs go in QuickTime, delivery codecs in MP4; the matte is ProRes in QuickTime. */
export const TAKE_EXTENSION = { h264: '.mp4', hevc: '.mp4', prores_hq: '.mov', dnxhr_hq: '.mov' } as const;
const EXTENSION = TAKE_EXTENSION;

/** Requests that already say what to do ("remove the dog", "make this shot only about the pelican"). */
const SAYS_WHAT = /^(remove|erase|delete|get rid of|take out|cut out|paint out|make|keep|only|just)\b/i;

/** The job's label: the request as the user put it, then the clip and the engine. */
function describeRemoval(t: RemovalTargetParams, clip: string, engine: string): string {
  const text = t.kind === 'expression' ? t.text : t.kind === 'chat' ? t.message : null;
  const said = text === null ? 'Remove by matte' : SAYS_WHAT.test(text) ? text[0].toUpperCase() + text.slice(1) : `Remove ${text}`;
  return `${said.length > 80 ? `${said.slice(0, 79)}…` : said} · ${clip} (${engine})`;
}

async function resolveTarget(t: RemovalTargetParams, media: MediaInfo, signal: AbortSignal, warn: (m: string) => void): Promise<RemovalTarget> {
  if (t.kind !== 'mask') return t;
  const matte = await probeMedia(t.matte, { fps: t.fps, signal });
  for (const w of checkMatteFits(matte, media)) warn(w);
  await checkMatteLeavesPicture(matte, undefined, { signal });
  return { kind: 'mask', matte };
}

/** The take's record of the chat that made it: the last request verbatim, the whole conversation in extra. */
function withConversation(params: TakeParams, conversation: z.infer<typeof ConversationSchema>): TakeParams {
  const lastRequest = [...conversation].reverse().find((m) => m.role === 'user');
  return { ...params, ...(lastRequest && { chat: lastRequest.text }), extra: { ...params.extra, conversation } };
}

/**
 * `engines`: the installed engines of one id, the default (first) one first — one per model pack
 * for LGVI; a job runs on the one its `pack` names.
 */
export function removalJobKind(engines: RemovalEngine | readonly RemovalEngine[]): JobKind {
  const all = Array.isArray(engines) ? (engines as readonly RemovalEngine[]) : [engines as RemovalEngine];
  const engine = all[0];
  const forPack = (pack: string | undefined): RemovalEngine => {
    if (!pack) return engine;
    const match = all.find((e) => e.packDir && resolve(e.packDir) === resolve(pack));
    if (!match) throw new LacunaError('MODEL_PACK_NOT_FOUND', `the model pack ${pack} is no longer installed`, 'Add the pack again in Settings, or render with another pack.');
    return match;
  };
  return defineJobKind<RemovalParams>({
    id: engine.id,
    label: engine.label,
    category: 'removal',
    description: engine.description,
    resource: engine.resource,
    params: RemovalParamsSchema as unknown as z.ZodType<RemovalParams>,
    interrupted: {
      resumable: true,
      note: 'Retry runs the removal again from the first frame with the same settings and seed, so it gives the same result.',
    },
    describe: (p) => describeRemoval(p.target, p.name, engine.label),
    async run(ctx, p) {
      const engine = forPack(p.pack);
      if (!engine.targets.includes(p.target.kind)) {
        throw new LacunaError(
          'UNSUPPORTED',
          `${engine.label} cannot remove ${p.target.kind === 'mask' ? 'by a matte' : `by ${p.target.kind}`}`,
          `It takes: ${engine.targets.join(', ')}. Choose another engine.`,
        );
      }
      const source: MediaSource = mediaSourceOf(p.media);
      ctx.progress('reading', 0, 1);
      const media = await probeMedia(source, { signal: ctx.signal, ffmpeg: ctx.ffmpeg() });
      const target = await resolveTarget(p.target, media, ctx.signal, ctx.warn);
      const file = await ctx.temp.file(`removal${EXTENSION[p.codec]}`);
      const matteFile = p.writeMatte ? await ctx.temp.file('matte.mov') : undefined;
      const outcome = await engine.remove(
        { media, range: p.range, target, settings: p.settings, output: { file, codec: p.codec, ...(matteFile && { matteFile }) } },
        { signal: ctx.signal, progress: ctx.progress, warn: ctx.warn, ffmpeg: ctx.ffmpeg() },
      );
      if (!outcome.changed) return { take: null, summary: outcome.explanation };
      return {
        summary: outcome.explanation,
        take: {
          file,
          params: p.conversation ? withConversation(outcome.params, p.conversation) : outcome.params,
          sourceStart: p.sourceStart,
          ...(outcome.matteWritten && matteFile && { matteFile }),
        },
      };
    },
  });
}
