import type { Command } from 'commander';
import { parseFrameRange } from '../../engine/media/frameRange';
import { probeMedia } from '../../engine/media/probe';
import { transcode } from '../../engine/media/transcode';
import type { DeliveryCodec } from '../../engine/media/types';
import type { Rational } from '../../engine/util/rational';
import { LacunaError } from '../../engine/util/errors';
import { CODEC_PROFILES } from '../../engine/media/deliveryCodecs';
import type { CliContext } from '../main';
import { besideSource } from '../outputNames';
import { runClipJob } from '../runClipJob';
import { codecOption, fpsOption } from '../options';
import { progressTracker } from '../progressTracker';

/** Container an editor expects for each codec when no output name is given. */
const DEFAULT_EXTENSION: Record<DeliveryCodec, string> = { h264: '.mp4', hevc: '.mp4', prores_hq: '.mov', dnxhr_hq: '.mov' };

interface TranscodeCliOptions {
  project?: string;
  clip?: string;
  output?: string;
  codec: DeliveryCodec;
  range?: string;
  fps?: Rational;
  overwrite?: boolean;
}

/** `lacuna transcode`: the engine's decode → encode path on one file, with progress. */
export function registerTranscode(program: Command, ctx: CliContext): void {
  program
    .command('transcode')
    .description('re-encode a clip (or a range of it) for editing or delivery, keeping rate, colour tags and audio')
    .argument('[media]', 'a video file, a folder of numbered images, or a pattern such as shots/%05d.png')
    .option('-p, --project <file>', "instead of a file: transcode a clip of this project as the clip's new take")
    .option('--clip <id|name>', 'with --project: the clip (its active take, over the clip’s range)')
    .option('-o, --output <file>', 'output file, or an image-sequence pattern such as frames/%05d.png (default: <name>_<codec>.mov/.mp4 beside the input)')
    .option('-c, --codec <codec>', 'prores_hq | dnxhr_hq (editing), h264 | hevc (delivery)', codecOption, 'prores_hq' as DeliveryCodec)
    .option('-r, --range <in-out>', 'frames "10-50" or timecodes "01:00:01:00-01:00:02:00" (see README)')
    .option('--fps <rate>', 'frame rate of an image sequence', fpsOption)
    .option('--overwrite', 'replace an existing output file (never the input)')
    .addHelpText('after', '\nExamples:\n  lacuna transcode A001_C002.mp4 --codec prores_hq\n  lacuna transcode plates/ --fps 24 -o plates.mov\n  lacuna transcode interview.mov -c h264 -r 120-480 -o selects.mp4\n  lacuna transcode --project cut.lacuna --clip A001.mov -c prores_hq')
    .action(async (media: string | undefined, opts: TranscodeCliOptions) => {
      const reporter = ctx.reporter();
      if (opts.project) return transcodeClip(ctx, opts, media);
      if (!media) throw new LacunaError('BAD_ARGUMENT', 'nothing to transcode', 'Name a media file, or a project and clip with --project and --clip.');
      const info = await probeMedia(media, { fps: opts.fps, signal: ctx.signal });
      const range = opts.range ? parseFrameRange(opts.range, info) : undefined;
      // `clip.mov` + prores_hq → `clip_prores_hq.mov` beside it (never the source itself).
      const output = opts.output ?? besideSource(info.source, opts.codec, DEFAULT_EXTENSION[opts.codec]);
      const progress = progressTracker('encoding', (e) => reporter.progress(e));
      const result = await transcode(info.source, output, {
        codec: opts.codec,
        range,
        info,
        overwrite: opts.overwrite,
        signal: ctx.signal,
        onProgress: progress,
      });
      for (const w of result.warnings) reporter.warn(w);
      reporter.result(
        { output: result.output, frames: result.frames, codec: opts.codec, range: range ?? null, info: result.info },
        () => `wrote ${result.output} (${result.frames} frames, ${opts.codec})`,
      );
    });
}

/** `--project P --clip C`: the transcode job, as the app runs it, writing the clip's new take. */
async function transcodeClip(ctx: CliContext, opts: TranscodeCliOptions, media: string | undefined): Promise<void> {
  const ignored = [media && `the media argument "${media}"`, opts.output && '--output', opts.range && '--range', opts.fps && '--fps'].filter(Boolean);
  if (ignored.length) {
    throw new LacunaError('BAD_ARGUMENT', `--project transcodes a clip of the project, so ${ignored.join(', ')} cannot be used with it`, "The clip's range and its take's media are used; the render goes to the project's Renders folder.");
  }
  if (!opts.clip) throw new LacunaError('BAD_ARGUMENT', '--project needs --clip', 'Name the clip by id or name (see `lacuna project list`).');
  const { job, takeId, project } = await runClipJob(ctx, {
    projectFile: opts.project!,
    clip: opts.clip,
    kind: 'transcode',
    params: { codec: opts.codec },
    what: `Transcode ${CODEC_PROFILES[opts.codec].label}`,
  });
  ctx.reporter().result(
    { job: job.id, takeId, file: job.result?.takeFile ?? null, project },
    () => `${job.label}: ${takeId ? `new take ${takeId}` : 'not added to the project'} (${job.result?.takeFile})`,
  );
}
