import { z } from 'zod';
import { CODEC_PROFILES } from '../../media/deliveryCodecs';
import { transcode } from '../../media/transcode';
import type { DeliveryCodec } from '../../media/types';
import { mediaSourceOf } from '../../project/mediaSource';
import { ClipSourceParamsSchema } from '../clipJob';
import { defineJobKind } from '../jobKind';

/**
 * Transcodes a clip's picture to a delivery or editing codec: the first real job kind, and the
 * one that exercises the whole job system (queue, progress per frame, cancel, journal, take
 * write-back) before the removal engines arrive.
 */

/** Editing codecs go in QuickTime, as NLEs expect; delivery codecs in MP4, as players expect. */
const CONTAINER: Record<DeliveryCodec, string> = {
  h264: '.mp4',
  hevc: '.mp4',
  prores_hq: '.mov',
  dnxhr_hq: '.mov',
};

export const TranscodeParamsSchema = ClipSourceParamsSchema.extend({
  codec: z.enum(['h264', 'hevc', 'prores_hq', 'dnxhr_hq']),
}).refine((p) => p.range.end > p.range.start, { message: 'range must contain at least one frame', path: ['range'] });
export type TranscodeParams = z.infer<typeof TranscodeParamsSchema>;

export const transcodeJobKind = defineJobKind<TranscodeParams>({
  id: 'transcode',
  label: 'Transcode',
  category: 'utility',
  description: "Re-encode a clip's picture and sound to H.264, HEVC, ProRes 422 HQ or DNxHR HQ, added as a new take.",
  resource: 'cpu',
  params: TranscodeParamsSchema,
  interrupted: {
    resumable: true,
    note: 'Retry transcodes it again from the first frame: a transcode cannot continue where it stopped.',
  },
  describe: (p) => `Transcode ${p.name} to ${CODEC_PROFILES[p.codec].label}`,
  async run(ctx, p) {
    const output = await ctx.temp.file(`transcode${CONTAINER[p.codec]}`);
    const total = p.range.end - p.range.start;
    ctx.progress('encoding', 0, total);
    const result = await transcode(mediaSourceOf(p.media), output, {
      codec: p.codec,
      range: p.range,
      signal: ctx.signal,
      ffmpeg: ctx.ffmpeg(),
      onProgress: (done, all) => ctx.progress('encoding', done, all),
    });
    for (const w of result.warnings) ctx.warn(w);
    return {
      take: {
        file: result.output,
        sourceStart: p.sourceStart,
        params: { engine: 'transcode', extra: { codec: p.codec } },
      },
    };
  },
});
